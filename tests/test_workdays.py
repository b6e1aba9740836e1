"""Working-day calendar and the BLDS 2015 Điều 148.5 shift."""
from __future__ import annotations

from datetime import date

from services.periods import Period
from services.workdays import WorkCalendar


def test_tet_2026_moves_february_deadline() -> None:
    cal = WorkCalendar()
    nominal = Period.parse("2026-02").nominal_due(18)  # "trước ngày 18" → 17/02, mùng 1 Tết
    assert nominal == date(2026, 2, 17)
    assert cal.roll_forward(nominal) == date(2026, 2, 23)  # Tết until Fri 20, then the weekend


def test_sunday_moves_to_monday() -> None:
    assert WorkCalendar().roll_forward(date(2026, 5, 17)) == date(2026, 5, 18)


def test_working_day_stays() -> None:
    assert WorkCalendar().roll_forward(date(2026, 3, 17)) == date(2026, 3, 17)


def test_hung_kings_observed_day() -> None:
    cal = WorkCalendar()
    assert not cal.is_working_day(date(2026, 4, 27))  # Giỗ Tổ on Sunday → nghỉ bù Monday


def test_overrides_extra_day_off_and_swapped_working_day() -> None:
    cal = WorkCalendar({date(2026, 3, 17): "off", date(2026, 5, 16): "work"})
    assert cal.roll_forward(date(2026, 3, 17)) == date(2026, 3, 18)
    assert cal.is_working_day(date(2026, 5, 16))  # a Saturday made a working day
    assert cal.roll_forward(date(2026, 5, 16)) == date(2026, 5, 16)


def test_year_view_lists_days_off_with_reasons() -> None:
    days = dict(WorkCalendar().days_off(2026))
    assert date(2026, 2, 17) in days and days[date(2026, 2, 17)]
    assert days[date(2026, 3, 1)] == "Chủ nhật"
