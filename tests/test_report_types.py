"""Report types: wording parser, saving (validation, version check, audit) and the
regeneration it triggers — month ends, leap years, Tết, Sundays, stand-ins, links kept."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AuditLog, ExpectedReport, IncomingReport, ReportTypeUnit, Unit
from services import deadlines, incoming
from services import report_types as rts
from services.errors import ConcurrentEdit, Conflict, ValidationError

TODAY = date(2026, 12, 6)


def _units(db) -> dict[str, int]:  # noqa: ANN001
    with db.session() as s:
        group = Unit(code="G", name="Các sở", is_group=True, owes_reports=False)
        s.add(group)
        s.flush()
        s.add_all([Unit(code="A", name="Đơn vị A", parent_id=group.id), Unit(code="B", name="Đơn vị B"),
                   Unit(code="C", name="Đơn vị C", parent_id=group.id)])
        s.flush()
        return {u.code: u.id for u in s.scalars(select(Unit))}


def _monthly(**kw) -> rts.ReportTypeInput:  # noqa: ANN003
    d = dict(code="BC-THANG", name="Báo cáo tháng", period_kind="month", due_wording="trước ngày 18 hằng tháng",
             due_day=18, due_inclusive=False, start_period="2026-01")
    d.update(kw)
    return rts.ReportTypeInput(**d)


def _last_day(db, unit_id: int, period: str) -> date:  # noqa: ANN001
    with db.session() as s:
        return s.scalar(select(ExpectedReport.last_on_time_day).where(
            ExpectedReport.unit_id == unit_id, ExpectedReport.period == period))


@pytest.mark.parametrize("wording, kind, filt, day, inclusive, offset", [
    ("trước ngày 18 hằng tháng", "month", "", 18, False, 0),
    ("Chậm nhất ngày 18", "month", "", 18, True, 0),
    ("đến hết ngày 18 hằng tháng", "month", "", 18, True, 0),
    ("truoc ngay 15 thang 6", "half", "H1", 15, False, 0),
    ("trước ngày 15 tháng 12 hằng năm", "year", "", 15, False, 0),
    ("chậm nhất vào ngày 05 của tháng sau", "month", "", 5, True, 1),
    ("Trước ngày 20/01 năm sau", "year", "", 20, False, 1),
])
def test_wording_parser(wording: str, kind: str, filt: str, day: int, inclusive: bool, offset: int) -> None:
    rule = rts.suggest_due_rule(wording, kind, filt)
    assert rule is not None
    assert (rule.due_day, rule.inclusive, rule.month_offset) == (day, inclusive, offset)


def test_wording_parser_says_when_it_cannot_read() -> None:
    assert rts.suggest_due_rule("gửi sớm nhất có thể") is None
    assert "ngày 17" in rts.rule_text(18, False) and "hết ngày 18" in rts.rule_text(18, True)


def test_save_generates_and_follows_the_rule(empty_db) -> None:  # noqa: ANN001
    u = _units(empty_db)
    saved = rts.save_report_type(empty_db, _monthly(), today=TODAY)
    # Units A, B, C owe it (the group unit G does not); 2026-01 … 2027-01.
    assert saved.regen.total == 3 * 13
    assert _last_day(empty_db, u["A"], "2026-02") == date(2026, 2, 23)  # 17/02 is mùng 1 Tết
    assert _last_day(empty_db, u["A"], "2026-05") == date(2026, 5, 18)  # 17/05 is a Sunday
    info = rts.list_report_types(empty_db)[0]
    assert info.expected_count == 39 and "ngày 17" in info.rule_text
    # "chậm nhất ngày 18" makes the 18th itself the last day.
    rts.save_report_type(empty_db, _monthly(id=info.id, version=info.version, due_wording="chậm nhất ngày 18",
                                            due_inclusive=True), today=TODAY)
    assert _last_day(empty_db, u["A"], "2026-03") == date(2026, 3, 18)
    with empty_db.session() as s:
        audit_rows = s.scalars(select(AuditLog).where(AuditLog.table_name == "report_type")).all()
        assert [a.action for a in audit_rows] == ["insert", "update"]
        assert "due_inclusive" in audit_rows[1].changes


def test_month_ends_and_leap_years(empty_db) -> None:  # noqa: ANN001
    u = _units(empty_db)
    rts.save_report_type(empty_db, _monthly(due_wording="chậm nhất ngày 30", due_day=30, due_inclusive=True,
                                            start_period="2027-01"), today=date(2028, 3, 1))
    assert _last_day(empty_db, u["B"], "2028-02") == date(2028, 2, 29)  # leap year: the 29th, a Tuesday
    assert _last_day(empty_db, u["B"], "2027-02") == date(2027, 3, 1)  # 28/02/2027 is a Sunday
    assert _last_day(empty_db, u["B"], "2027-09") == date(2027, 9, 30)  # month with 30 days, a Thursday
    # 30/04 and 01/05 are holidays, 01/05 falls on Saturday so Monday 03/05 is nghỉ bù.
    assert _last_day(empty_db, u["B"], "2027-04") == date(2027, 5, 4)
    with empty_db.session() as s:
        e = s.scalar(select(ExpectedReport).where(ExpectedReport.unit_id == u["B"], ExpectedReport.period == "2028-02"))
        assert (e.window_start, e.window_end) == (date(2028, 1, 15), date(2028, 2, 14))


def test_last_day_in_tet_2027(empty_db) -> None:  # noqa: ANN001
    u = _units(empty_db)
    rts.save_report_type(empty_db, _monthly(due_wording="trước ngày 06 hằng tháng", due_day=6,
                                            start_period="2027-01"), today=date(2027, 3, 1))
    # 05/02/2027 is giao thừa; Tết runs to the 10th → Thursday 11/02.
    assert _last_day(empty_db, u["A"], "2027-02") == date(2027, 2, 11)


def test_stand_in_is_a_setting(empty_db) -> None:  # noqa: ANN001
    _units(empty_db)
    m = rts.save_report_type(empty_db, _monthly(), today=TODAY)
    h = rts.save_report_type(empty_db, rts.ReportTypeInput(
        code="BC-6T", name="Báo cáo 6 tháng", period_kind="half", period_filter="h1", due_day=15,
        due_wording="trước ngày 15 tháng 6", stands_in_for_id=m.id, start_period="2026-01"), today=TODAY)

    def periods() -> set[str]:
        with empty_db.session() as s:
            return set(s.scalars(select(ExpectedReport.period)))

    assert "2026-06" not in periods() and "2026-H1" in periods()
    info = rts.get_report_type(empty_db, h.id)
    assert info.period_filter == "H1" and "Thay cho báo cáo tháng" in info.stand_in_text
    data = info.to_input()
    data.stand_in_enabled = False
    rts.save_report_type(empty_db, data, today=TODAY)
    assert "2026-06" in periods()
    assert "tắt" in rts.get_report_type(empty_db, h.id).stand_in_text


def test_owed_by_a_group_and_regeneration_keeps_links(empty_db) -> None:  # noqa: ANN001
    u = _units(empty_db)
    saved = rts.save_report_type(empty_db, _monthly(), today=TODAY)
    reg = incoming.register(empty_db, incoming.NewIncoming(unit_id=u["B"], period="2026-03",
                                                           received_date=date(2026, 3, 16)))
    info = rts.get_report_type(empty_db, saved.id)
    data = info.to_input()
    data.owed_by_all, data.unit_ids = False, [u["G"]]
    res = rts.save_report_type(empty_db, data, today=TODAY).regen
    with empty_db.session() as s:
        owing = set(s.scalars(select(ExpectedReport.unit_id).where(ExpectedReport.obsolete.is_(False))))
        assert owing == {u["A"], u["C"]}  # members of the group
        kept = s.get(ExpectedReport, reg.expected_report_id)
        assert kept is not None and kept.obsolete  # B's received report keeps its link
        assert s.scalar(select(IncomingReport.expected_report_id)) == reg.expected_report_id
        assert list(s.scalars(select(ReportTypeUnit.unit_id))) == [u["G"]]
    assert res.kept_obsolete == 1 and res.removed == 12


def test_validation_lists_every_problem(empty_db) -> None:  # noqa: ANN001
    _units(empty_db)
    rts.save_report_type(empty_db, _monthly(), today=TODAY)
    with pytest.raises(ValidationError) as e:
        rts.save_report_type(empty_db, rts.ReportTypeInput(
            code="bc-thang", name="", period_kind="month", period_filter="H1", due_day=40, cutoff_day=30,
            start_period="2026-13", owed_by_all=False), today=TODAY)
    fields = {p.extra["field"] for p in e.value.problems}
    assert fields == {"Mã", "Tên", "Ngày chốt số liệu", "Ngày hạn", "Kỳ bắt đầu", "Chỉ các kỳ", "Đơn vị phải nộp"}
    assert len(rts.list_report_types(empty_db)) == 1  # nothing written


def test_version_check_and_delete_rules(empty_db) -> None:  # noqa: ANN001
    u = _units(empty_db)
    saved = rts.save_report_type(empty_db, _monthly(), today=TODAY)
    info = rts.get_report_type(empty_db, saved.id)
    rts.save_report_type(empty_db, info.to_input(), today=TODAY)  # unchanged: version stays
    changed = info.to_input()
    changed.name = "Báo cáo hằng tháng"
    rts.save_report_type(empty_db, changed, today=TODAY)
    with pytest.raises(ConcurrentEdit):
        rts.save_report_type(empty_db, info.to_input(), today=TODAY)  # stale form
    fresh = rts.get_report_type(empty_db, saved.id)
    incoming.register(empty_db, incoming.NewIncoming(unit_id=u["A"], period="2026-04"))
    with pytest.raises(Conflict):
        rts.delete_report_type(empty_db, fresh.id, fresh.version, today=TODAY)
    other = rts.save_report_type(empty_db, _monthly(code="BC-Q", name="Báo cáo quý", period_kind="quarter"),
                                 today=TODAY)
    q = rts.get_report_type(empty_db, other.id)
    rts.delete_report_type(empty_db, q.id, q.version, today=TODAY)
    with empty_db.session() as s:
        assert not s.scalar(select(ExpectedReport.id).where(ExpectedReport.report_type_id == q.id))
    assert [t.code for t in rts.list_report_types(empty_db)] == ["BC-THANG"]


def test_preview_shows_window_and_shifted_deadline(empty_db) -> None:  # noqa: ANN001
    rows = deadlines.preview(empty_db, _monthly(), date(2026, 1, 10), count=3)
    assert [r.period for r in rows] == ["2026-01", "2026-02", "2026-03"]
    feb = rows[1]
    assert (feb.window_start, feb.window_end) == (date(2026, 1, 15), date(2026, 2, 14))
    assert (feb.nominal_due, feb.last_on_time_day) == (date(2026, 2, 17), date(2026, 2, 23))


def test_year_deadlines_cover_the_whole_year(demo_db) -> None:  # noqa: ANN001
    rows = deadlines.year_deadlines(demo_db, 2027)
    # 32 reporting units × (10 months + the six-month report + the annual report).
    assert len(rows) == 32 * 12
    assert {r.period for r in rows} >= {"2027-02", "2027-H1", "2027"} and "2027-06" not in {r.period for r in rows}
    feb = next(r for r in rows if r.period == "2027-02")
    assert feb.last_on_time_day == date(2027, 2, 17) and feb.due_wording == "trước ngày 18 hằng tháng"
