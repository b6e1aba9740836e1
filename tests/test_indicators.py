"""Indicator catalogue, value entry with sources and audit, comparison semantics (ranks
included), qualitative statuses and target progress on the demo."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from models import AuditLog, IncomingReport, IndicatorValue, Unit
from services import aggregates as ag
from services import indicators as si
from services import targets as tg
from services.errors import ConcurrentEdit, Conflict, ValidationError


def _unit(db, code: str) -> int:  # noqa: ANN001
    with db.session() as s:
        return s.scalars(select(Unit.id).where(Unit.code == code)).one()


def _audit(db, table: str, row_id: int) -> list[tuple[str, dict]]:  # noqa: ANN001
    with db.session() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.table_name == table, AuditLog.row_id == row_id)
                         .order_by(AuditLog.id)).all()
        return [(r.action, json.loads(r.changes)) for r in rows]


# ---- comparison semantics -----------------------------------------------------------------------

@pytest.mark.parametrize(("value", "comparison", "target", "met"), [
    (12, ">=", 12, True), (11.9, ">=", 12, False), (12, ">", 12, False), (12.1, ">", 12, True),
    (0.1 + 0.2, ">=", 0.3, True),  # float rounding does not fail a target
    (0.1 + 0.2, ">", 0.3, False), (0.1 + 0.2, "=", 0.3, True), (1, "=", 0.3, False),
    # ranks: "top 20" is rank ≤ 20, smaller is better
    (18, "<=", 20, True), (20, "<=", 20, True), (24, "<=", 20, False), (20, "<", 20, False), (19, "<", 20, True),
])
def test_compare(value, comparison, target, met) -> None:  # noqa: ANN001
    assert tg.compare(value, comparison, target) is met


def test_status_gap_and_percent() -> None:
    assert tg.evaluate(24, "<=", 20) == tg.NOT_MET and tg.evaluate(18, "<=", 20) == tg.MET
    assert tg.evaluate(None, ">=", 30) == tg.WATCHING  # no figure yet
    # Qualitative targets keep the assessed status; unassessed ones are being watched.
    assert tg.evaluate(None, "", None, "dat") == tg.MET
    assert tg.evaluate(5, "", None, "chua_dat") == tg.NOT_MET
    assert tg.evaluate(None, "", None, "") == tg.WATCHING
    assert tg.gap(24, "<=", 20) == 4 and tg.gap(18, "<=", 20) == 0
    assert tg.gap(11.1, ">=", 12) == pytest.approx(0.9) and tg.gap(5, "=", 5) is None
    assert tg.percent(21, ">=", 30) == pytest.approx(70) and tg.percent(24, "<=", 20) is None
    assert tg.is_rank("thứ hạng trong cả nước") and tg.is_rank("Xếp hạng") and not tg.is_rank("%")


# ---- target progress on the demo ----------------------------------------------------------------

def test_every_2030_target_has_its_latest_value_and_status(demo_db) -> None:  # noqa: ANN001
    rows = tg.target_progress(demo_db, 2030)
    assert [r.code for r in rows] == [f"T2030-{n:02d}" for n in range(1, 27)]
    by = {r.code: r for r in rows}
    rank = by["T2030-01"]
    assert rank.rank and rank.target_text == "≤ 20 (thứ hạng trong cả nước)"
    assert (rank.latest_period, rank.latest_value, rank.status, rank.gap) == ("2026", 24, tg.NOT_MET, 4)
    assert [(t.period, t.value) for t in rank.trend] == [("2025", 28), ("2026", 24)]
    assert (by["T2030-26"].latest_value, by["T2030-26"].status) == (1, tg.MET)
    assert (by["T2030-07"].latest_value, by["T2030-07"].status, by["T2030-07"].percent) == (21, tg.NOT_MET, 70)
    assert by["T2030-21"].qualitative and by["T2030-21"].status == tg.MET  # assessed in the demo
    assert by["T2030-02"].status == tg.WATCHING and by["T2030-02"].latest_value is None
    assert tg.status_counts(rows) == {tg.MET: 2, tg.NOT_MET: 11, tg.WATCHING: 13}
    assert [r.code for r in tg.target_progress(demo_db, 2045)] == ["T2045-01", "T2045-02", "T2045-03", "T2045-04"]


def test_new_figure_and_assessment_change_progress(demo_db) -> None:  # noqa: ANN001
    rows = {r.code: r for r in tg.target_progress(demo_db, 2030)}
    si.set_value(demo_db, rows["T2030-01"].indicator_id, None, "2027", 18, user="tester")
    t01 = tg.target_progress(demo_db, indicator_ids=[rows["T2030-01"].indicator_id])[0]
    assert (t01.latest_period, t01.latest_value, t01.status) == ("2027", 18, tg.MET)
    q = rows["T2030-18"]
    si.set_status(demo_db, q.indicator_id, tg.NOT_MET, "Còn 3 xã chưa phủ sóng 5G.", q.version)
    after = tg.target_progress(demo_db, indicator_ids=[q.indicator_id])[0]
    assert (after.status, after.status_note) == (tg.NOT_MET, "Còn 3 xã chưa phủ sóng 5G.")
    with pytest.raises(ConcurrentEdit):  # the form read the old version
        si.set_status(demo_db, q.indicator_id, tg.MET, "", q.version)
    with pytest.raises(ValidationError):
        si.set_status(demo_db, q.indicator_id, "xong", "", after.version)


def test_sorting_targets_by_status_keeps_missing_values_last(demo_db) -> None:  # noqa: ANN001
    rows = tg.target_progress(demo_db, 2030, sort="latest_value", descending=True)
    values = [r.latest_value for r in rows]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True) and values[len(present):] == [None] * (len(values) - len(present))
    by_status = [r.status for r in tg.target_progress(demo_db, 2030, sort="status_label")]
    assert by_status[0] == tg.NOT_MET and by_status[-1] == tg.MET


# ---- catalogue ------------------------------------------------------------------------------------

def test_catalogue_create_edit_delete_with_version_and_audit(demo_db) -> None:  # noqa: ANN001
    new = si.save_indicator(demo_db, si.IndicatorData(code=" hd-video ", name="Video  tuyên truyền",
                                                      uom="video", aggregation="sum", family="activity"))
    assert new.code == "HD-VIDEO" and new.version == 1
    assert [r.code for r in si.list_indicators(demo_db, query="video tuyen")] == ["HD-VIDEO"]
    edited = si.save_indicator(demo_db, replace(new, name="Video tuyên truyền trên mạng", target_value=100,
                                                comparison=">=", target_year=2026))
    assert edited.version == 2
    with pytest.raises(ConcurrentEdit):
        si.save_indicator(demo_db, replace(new, name="Ghi đè"))  # version 1 is stale
    actions = _audit(demo_db, "indicator", new.id)
    assert [a for a, _c in actions] == ["insert", "update"]
    assert actions[1][1]["name"] == ["Video  tuyên truyền", "Video tuyên truyền trên mạng"]
    # A targeted activity indicator shows up in target progress (yearly sum so far).
    si.set_value(demo_db, new.id, _unit(demo_db, "SNV"), "2026-03", 40)
    si.set_value(demo_db, new.id, _unit(demo_db, "BHD"), "2026-04", 70)
    prog = tg.target_progress(demo_db, indicator_ids=[new.id])[0]
    assert (prog.latest_value, prog.status) == (110, tg.MET)
    with pytest.raises(Conflict, match="2 số liệu"):
        si.delete_indicator(demo_db, new.id, edited.version)
    si.clear_value(demo_db, new.id, _unit(demo_db, "SNV"), "2026-03")
    si.clear_value(demo_db, new.id, _unit(demo_db, "BHD"), "2026-04")
    si.delete_indicator(demo_db, new.id, edited.version)
    assert si.list_indicators(demo_db, query="video") == []
    assert _audit(demo_db, "indicator", new.id)[-1][0] == "delete"


def test_catalogue_validation_lists_every_problem(demo_db) -> None:  # noqa: ANN001
    bad = si.IndicatorData(code="HD-TIN", name="", aggregation="median", target_value=20,
                           comparison=">=", uom="thứ hạng", target_year=1990)
    with pytest.raises(ValidationError) as e:
        si.save_indicator(demo_db, bad)
    columns = {p.column for p in e.value.problems}
    assert columns == {"Mã", "Tên", "Cách tổng hợp", "So sánh", "Năm mục tiêu"}
    assert any("tốp 20" in p.message for p in e.value.problems)  # ranks need ≤
    with pytest.raises(ValidationError, match="phép so sánh"):
        si.save_indicator(demo_db, si.IndicatorData(code="X1", name="X", target_value=3))


def test_list_indicators_sorts_in_sql(demo_db) -> None:  # noqa: ANN001
    rows = si.list_indicators(demo_db, family="activity", sort="values_count", descending=True)
    assert len(rows) == 6 and all(r.family == "activity" for r in rows)
    assert rows[0].values_count == 647
    names = [r.code for r in si.list_indicators(demo_db, sort="code", descending=True)]
    assert names == sorted(names, reverse=True)


# ---- values ---------------------------------------------------------------------------------------

def test_values_by_hand_are_audited_old_to_new_with_source(demo_db) -> None:  # noqa: ANN001
    tin = si.list_indicators(demo_db, query="HD-TIN")[0].id
    snv = _unit(demo_db, "SNV")
    before = ag.value(demo_db, "HD-TIN", "2026-12")
    saved = si.set_values(demo_db, [si.ValueEntry(tin, snv, "2026-12", 7)], user="lan")
    assert (saved.inserted, saved.changed) == (1, 1)
    row = si.list_values(demo_db, indicator_id=tin, unit_id=snv, period="2026-12")[0]
    assert (row.value, row.source, row.source_label, row.incoming_report_id) == (7, "user:lan", "Nhập tay (lan)", None)
    assert ag.value(demo_db, "HD-TIN", "2026-12") == (before or 0) + 7
    again = si.set_values(demo_db, [si.ValueEntry(tin, snv, "2026-12", 9, check=True, old=7)], user="lan")
    assert again.updated == 1
    si.clear_value(demo_db, tin, snv, "2026-12", user="lan")
    actions = _audit(demo_db, "indicator_value", row.id)
    assert [a for a, _c in actions] == ["insert", "update", "delete"]
    assert actions[1][1]["value"] == [7, 9] and actions[2][1]["value"] == [9, None]
    assert actions[0][1]["indicator"] == [None, "HD-TIN"] and actions[0][1]["period"] == [None, "2026-12"]


def test_value_overwriting_a_report_keeps_who_and_refuses_stale_forms(demo_db) -> None:  # noqa: ANN001
    with demo_db.session() as s:
        v = s.scalars(select(IndicatorValue).where(IndicatorValue.source.like("report:%"))
                      .order_by(IndicatorValue.id)).first()
        ind, unit, period, old, source = v.indicator_id, v.unit_id, v.period, v.value, v.source
    assert si.list_values(demo_db, indicator_id=ind, unit_id=unit, period=period)[0].source_label.startswith("Báo cáo ")
    with pytest.raises(ConcurrentEdit):  # the form showed another value
        si.set_values(demo_db, [si.ValueEntry(ind, unit, period, old + 5, check=True, old=old + 1)], user="an")
    si.set_values(demo_db, [si.ValueEntry(ind, unit, period, old + 5, check=True, old=old)], user="an")
    row = si.list_values(demo_db, indicator_id=ind, unit_id=unit, period=period)[0]
    assert (row.value, row.source, row.incoming_report_id) == (old + 5, "user:an", None)
    assert _audit(demo_db, "indicator_value", row.id)[-1][1]["source"] == [source, "user:an"]


def test_values_from_a_report_are_linked_to_it(demo_db) -> None:  # noqa: ANN001
    with demo_db.session() as s:
        rep = s.scalars(select(IncomingReport).order_by(IncomingReport.id.desc())).first()
        rep_id, unit, doc = rep.id, rep.unit_id, rep.doc_number
    pano = si.list_indicators(demo_db, query="HD-PANO")[0].id
    si.set_values(demo_db, [si.ValueEntry(pano, unit, "2027-01", 12)], source=f"report:{rep_id}")
    row = si.list_values(demo_db, indicator_id=pano, unit_id=unit, period="2027-01")[0]
    assert (row.incoming_report_id, row.source_label) == (rep_id, f"Báo cáo {doc}")


def test_bad_values_change_nothing_and_say_where(demo_db) -> None:  # noqa: ANN001
    tin = si.list_indicators(demo_db, query="HD-TIN")[0].id
    rank = si.list_indicators(demo_db, query="T2030-01")[0].id
    snv, group = _unit(demo_db, "SNV"), _unit(demo_db, "UBNDH")
    entries = [si.ValueEntry(tin, snv, "2027-02", 5),  # fine on its own
               si.ValueEntry(tin, snv, "2027-03", -1),
               si.ValueEntry(tin, group, "2027-02", 5),
               si.ValueEntry(rank, None, "2027", 0),
               si.ValueEntry(tin, snv, "2027-13", 1)]
    with pytest.raises(ValidationError) as e:
        si.set_values(demo_db, entries, user="an")
    assert [(p.row, p.column) for p in e.value.problems] == [(2, "HD-TIN"), (3, "HD-TIN"), (4, "T2030-01"),
                                                               (5, "HD-TIN")]
    assert "đơn vị nhóm" in e.value.problems[1].message and "Thứ hạng" in e.value.problems[2].message
    assert si.list_values(demo_db, indicator_id=tin, unit_id=snv, period="2027-02") == []  # all or nothing
