"""Vietnamese text helpers: NFC normalisation and the folded search key.

The folded key (lower case, tone and vowel marks removed, đ→d) is stored in a
column so diacritic-free search works the same on SQLite and PostgreSQL.
"""
from __future__ import annotations

import unicodedata


def nfc(s: str | None) -> str:
    return unicodedata.normalize("NFC", s or "").strip()


def fold(s: str | None) -> str:
    """'Sở Khoa học và Công nghệ' → 'so khoa hoc va cong nghe'."""
    s = unicodedata.normalize("NFD", (s or "").lower().replace("đ", "d").replace("Đ", "d"))
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    return " ".join(s.split())


def search_key(*parts: str | None) -> str:
    return " | ".join(fold(p) for p in parts if p)


def like_pattern(query: str) -> str | None:
    """Folded LIKE pattern for a user's query, or None for an empty query."""
    q = fold(query)
    if not q:
        return None
    q = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{q}%"
