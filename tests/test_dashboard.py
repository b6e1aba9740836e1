"""Dashboard figures on the demo: the current period (2026-11) and a past one (2025-09),
checked against plain SQL, plus deadlines ahead, overdue tasks and the chart series."""
from __future__ import annotations

import sqlite3
from datetime import date

from services import dashboard as dash
from services import timeliness as tl

TODAY = date(2026, 12, 6)


def _one(path, q: str):  # noqa: ANN001, ANN202
    con = sqlite3.connect(path)
    try:
        return con.execute(q).fetchone()
    finally:
        con.close()


def test_default_period_and_choices(demo_db) -> None:  # noqa: ANN001
    assert dash.default_period(demo_db, TODAY) == "2026-11"  # its data window closed on 14/11
    labels = {c.month_key: c.label for c in dash.period_choices(demo_db)}
    assert labels["2026-06"] == "Tháng 6/2026 — 6 tháng đầu năm 2026"
    assert labels["2026-12"] == "Tháng 12/2026 — năm 2026" and labels["2025-09"] == "Tháng 9/2025"


def test_current_period_figures(demo_db) -> None:  # noqa: ANN001
    d = dash.dashboard(demo_db, "2026-11", TODAY)
    assert d.counts == tl.StatusCounts(total=32, on_time=29, late=1, missing=2, not_due=0, excused=0)
    assert tl.percent(d.counts.completeness) == "93,8%" and tl.percent(d.counts.timeliness) == "90,6%"
    assert [(r.unit_code, r.days) for r in d.missing] == [("UBND-GL", 19), ("UBND-NG", 19)]
    assert [(r.unit_code, r.days) for r in d.late] == [("HCCB", 4)]
    assert "17/11/2026" in d.deadline_text and "trước ngày 18" in d.deadline_text
    # Same figures by hand (sqlite3): received reports of November linked to its expected reports.
    received, on_time = _one(demo_db.path, """
        SELECT COUNT(DISTINCT e.id), COUNT(DISTINCT CASE WHEN r.received_date <= e.last_on_time_day THEN e.id END)
        FROM expected_report e JOIN incoming_report r ON r.expected_report_id = e.id
        WHERE e.month_key = '2026-11'""")
    assert (received, on_time) == (d.counts.received, d.counts.on_time)
    # Annual report due Monday 14/12 is the only deadline in the next 14 days.
    assert [(u.day, u.period, u.owed, u.received) for u in d.upcoming] == [(date(2026, 12, 14), "2026", 32, 0)]
    assert {(t.task_code, t.unit_code) for t in d.overdue_tasks} == {
        ("DEMO.4", "SNV"), ("DEMO.4", "VPUBND"), ("DEMO.7", "SKHCN")}
    assert d.history_keys[-1] == "2026-11" and len(d.by_period) == 12 == len(d.history_keys)
    assert len(d.by_unit) == 32
    assert sum(u.missing for u in d.by_unit) == sum(r.counts.missing for r in d.by_period)


def test_past_period_figures(demo_db) -> None:  # noqa: ANN001
    d = dash.dashboard(demo_db, "2025-09", TODAY)
    assert d.counts == tl.StatusCounts(total=32, on_time=29, late=2, missing=1, not_due=0, excused=0)
    total, late = _one(demo_db.path, """
        SELECT COUNT(*), SUM((SELECT MIN(received_date) FROM incoming_report r WHERE r.expected_report_id = e.id)
                             > e.last_on_time_day)
        FROM expected_report e WHERE e.month_key = '2025-09'""")
    assert (total, late) == (32, 2)
    assert d.history_keys[0] == "2025-03" and d.history_keys[-1] == "2025-09"  # the plan started in March 2025
    groups = {r.key: r.counts for r in d.by_group}
    # Đoàn thể: 6 units, MTTQ missing and HCCB late → 5/6 received, 4/6 on time.
    assert (groups["Đoàn thể"].total, groups["Đoàn thể"].received, groups["Đoàn thể"].on_time) == (6, 5, 4)
    assert sum(c.total for c in groups.values()) == 32
    assert d.by_period[-1].counts == d.counts


def test_not_yet_due_period(demo_db) -> None:  # noqa: ANN001
    d = dash.dashboard(demo_db, "2026-12", TODAY)
    assert d.counts.not_due == 32 and d.counts.completeness is None and d.missing == ()
