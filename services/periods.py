"""Reporting periods and their arithmetic (names, labels, cut-off windows, due dates).

Names: "2026-05" (month), "2026-Q2", "2026-H1", "2026-9M", "2026" (year),
and a one-off report's due date "2026-05-31".
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from services.errors import ValidationError

MONTH, QUARTER, HALF, NINE_MONTHS, YEAR, ONCE = "month", "quarter", "half", "9m", "year", "once"
KINDS = (MONTH, QUARTER, HALF, NINE_MONTHS, YEAR, ONCE)
KIND_LABELS = {
    MONTH: "Tháng", QUARTER: "Quý", HALF: "6 tháng", NINE_MONTHS: "9 tháng",
    YEAR: "Năm", ONCE: "Đột xuất (một lần)",
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{2})$"), MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.I), QUARTER),
    (re.compile(r"^(\d{4})-H([12])$", re.I), HALF),
    (re.compile(r"^(\d{4})-9M$", re.I), NINE_MONTHS),
    (re.compile(r"^(\d{4})$"), YEAR),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), ONCE),
]


def month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    year: int
    last_month: int
    kind: str
    index: int = 1
    once_day: int = 0  # day of month for one-off periods

    # ---- construction -------------------------------------------------
    @staticmethod
    def parse(name: str) -> Period:
        s = (name or "").strip()
        for rx, kind in _PATTERNS:
            m = rx.match(s)
            if not m:
                continue
            y = int(m.group(1))
            if kind == MONTH:
                mo = int(m.group(2))
                if 1 <= mo <= 12:
                    return Period(y, mo, MONTH, mo)
            elif kind == QUARTER:
                q = int(m.group(2))
                return Period(y, q * 3, QUARTER, q)
            elif kind == HALF:
                h = int(m.group(2))
                return Period(y, h * 6, HALF, h)
            elif kind == NINE_MONTHS:
                return Period(y, 9, NINE_MONTHS, 1)
            elif kind == YEAR:
                return Period(y, 12, YEAR, 1)
            else:
                try:
                    d = date(y, int(m.group(2)), int(m.group(3)))
                except ValueError:
                    break
                return Period(d.year, d.month, ONCE, 1, d.day)
        raise ValidationError(
            f"Kỳ báo cáo không hợp lệ: '{name}'. Dùng 2026-05 (tháng), 2026-Q2, 2026-H1, 2026-9M hoặc 2026."
        )

    @staticmethod
    def month(year: int, month: int) -> Period:
        return Period(year, month, MONTH, month)

    @staticmethod
    def of_kind(kind: str, year: int, index: int = 1) -> Period:
        last = {MONTH: index, QUARTER: index * 3, HALF: index * 6, NINE_MONTHS: 9, YEAR: 12}[kind]
        return Period(year, last, kind, index)

    # ---- properties ---------------------------------------------------
    @property
    def name(self) -> str:
        y = self.year
        if self.kind == MONTH:
            return f"{y}-{self.last_month:02d}"
        if self.kind == QUARTER:
            return f"{y}-Q{self.index}"
        if self.kind == HALF:
            return f"{y}-H{self.index}"
        if self.kind == NINE_MONTHS:
            return f"{y}-9M"
        if self.kind == YEAR:
            return f"{y}"
        return f"{y}-{self.last_month:02d}-{self.once_day:02d}"

    @property
    def first_month(self) -> int:
        return {MONTH: self.last_month, QUARTER: self.last_month - 2, HALF: self.last_month - 5,
                NINE_MONTHS: 1, YEAR: 1, ONCE: self.last_month}[self.kind]

    @property
    def month_key(self) -> str:
        """The period's last month, "2026-06": where stand-in reports meet."""
        return f"{self.year}-{self.last_month:02d}"

    def label(self) -> str:
        """Vietnamese label: "tháng 5 năm 2026", "6 tháng đầu năm 2026"."""
        y = self.year
        if self.kind == MONTH:
            return f"tháng {self.last_month} năm {y}"
        if self.kind == QUARTER:
            return f"quý {ROMAN[self.index]} năm {y}"
        if self.kind == HALF:
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {y}"
        if self.kind == NINE_MONTHS:
            return f"9 tháng năm {y}"
        if self.kind == YEAR:
            return f"năm {y}"
        return f"đột xuất ngày {self.once_day:02d}/{self.last_month:02d}/{y}"

    def months(self) -> list[str]:
        """Month names covered, for roll-ups ("2026-01" … "2026-06")."""
        return [f"{self.year}-{m:02d}" for m in range(self.first_month, self.last_month + 1)]

    def first_day(self) -> date:
        return date(self.year, self.first_month, 1)

    def last_day(self) -> date:
        if self.kind == ONCE:
            return date(self.year, self.last_month, self.once_day)
        return date(self.year, self.last_month, month_length(self.year, self.last_month))

    def window(self, cutoff_day: int | None) -> tuple[date, date]:
        """Data cut-off window (NĐ 09/2019): cutoff_day of the month before the first month
        up to the day before it in the last month; calendar period when cutoff_day is None."""
        if self.kind == ONCE or not cutoff_day:
            return self.first_day(), self.last_day()
        py, pm = add_months(self.year, self.first_month, -1)
        start = date(py, pm, min(cutoff_day, month_length(py, pm)))
        end_day = min(cutoff_day - 1, month_length(self.year, self.last_month))
        if end_day < 1:  # cut-off on the 1st: the window ends with the previous month
            ey, em = add_months(self.year, self.last_month, -1)
            return start, date(ey, em, month_length(ey, em))
        return start, date(self.year, self.last_month, end_day)

    def nominal_due(self, due_day: int, month_offset: int = 0, inclusive: bool = False) -> date:
        """Last on-time day before any holiday shift.

        "trước ngày D" (inclusive=False) → D−1; "chậm nhất / đến hết ngày D" → D.
        A day past the month's end ("trước ngày 31" in June) allows the whole month.
        """
        if self.kind == ONCE:
            return self.last_day()
        y, m = add_months(self.year, self.last_month, month_offset)
        n = month_length(y, m)
        if due_day > n:
            return date(y, m, n)
        if inclusive:
            return date(y, m, due_day)
        if due_day <= 1:  # "trước ngày 01": the last day of the previous month
            py, pm = add_months(y, m, -1)
            return date(py, pm, month_length(py, pm))
        return date(y, m, due_day - 1)

    def previous(self) -> Period:
        if self.kind == MONTH:
            y, m = add_months(self.year, self.last_month, -1)
            return Period.month(y, m)
        if self.kind == QUARTER:
            return Period.of_kind(QUARTER, self.year - (self.index == 1), 4 if self.index == 1 else self.index - 1)
        if self.kind == HALF:
            return Period.of_kind(HALF, self.year - (self.index == 1), 2 if self.index == 1 else 1)
        if self.kind in (YEAR, NINE_MONTHS):
            return Period.of_kind(self.kind, self.year - 1)
        return self

    def next(self) -> Period:
        if self.kind == MONTH:
            y, m = add_months(self.year, self.last_month, 1)
            return Period.month(y, m)
        if self.kind == QUARTER:
            return Period.of_kind(QUARTER, self.year + (self.index == 4), 1 if self.index == 4 else self.index + 1)
        if self.kind == HALF:
            return Period.of_kind(HALF, self.year + (self.index == 2), 1 if self.index == 2 else 2)
        if self.kind in (YEAR, NINE_MONTHS):
            return Period.of_kind(self.kind, self.year + 1)
        return self

    def __str__(self) -> str:
        return self.name


