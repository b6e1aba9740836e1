"""Status classes of one assignment: edge dates (due today, day after, threshold), extensions,
recurring tasks; and the per-unit counts on the demo database."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from services import task_status as ts
from services.dates import DateError, format_date, parse_date

TODAY = date(2026, 5, 20)


def c(progress: str, due: date | None, done: date | None = None, ext: date | None = None,
      soon: int = 7, recurring: bool = False) -> str:
    return ts.classify(progress, done, due, ext or due, recurring, TODAY, soon)


def test_due_today_is_on_time_and_due_soon() -> None:
    assert c("dang", TODAY) == ts.SAP_DEN_HAN
    assert c("chua", TODAY, soon=-1) == ts.CHUA_TRONG_HAN
    assert c("xong", TODAY, done=TODAY) == ts.XONG_DUNG_HAN


def test_day_after_due_is_late() -> None:
    yesterday = TODAY - timedelta(days=1)
    assert c("dang", yesterday) == ts.DANG_QUA_HAN
    assert c("chua", yesterday) == ts.CHUA_QUA_HAN
    assert c("xong", yesterday, done=TODAY) == ts.XONG_QUA_HAN
    assert c("xong", yesterday, done=yesterday) == ts.XONG_DUNG_HAN


def test_due_soon_threshold_edges() -> None:
    assert c("chua", TODAY + timedelta(days=7), soon=7) == ts.SAP_DEN_HAN
    assert c("chua", TODAY + timedelta(days=8), soon=7) == ts.CHUA_TRONG_HAN
    assert c("dang", TODAY + timedelta(days=8), soon=7) == ts.DANG_TRONG_HAN
    assert c("dang", TODAY + timedelta(days=3), soon=0) == ts.DANG_TRONG_HAN
    assert c("dang", TODAY, soon=0) == ts.SAP_DEN_HAN


def test_extension_moves_the_deadline_but_keeps_the_original() -> None:
    original = TODAY - timedelta(days=10)
    extended = TODAY + timedelta(days=20)
    assert c("dang", original) == ts.DANG_QUA_HAN
    assert c("dang", original, ext=extended) == ts.DANG_TRONG_HAN
    assert c("dang", original, ext=TODAY) == ts.SAP_DEN_HAN  # extended to today: still on time
    assert c("xong", original, done=TODAY - timedelta(days=1), ext=extended) == ts.XONG_DUNG_HAN
    assert ts.is_extended(original, extended) and not ts.is_extended(original, original)
    assert ts.late_vs_original("dang", None, original, TODAY)
    assert ts.effective_due(original, [TODAY, extended]) == extended
    assert ts.effective_due(original, []) == original


def test_recurring_and_undated() -> None:
    assert c("dang", None, recurring=True) == ts.THUONG_XUYEN
    assert c("xong", None, done=TODAY, recurring=True) == ts.THUONG_XUYEN
    # A recurring task that also carries a date is measured against the date.
    assert c("chua", TODAY - timedelta(days=1), recurring=True) == ts.CHUA_QUA_HAN
    assert ts.statistic_class("dang", None, TODAY, TODAY, False, TODAY) == ts.DANG_TRONG_HAN


def test_every_class_has_label_and_colour() -> None:
    assert set(ts.LABELS) == set(ts.CLASSES) == set(ts.COLORS)
    assert ts.label(ts.CHUA_QUA_HAN) == "Chưa thực hiện (quá hạn)"
    assert len(set(ts.COLORS.values())) == len(ts.CLASSES)


def test_counts_by_unit_on_demo(demo_db) -> None:  # noqa: ANN001
    counts = ts.counts_by_unit(demo_db, date(2026, 12, 6))
    # Demo plan (DEMO.1–7, dated around 6/12/2026): SNV done late DEMO.2, late on DEMO.4.
    assert counts["SNV"][ts.XONG_QUA_HAN] == 1
    assert counts["SNV"][ts.DANG_QUA_HAN] == 1
    assert counts["SVHTTDL"][ts.SAP_DEN_HAN] == 1  # DEMO.5 due 11/12, threshold 7 days
    assert counts["SKHCN"][ts.CHUA_QUA_HAN] == 1  # DEMO.7
    assert set(counts["SKHCN"]) == set(ts.CLASSES)
    total = sum(sum(v.values()) for v in counts.values())
    assert total == 119
    official = ts.counts_by_unit(demo_db, date(2026, 12, 6), due_soon_days=-1)
    assert official["SVHTTDL"][ts.SAP_DEN_HAN] == 0 and official["SVHTTDL"][ts.CHUA_TRONG_HAN] == 1


@pytest.mark.parametrize("raw, expected", [
    ("18/2/2026", date(2026, 2, 18)), ("18-02-2026", date(2026, 2, 18)), ("2026-02-18", date(2026, 2, 18)),
    ("18.02.2026", date(2026, 2, 18)), (" 5/3/2025 ", date(2025, 3, 5)), (46071, date(2026, 2, 18)),
    (46071.75, date(2026, 2, 18)), ("46071", date(2026, 2, 18)), (date(2026, 2, 18), date(2026, 2, 18)),
    ("2026-02-18 00:00:00", date(2026, 2, 18)), ("", None), (None, None),
])
def test_dates_accepted(raw: object, expected: date | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31/2/2026", "2026-13-01", "abc", "18/2", "0/1/2026", "1/1/1800",
                                 -5, 0, 9999999, "12345678", True])
def test_nonsense_dates_refused(raw: object) -> None:
    with pytest.raises(DateError):
        parse_date(raw)


def test_format_date() -> None:
    assert format_date(date(2026, 2, 5)) == "05/02/2026" and format_date(None) == ""
