"""Lenient date reading for imports and forms, strict about nonsense.

Officers type dates in many ways; every import uses `parse_date` so they are all
read the same: "18/2/2026", "18-02-2026", "18.02.2026", "2026-02-18", Excel serial
numbers (45706), and date/datetime cells as openpyxl gives them. Day comes first
in slashed and dashed forms (Vietnamese usage), never month. "31/2/2026", "2026-13-01",
"abc" or a year outside 1900–2100 are refused with a Vietnamese reason.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

MIN_YEAR, MAX_YEAR = 1900, 2100
# Excel's day 0 is 1899-12-30 (it counts the non-existent 29 Feb 1900).
_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")


class DateError(ValueError):
    """A value that is not a date; the message says why, in Vietnamese."""


def _check_year(d: date, raw: object) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise DateError(f"Năm {d.year} không hợp lý (giá trị '{raw}').")
    return d


def _build(y: int, m: int, d: int, raw: object) -> date:
    try:
        return _check_year(date(y, m, d), raw)
    except ValueError as e:
        if isinstance(e, DateError):
            raise
        raise DateError(f"Ngày không tồn tại: '{raw}' (ngày {d}, tháng {m}, năm {y}).") from None


def from_excel_serial(n: float) -> date:
    if n != int(n):
        n = int(n)  # a time part (e.g. 45706.5) belongs to the same day
    if not 1 <= n <= 73050:  # 73050 = 31/12/2099
        raise DateError(f"Số {n} không phải một ngày hợp lý (kiểu số ngày của Excel).")
    return _check_year(_EXCEL_EPOCH + timedelta(days=int(n)), n)


def parse_date(value: object) -> date | None:
    """A date from a cell or a typed text; None for an empty value; DateError otherwise."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _check_year(value.date(), value)
    if isinstance(value, date):
        return _check_year(value, value)
    if isinstance(value, bool):
        raise DateError(f"Không phải ngày: '{value}'.")
    if isinstance(value, int | float):
        return from_excel_serial(value)
    text = str(value).strip()
    if not text:
        return None
    m = _DMY.match(text)
    if m:
        return _build(int(m[3]), int(m[2]), int(m[1]), text)
    m = _YMD.match(text)
    if m:
        return _build(int(m[1]), int(m[2]), int(m[3]), text)
    if _SERIAL.match(text):
        return from_excel_serial(float(text))
    raise DateError(f"Không đọc được ngày '{text}' (viết dạng 18/2/2026, 18-02-2026 hoặc 2026-02-18).")


def format_date(d: date | None) -> str:
    """dd/mm/yyyy, as Vietnamese forms show dates; '' for None."""
    return d.strftime("%d/%m/%Y") if d else ""