def periods_of_kind(kind: str, year: int) -> list[Period]:
    if kind == MONTH:
        return [Period.month(year, m) for m in range(1, 13)]
    if kind == QUARTER:
        return [Period.of_kind(QUARTER, year, q) for q in range(1, 5)]
    if kind == HALF:
        return [Period.of_kind(HALF, year, h) for h in (1, 2)]
    if kind in (NINE_MONTHS, YEAR):
        return [Period.of_kind(kind, year)]
    return []


def iter_periods(kind: str, first_month: str, last_month: str) -> Iterator[Period]:
    """Periods of a kind whose last month lies in [first_month, last_month] ("YYYY-MM")."""
    fy, fm = (int(x) for x in first_month.split("-"))
    ly, lm = (int(x) for x in last_month.split("-"))
    for y in range(fy, ly + 1):
        for p in periods_of_kind(kind, y):
            if (fy, fm) <= (p.year, p.last_month) <= (ly, lm):
                yield p


def current_month(today: date) -> Period:
    return Period.month(today.year, today.month)


def format_date_vn(d: date) -> str:
    """"05/01/2026" for tables."""
    return d.strftime("%d/%m/%Y")


def official_date_text(d: date) -> str:
    """Nghị định 30/2020: "ngày 05 tháng 01 năm 2026", but "tháng 6" — leading zero for
    days below 10 and for months 1 and 2 only."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"
