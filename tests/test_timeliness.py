"""Timeliness statuses and rates: the rule, the edge days, excused reports, and the demo
figures checked against plain SQL."""
from __future__ import annotations

import sqlite3
from datetime import date

from sqlalchemy import select

from models import ExpectedReport, Unit
from services import incoming, tracking
from services import report_types as rts
from services import timeliness as tl

TODAY = date(2026, 12, 6)


def test_status_rule_on_the_edges() -> None:
    last = date(2026, 11, 17)
    assert tl.status_of(False, last, last, TODAY) == tl.ON_TIME  # received on the last on-time day itself
    assert tl.status_of(False, date(2026, 11, 18), last, TODAY) == tl.LATE
    assert tl.status_of(False, None, last, last) == tl.NOT_DUE  # the last day is still open
    assert tl.status_of(False, None, last, date(2026, 11, 18)) == tl.MISSING
    assert tl.status_of(True, None, last, TODAY) == tl.EXCUSED
    assert tl.status_of(False, date(2026, 11, 20), last, date(2026, 11, 19)) == tl.MISSING  # not yet received then
    assert tl.status_text(tl.LATE, date(2026, 11, 20), last, TODAY) == "Trễ hạn 3 ngày"
    assert tl.status_text(tl.NOT_DUE, None, last, date(2026, 11, 15)) == "Chưa đến hạn (còn 2 ngày)"
    assert tl.percent(29 / 32) == "90,6%" and tl.percent(1.0) == "100%" and tl.percent(None) == "—"


def _setup(db) -> dict[str, int]:  # noqa: ANN001
    with db.session() as s:
        s.add_all([Unit(code=c, name=f"Đơn vị {c}", group="Sở" if c < "C" else "Huyện") for c in "ABCD"])
    rts.save_report_type(db, rts.ReportTypeInput(code="M", name="Báo cáo tháng", due_day=18,
                                                 due_wording="trước ngày 18 hằng tháng", start_period="2026-10"),
                         today=date(2026, 11, 20))
    with db.session() as s:
        return {u.code: u.id for u in s.scalars(select(Unit))}


def test_counts_rates_and_excused_left_out(empty_db) -> None:  # noqa: ANN001
    u = _setup(empty_db)
    # November 2026: last on-time day Tuesday 17/11.
    incoming.register(empty_db, incoming.NewIncoming(unit_id=u["A"], period="2026-11", received_date=date(2026, 11, 17)))
    incoming.register(empty_db, incoming.NewIncoming(unit_id=u["B"], period="2026-11", received_date=date(2026, 11, 19)))
    with empty_db.session() as s:
        d_id = s.scalar(select(ExpectedReport.id).where(ExpectedReport.unit_id == u["D"],
                                                        ExpectedReport.period == "2026-11"))
    incoming.excuse(empty_db, [d_id], "Đơn vị đang sáp nhập")
    c = tl.counts(empty_db, date(2026, 11, 20), ["2026-11"])
    assert (c.total, c.on_time, c.late, c.missing, c.excused, c.not_due) == (4, 1, 1, 1, 1, 0)
    assert c.judged == 3 and c.completeness == 2 / 3 and c.timeliness == 1 / 3
    # On the last day itself nothing is missing yet: C is "chưa đến hạn" and left out.
    c17 = tl.counts(empty_db, date(2026, 11, 17), ["2026-11"])
    assert (c17.on_time, c17.not_due, c17.late) == (1, 2, 0) and c17.completeness == 1.0
    # December 2026 is not due yet: no rate to give.
    dec = tl.counts(empty_db, date(2026, 11, 20), ["2026-12"])
    assert dec.not_due == 4 and dec.completeness is None
    groups = {r.key: r.counts for r in tl.rates_by(empty_db, date(2026, 11, 20), "group", ["2026-11"])}
    assert groups["Sở"].received == 2 and groups["Huyện"].missing == 1 and groups["Huyện"].excused == 1
    units = {r.key: r.counts for r in tl.rates_by(empty_db, date(2026, 11, 20), "unit", ["2026-10", "2026-11"])}
    assert units["A"].timeliness == 0.5 and units["D"].judged == 1  # October missing, November excused
    status = tl.unit_report_status(empty_db, date(2026, 11, 20))
    assert status["B"]["tre_han"] == 1 and status["B"]["completeness"] == 0.5
    assert status["D"]["mien"] == 1 and status["D"]["completeness"] == 0.0
    incoming.unexcuse(empty_db, [d_id])
    assert tl.counts(empty_db, date(2026, 11, 20), ["2026-11"]).missing == 2


def test_follow_up_list_filters_and_sorts(demo_db) -> None:  # noqa: ANN001
    f = tracking.ReportFilter(month_key="2026-11")
    assert len(tracking.list_ids(demo_db, f, TODAY)) == 32
    missing = tracking.rows(demo_db, tracking.ReportFilter(month_key="2026-11", status=tl.MISSING), TODAY)
    assert {r.unit_code for r in missing} == {"UBND-GL", "UBND-NG"}
    assert all(r.days == 19 and r.contact for r in missing)
    # Diacritic-free search inside summaries: "hoi nghi" matches "hội nghị".
    hits = tracking.rows(demo_db, tracking.ReportFilter(month_key="2026-11", query="hoi nghi"), TODAY)
    assert hits and all("hội nghị" in r.summary for r in hits)
    june = tracking.rows(demo_db, tracking.ReportFilter(month_key="2026-06"), TODAY)
    assert {r.period for r in june} == {"2026-H1"}  # the six-month report stands in for June
    by_received = tracking.rows(demo_db, f, TODAY, sort="received_date", descending=True)
    got = [r.received_date for r in by_received if r.received_date]
    assert got == sorted(got, reverse=True)


def _sql(path, q: str) -> list[tuple]:  # noqa: ANN001
    con = sqlite3.connect(path)
    try:
        return con.execute(q).fetchall()
    finally:
        con.close()


def test_demo_figures_match_plain_sql(demo_db) -> None:  # noqa: ANN001
    """2026-11 and 2025-09 counted independently with sqlite3."""
    q = """
        SELECT e.month_key,
               COUNT(*),
               SUM(r.first IS NOT NULL AND r.first <= e.last_on_time_day),
               SUM(r.first IS NOT NULL AND r.first > e.last_on_time_day),
               SUM(r.first IS NULL AND e.last_on_time_day < '2026-12-06')
        FROM expected_report e
        LEFT JOIN (SELECT expected_report_id AS eid, MIN(received_date) AS first FROM incoming_report
                   WHERE received_date <= '2026-12-06' GROUP BY expected_report_id) r ON r.eid = e.id
        WHERE e.month_key IN ('2026-11', '2025-09') AND NOT e.obsolete AND NOT e.excused
        GROUP BY e.month_key"""
    for mk, total, on_time, late, missing in _sql(demo_db.path, q):
        c = tl.counts(demo_db, TODAY, [mk])
        assert (c.total, c.on_time, c.late, c.missing) == (total, on_time, late, missing)
    assert tl.counts(demo_db, TODAY, ["2026-11"]) == tl.StatusCounts(32, 29, 1, 2, 0, 0)
    assert tl.counts(demo_db, TODAY, ["2025-09"]) == tl.StatusCounts(32, 29, 2, 1, 0, 0)
