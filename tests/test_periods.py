"""Periods, cut-off windows (NĐ 09/2019), due wording and official date text."""
from __future__ import annotations

from datetime import date

import pytest

from services.errors import ValidationError
from services.periods import Period, official_date_text


@pytest.mark.parametrize("name,label", [
    ("2026-05", "tháng 5 năm 2026"), ("2026-Q2", "quý II năm 2026"),
    ("2026-H1", "6 tháng đầu năm 2026"), ("2026-H2", "6 tháng cuối năm 2026"),
    ("2026-9M", "9 tháng năm 2026"), ("2026", "năm 2026"),
])
def test_parse_name_and_label(name: str, label: str) -> None:
    p = Period.parse(name)
    assert p.name == name and p.label() == label


@pytest.mark.parametrize("bad", ["2026-13", "2026-Q5", "26-01", "", "2026-02-30"])
def test_bad_period_names_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        Period.parse(bad)


def test_cutoff_windows() -> None:
    assert Period.parse("2026-01").window(15) == (date(2025, 12, 15), date(2026, 1, 14))
    assert Period.parse("2026-Q2").window(15) == (date(2026, 3, 15), date(2026, 6, 14))
    assert Period.parse("2026-H1").window(15) == (date(2025, 12, 15), date(2026, 6, 14))
    assert Period.parse("2026").window(15) == (date(2025, 12, 15), date(2026, 12, 14))
    assert Period.parse("2026-9M").window(15) == (date(2025, 12, 15), date(2026, 9, 14))
    assert Period.parse("2024-02").window(None) == (date(2024, 2, 1), date(2024, 2, 29))


def test_due_wording_semantics() -> None:
    p = Period.parse("2026-05")
    assert p.nominal_due(18, inclusive=False) == date(2026, 5, 17)  # "trước ngày 18"
    assert p.nominal_due(18, inclusive=True) == date(2026, 5, 18)  # "chậm nhất ngày 18"
    assert Period.parse("2026-06").nominal_due(31) == date(2026, 6, 30)  # past the month's end
    assert Period.parse("2024-02").nominal_due(30, inclusive=True) == date(2024, 2, 29)  # leap year
    assert Period.parse("2025-02").nominal_due(29, inclusive=True) == date(2025, 2, 28)
    assert Period.parse("2026-05").nominal_due(5, month_offset=1, inclusive=True) == date(2026, 6, 5)


def test_previous_and_next() -> None:
    assert Period.parse("2026-01").previous().name == "2025-12"
    assert Period.parse("2026-Q1").previous().name == "2025-Q4"
    assert Period.parse("2026-H2").next().name == "2027-H1"
    assert Period.parse("2026-H1").months()[-1] == "2026-06"


def test_official_date_leading_zero_rule() -> None:
    assert official_date_text(date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert official_date_text(date(2026, 2, 28)) == "ngày 28 tháng 02 năm 2026"
    assert official_date_text(date(2026, 6, 15)) == "ngày 15 tháng 6 năm 2026"
    assert official_date_text(date(2026, 12, 9)) == "ngày 09 tháng 12 năm 2026"
