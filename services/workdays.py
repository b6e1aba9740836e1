"""Working-day calendar: weekends, Vietnamese public holidays (the `holidays` package,
which knows Tết and Giỗ Tổ by the lunar calendar and nghỉ bù), plus the editable
override table, because the Government announces swaps every year.

A last on-time day that is not a working day moves to the next working day
(Bộ luật Dân sự 2015, Điều 148 khoản 5).
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> dict[date, str]:
    import holidays  # imported on first use: it is not needed to show the main window

    return dict(holidays.country_holidays("VN", years=year, language="vi").items())


class WorkCalendar:
    def __init__(self, overrides: dict[date, str] | None = None,
                 notes: dict[date, str] | None = None) -> None:
        # overrides: day → "off" (extra day off) | "work" (swapped working day)
        self.overrides = dict(overrides or {})
        self.notes = dict(notes or {})

    def holiday_name(self, d: date) -> str:
        if self.overrides.get(d) == "off":
            return self.notes.get(d) or "Ngày nghỉ (điều chỉnh)"
        return _public_holidays(d.year).get(d, "")

    def is_working_day(self, d: date) -> bool:
        kind = self.overrides.get(d)
        if kind == "work":
            return True
        if kind == "off":
            return False
        if d.weekday() >= 5:
            return False
        return d not in _public_holidays(d.year)

    def roll_forward(self, d: date) -> date:
        """The day itself when it is a working day, else the next working day."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def days_off(self, year: int) -> list[tuple[date, str]]:
        """Every non-working weekday or holiday of a year with its reason (for the year view)."""
        out = []
        d = date(year, 1, 1)
        while d.year == year:
            if not self.is_working_day(d):
                out.append((d, self.holiday_name(d) or ("Thứ Bảy" if d.weekday() == 5 else "Chủ nhật")))
            d += timedelta(days=1)
        return out
