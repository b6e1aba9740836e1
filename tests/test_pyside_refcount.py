"""Guards against PySide6 6.12.0's bug: every void call dropped a reference to None and
the process aborted after a few thousand calls (DESIGN.md §6)."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_keep_none_refcount(qapp) -> None:  # noqa: ANN001 - pytest-qt fixture
    label = QLabel()
    before = sys.getrefcount(None)
    for i in range(10_000):
        label.setText("x" if i % 2 else "y")  # a void C++ call
    after = sys.getrefcount(None)
    assert abs(after - before) < 100, (before, after)


def test_pyside_version_is_pinned_below_612() -> None:
    import PySide6

    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12)
