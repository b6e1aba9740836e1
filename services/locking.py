"""Optimistic locking helpers shared by every editing service."""
from __future__ import annotations

from typing import Any

from services.errors import ConcurrentEdit


def check_version(obj: Any, expected: int | None, what: str) -> None:
    """Refuse the write when the row changed since the caller read it.

    `expected` is the version the user's form was filled from (None skips the
    check, for brand-new rows)."""
    if expected is not None and obj.version != expected:
        raise ConcurrentEdit(
            f"{what[:1].upper()}{what[1:]} đã được người khác (hoặc cửa sổ khác) sửa sau khi bạn mở. "
            "Không ghi đè: hãy tải lại rồi sửa lại."
        )
