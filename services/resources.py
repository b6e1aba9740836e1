"""Where the bundled read-only resources (fonts, icons, templates) live.

Owns one question: the path of the ``resources/`` folder, both from a source
checkout and from a PyInstaller build (which unpacks data under sys._MEIPASS).
"""
from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    # A frozen build has no repo layout; the spec file copies resources/ into the bundle root.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def manual_path() -> Path | None:
    """The user manual: the PDF when built, else the Markdown source."""
    for candidate in (resources_dir() / "docs" / "huong-dan-su-dung.pdf",
                      resources_dir().parent / "docs" / "huong-dan-su-dung.pdf",
                      resources_dir().parent / "docs" / "huong-dan-su-dung.md"):
        if candidate.exists():
            return candidate
    return None
