"""Expected reports: generation, stand-in rule and regeneration that keeps links."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import ExpectedReport, HolidayOverride, IncomingReport, ReportType, Unit
from services.regime import regenerate


def _setup(db) -> None:  # noqa: ANN001
    with db.session() as s:
        s.add_all([Unit(code="A", name="Đơn vị A"), Unit(code="B", name="Đơn vị B")])
        m = ReportType(code="M", name="Tháng", period_kind="month", due_day=18, due_wording="trước ngày 18",
                       start_period="2026-01")
        s.add(m)
        s.flush()
        s.add(ReportType(code="H", name="6 tháng", period_kind="half", period_filter="H1", due_day=15,
                         due_wording="trước ngày 15 tháng 6", stands_in_for_id=m.id, start_period="2026-01"))


def test_generation_and_stand_in(empty_db) -> None:  # noqa: ANN001
    _setup(empty_db)
    res = regenerate(empty_db, date(2026, 7, 1))
    with empty_db.session() as s:
        periods = sorted({e.period for e in s.scalars(select(ExpectedReport))})
    # Months 01–08 except June (the six-month report stands in for it), plus 2026-H1.
    assert periods == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-07", "2026-08", "2026-H1"]
    assert res.total == 2 * len(periods)
    with empty_db.session() as s:
        feb = s.scalar(select(ExpectedReport).where(ExpectedReport.period == "2026-02"))
        assert feb.nominal_due == date(2026, 2, 17) and feb.last_on_time_day == date(2026, 2, 23)


def test_regeneration_keeps_links_and_follows_calendar(empty_db) -> None:  # noqa: ANN001
    _setup(empty_db)
    regenerate(empty_db, date(2026, 7, 1))
    with empty_db.session() as s:
        e = s.scalar(select(ExpectedReport).where(ExpectedReport.period == "2026-03"))
        s.add(IncomingReport(expected_report_id=e.id, unit_id=e.unit_id, received_date=date(2026, 3, 16)))
        s.add(HolidayOverride(day=date(2026, 3, 17), kind="off", note="Nghỉ đột xuất"))
        eid = e.id
    res = regenerate(empty_db, date(2026, 7, 1))
    assert res.added == 0 and res.updated == 2  # March's last day moved for both units
    with empty_db.session() as s:
        e = s.get(ExpectedReport, eid)
        assert e.last_on_time_day == date(2026, 3, 18)
        assert s.scalar(select(IncomingReport.expected_report_id)) == eid
        # Turn the stand-in off: June's monthly report appears; H1 stays.
        s.scalar(select(ReportType).where(ReportType.code == "H")).stand_in_enabled = False
        s.scalar(select(ReportType).where(ReportType.code == "M")).start_period = "2026-03"
    res = regenerate(empty_db, date(2026, 7, 1))
    with empty_db.session() as s:
        periods = {e.period for e in s.scalars(select(ExpectedReport))}
        assert "2026-06" in periods and "2026-01" not in periods and "2026-03" in periods
        assert s.get(ExpectedReport, eid) is not None


def test_refresh_skips_when_nothing_changed(empty_db) -> None:  # noqa: ANN001
    from services.regime import refresh

    _setup(empty_db)
    first = refresh(empty_db, date(2026, 7, 1))
    assert first is not None and first.added > 0
    assert refresh(empty_db, date(2026, 7, 20)) is None  # same month, nothing changed
    with empty_db.session() as s:
        s.add(HolidayOverride(day=date(2026, 3, 17), kind="off", note="Nghỉ đột xuất"))
    again = refresh(empty_db, date(2026, 7, 20))
    assert again is not None and again.updated == 2
    assert refresh(empty_db, date(2026, 8, 1)).added == 2  # a new month brings September's reports
