"""Numbers as Vietnamese users write them: "1.234" (thousands), "0,75" (decimal comma)."""
from __future__ import annotations

import re

_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")  # "0.750" is a decimal


def number_text(v: float | None) -> str:
    """1234.5 → "1.234,5"; 12.0 → "12"; None → ""."""
    if v is None:
        return ""
    if float(v).is_integer():
        return f"{int(v):,}".replace(",", ".")
    s = f"{v:,.4f}".rstrip("0").rstrip(".")
    return s.replace(",", " ").replace(".", ",").replace(" ", ".")


def parse_number(text: str) -> float | None:
    """"" → None; "1.234" → 1234; "0,75" → 0.75; "1.234,5" → 1234.5; "2.5" → 2.5.
    Raises ValueError for anything else."""
    s = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not s:
        return None
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(s):
        s = s.replace(".", "")
    v = float(s)
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError(text)
    return v
