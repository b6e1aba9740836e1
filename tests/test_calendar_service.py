"""Calendar overrides (extra days off, swapped working days) move deadlines; the year view."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AuditLog, ExpectedReport, IncomingReport
from services import calendar_service as cs
from services import incoming
from services.errors import NotFound, ValidationError

TODAY = date(2026, 12, 6)


def _last(db, period: str) -> set[date]:  # noqa: ANN001
    with db.session() as s:
        return set(s.scalars(select(ExpectedReport.last_on_time_day).where(ExpectedReport.period == period)))


def test_extra_day_off_moves_the_deadline_and_keeps_links(demo_db) -> None:  # noqa: ANN001
    assert _last(demo_db, "2026-11") == {date(2026, 11, 17)}
    with demo_db.session() as s:
        linked = dict(s.execute(select(IncomingReport.id, IncomingReport.expected_report_id)
                                .where(IncomingReport.period == "2026-11")).all())
    res = cs.save_override(demo_db, date(2026, 11, 17), cs.OFF, "Nghỉ đột xuất (thử)", today=TODAY)
    assert res.updated == 32 and res.added == 0 and res.removed == 0
    assert _last(demo_db, "2026-11") == {date(2026, 11, 18)}
    with demo_db.session() as s:
        assert dict(s.execute(select(IncomingReport.id, IncomingReport.expected_report_id)
                              .where(IncomingReport.period == "2026-11")).all()) == linked
    assert [o.note for o in cs.list_overrides(demo_db, 2026)] == ["Nghỉ đột xuất (thử)"]
    cs.delete_override(demo_db, date(2026, 11, 17), today=TODAY)
    assert _last(demo_db, "2026-11") == {date(2026, 11, 17)}
    with demo_db.session() as s:
        actions = list(s.scalars(select(AuditLog.action).where(AuditLog.table_name == "holiday_override")))
    assert actions == ["insert", "delete"]


def test_swapped_working_saturday_keeps_a_deadline_on_it(demo_db) -> None:  # noqa: ANN001
    # October 2026: "trước ngày 18" → Saturday 17, normally moved to Monday 19.
    cs.save_override(demo_db, date(2026, 10, 17), cs.WORK, "Làm bù cho ngày nghỉ", today=TODAY)
    assert _last(demo_db, "2026-10") == {date(2026, 10, 17)}  # a Saturday, now a working day
    cs.save_override(demo_db, date(2026, 10, 17), cs.OFF, "Đổi thành nghỉ", today=TODAY)
    assert _last(demo_db, "2026-10") == {date(2026, 10, 19)}
    cs.save_override(demo_db, date(2026, 10, 19), cs.OFF, "Dời ngày", today=TODAY,
                     original_day=date(2026, 10, 17))
    assert [o.day for o in cs.list_overrides(demo_db)] == [date(2026, 10, 19)]
    assert _last(demo_db, "2026-10") == {date(2026, 10, 20)}


def test_bad_override_is_refused(demo_db) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError):
        cs.save_override(demo_db, date(2026, 10, 17), "holiday", "x", today=TODAY)
    with pytest.raises(NotFound):
        cs.delete_override(demo_db, date(2026, 1, 2), today=TODAY)
    assert cs.list_overrides(demo_db) == []


def test_year_view_lists_days_off_and_deadlines(demo_db) -> None:  # noqa: ANN001
    cs.save_override(demo_db, date(2026, 9, 3), cs.OFF, "Nghỉ thêm dịp Quốc khánh", today=TODAY)
    v = cs.year_view(demo_db, 2026)
    names = {d.day: d.name for d in v.days_off}
    assert names[date(2026, 2, 17)] == "Tết Nguyên Đán"
    assert "Giỗ Tổ" in names[date(2026, 4, 26)] and "nghỉ bù" in names[date(2026, 4, 27)]
    assert names[date(2026, 9, 3)] == "Nghỉ thêm dịp Quốc khánh"
    assert next(d for d in v.days_off if d.day == date(2026, 9, 3)).kind == "override"
    assert date(2026, 3, 1) in names and next(d for d in v.days_off if d.day == date(2026, 3, 1)).kind == "weekend"
    feb = next(d for d in v.deadlines if d.period == "2026-02")
    assert (feb.nominal, feb.day, feb.units) == (date(2026, 2, 17), date(2026, 2, 23), 32)
    nov = next(d for d in v.deadlines if d.period == "2026-11")
    assert nov.received == 30  # 29 on time + 1 late in the demo
    # 2027: generated only up to January; the rest of the year is computed.
    v27 = cs.year_view(demo_db, 2027)
    assert [d.period for d in v27.deadlines][:2] == ["2027-01", "2027-02"] and len(v27.deadlines) == 12
    assert all(d.units == 32 for d in v27.deadlines)


def test_register_on_an_override_day_counts_on_time(demo_db) -> None:  # noqa: ANN001
    cs.save_override(demo_db, date(2026, 11, 17), cs.OFF, "Nghỉ", today=TODAY)
    with demo_db.session() as s:
        e = s.scalar(select(ExpectedReport).where(ExpectedReport.period == "2026-11", ExpectedReport.id.not_in(
            select(IncomingReport.expected_report_id).where(IncomingReport.expected_report_id.is_not(None)))))
    reg = incoming.register(demo_db, incoming.NewIncoming(unit_id=e.unit_id, period="2026-11",
                                                          received_date=date(2026, 11, 18)))
    from services import tracking
    row = tracking.fetch(demo_db, [reg.expected_report_id], TODAY)[0]
    assert row.last_on_time_day == date(2026, 11, 18) and row.status == "dung_han"
