"""services.aggregates: aggregation rules, period roll-ups, whole-period values, group and
province roll-ups, tables with totals — on a small hand-made database and on the demo
(checked against raw sqlite3)."""
from __future__ import annotations

import sqlite3
from collections import defaultdict

import pytest
from sqlalchemy import event, select

from models import Indicator, IndicatorValue, Unit
from services import aggregates as ag
from services.errors import ValidationError
from services.periods import Period

# unit code → {month: value}; the same figures are stored for every aggregation.
DATA = {
    "A": {"2025-01": 10, "2025-02": 30, "2025-04": 20, "2025-12": 5},
    "B": {"2025-01": 1, "2025-03": 2, "2025-06": 3},
    "C": {"2025-02": 100},
}


@pytest.fixture()
def small(empty_db):
    """Group G with members A and B; C stands alone. One indicator per aggregation."""
    with empty_db.session() as s:
        g = Unit(code="G", name="Nhóm G", is_group=True, owes_reports=False, group="Sở, ban, ngành", sort_order=1)
        s.add(g)
        s.flush()
        units = {"G": g}
        for n, (code, group, parent) in enumerate([("A", "Sở, ban, ngành", g.id), ("B", "UBND cấp huyện", g.id),
                                                   ("C", "Khác", None)], start=2):
            units[code] = Unit(code=code, name=f"Đơn vị {code}", group=group, parent_id=parent, sort_order=n)
            s.add(units[code])
        s.flush()
        for agg in ag.AGGREGATIONS:
            ind = Indicator(code=f"X-{agg}", name=f"Chỉ tiêu {agg}", aggregation=agg, family="activity")
            s.add(ind)
            s.flush()
            for code, months in DATA.items():
                for month, v in months.items():
                    s.add(IndicatorValue(indicator_id=ind.id, unit_id=units[code].id, period=month, value=v))
        ids = {code: u.id for code, u in units.items()}
    return empty_db, ids


def _add(db, code: str, agg: str, rows: list[tuple[int | None, str, float]]) -> None:  # noqa: ANN001
    with db.session() as s:
        ind = Indicator(code=code, name=code, aggregation=agg, family="target")
        s.add(ind)
        s.flush()
        for unit_id, period, v in rows:
            s.add(IndicatorValue(indicator_id=ind.id, unit_id=unit_id, period=period, value=v))


@pytest.mark.parametrize(("agg", "unit", "period", "expected"), [
    # sum: months add up inside any period kind
    ("sum", "A", "2025-Q1", 40), ("sum", "A", "2025-Q2", 20), ("sum", "A", "2025-H1", 60),
    ("sum", "A", "2025-9M", 60), ("sum", "A", "2025", 65), ("sum", "A", "2025-02", 30),
    # mean: mean of the months that have a value
    ("mean", "A", "2025-Q1", 20), ("mean", "A", "2025", 16.25),
    # max: the largest month
    ("max", "A", "2025-Q1", 30), ("max", "A", "2025", 30),
    # latest: the latest month with a value (not the latest entered)
    ("latest", "A", "2025-Q1", 30), ("latest", "A", "2025-H1", 20), ("latest", "A", "2025", 5),
    ("latest", "B", "2025", 3),
    # nothing reported
    ("sum", "A", "2025-Q3", None), ("latest", "C", "2024", None),
])
def test_unit_figures_follow_the_aggregation(small, agg, unit, period, expected) -> None:  # noqa: ANN001
    db, ids = small
    assert ag.value(db, f"X-{agg}", period, ids[unit]) == expected


@pytest.mark.parametrize(("agg", "period", "group", "province"), [
    ("sum", "2025-Q1", 43, 143), ("sum", "2025", 71, 171),
    ("mean", "2025-Q1", (20 + 1.5) / 2, (20 + 1.5 + 100) / 3),  # mean of the unit figures
    ("max", "2025-Q1", 30, 100),
    ("latest", "2025-Q1", 30 + 2, 30 + 2 + 100),  # each unit's latest month, added up
    ("latest", "2025", 5 + 3, 5 + 3 + 100),
])
def test_groups_and_province_roll_units_up(small, agg, period, group, province) -> None:  # noqa: ANN001
    db, ids = small
    assert ag.value(db, f"X-{agg}", period, ids["G"]) == pytest.approx(group)
    assert ag.value(db, f"X-{agg}", period) == pytest.approx(province)


def test_value_stored_for_the_whole_period_wins_over_its_months(small) -> None:  # noqa: ANN001
    db, ids = small
    a = ids["A"]
    _add(db, "D-SUM", "sum", [(a, "2025-01", 10), (a, "2025-02", 20), (a, "2025", 500)])
    _add(db, "D-LAST", "latest", [(a, "2025-06", 7), (a, "2025-H1", 9)])
    assert ag.value(db, "D-SUM", "2025", a) == 500  # the annual figure, not 30
    assert ag.value(db, "D-SUM", "2025-Q1", a) == 30  # the quarter still rolls up months
    assert ag.value(db, "D-LAST", "2025-H1", a) == 9  # direct value beats June on the same end month
    assert ag.value(db, "D-LAST", "2025-Q2", a) == 7
    # A half-year value is not used for the year (only months or a value for the year itself).
    assert ag.value(db, "D-LAST", "2025", a) == 7
    # A table's total rolls up what its columns show.
    t = ag.unit_period_table(db, "D-SUM", ag.table_periods("quarter", 2025), group_id=ids["G"])
    row = next(r for r in t.rows if r.code == "A")
    assert row.values == (30, None, None, None) and row.total == 30


def test_province_figure_takes_precedence_over_the_units(small) -> None:  # noqa: ANN001
    db, ids = small
    _add(db, "P", "latest", [(None, "2025", 50), (ids["A"], "2025-03", 3), (ids["C"], "2024-11", 4)])
    assert ag.value(db, "P", "2025") == 50
    assert ag.value(db, "P", "2025", ids["A"]) == 3
    assert ag.value(db, "P", "2024") == 4  # no province figure for 2024: the units roll up
    assert [(p.period, p.value) for p in ag.trend(db, "P")] == [("2024", 4), ("2025", 50)]


def test_unit_period_table_with_totals(small) -> None:  # noqa: ANN001
    db, ids = small
    periods = ag.table_periods("quarter", 2025)
    t = ag.unit_period_table(db, "X-sum", periods)
    assert t.periods == ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")
    assert t.labels == ("Quý I/2025", "Quý II/2025", "Quý III/2025", "Quý IV/2025")
    rows = {r.code: (r.values, r.total) for r in t.rows}
    assert rows == {"A": ((40, 20, None, 5), 65), "B": ((3, 3, None, None), 6), "C": ((100, None, None, None), 100)}
    assert t.totals.values == (143, 23, None, 5) and t.totals.total == 171
    assert t.province is None

    groups = ag.unit_period_table(db, "X-sum", periods, ag.ROWS_GROUP)
    assert {r.code: (r.values, r.total) for r in groups.rows} == {
        "G": ((43, 23, None, 5), 71), "C": ((100, None, None, None), 100)}
    assert groups.totals.total == 171

    cats = ag.unit_period_table(db, "X-sum", periods, ag.ROWS_CATEGORY)
    assert {r.name: r.total for r in cats.rows} == {"Khác": 100, "Sở, ban, ngành": 65, "UBND cấp huyện": 6}

    members = ag.unit_period_table(db, "X-latest", periods, group_id=ids["G"])
    assert [r.code for r in members.rows] == ["A", "B"]
    assert members.totals.values == (30 + 2, 20 + 3, None, 5) and members.totals.total == 5 + 3

    by_total = ag.unit_period_table(db, "X-sum", periods, sort="total", descending=True)
    assert [r.code for r in by_total.rows] == ["C", "A", "B"]
    by_q2 = ag.unit_period_table(db, "X-sum", periods, sort="2025-Q2")
    assert [r.code for r in by_q2.rows] == ["B", "A", "C"]  # C has no Q2 figure: last


def test_months_and_years_tables(small) -> None:  # noqa: ANN001
    db, _ids = small
    months = ag.unit_period_table(db, "X-max", ag.table_periods("month", 2025))
    assert len(months.periods) == 12 and months.totals.values[1] == 100 and months.totals.total == 100
    years = ag.unit_period_table(db, "X-sum", ag.table_periods("year", 2025, years=3))
    assert years.periods == ("2023", "2024", "2025") and years.totals.values == (None, None, 171)


def test_activity_totals_against_previous_period(small) -> None:  # noqa: ANN001
    db, ids = small
    got = {t.code: t for t in ag.activity_totals(db, "2025-02")}
    assert set(got) == {f"X-{a}" for a in ag.AGGREGATIONS}
    t = got["X-sum"]
    assert (t.period, t.value, t.previous_period, t.previous) == ("2025-02", 130, "2025-01", 11)
    assert t.change == 119 and t.change_pct == pytest.approx(119 / 11 * 100)
    q = {t.code: t for t in ag.activity_totals(db, "2025-Q2", ids["G"])}["X-sum"]
    assert (q.value, q.previous_period, q.previous) == (23, "2025-Q1", 43)


def test_trend_series_has_every_period_of_the_kind(small) -> None:  # noqa: ANN001
    db, _ids = small
    points = ag.trend(db, "X-sum", "quarter")
    assert [(p.period, p.value) for p in points] == [("2025-Q1", 143), ("2025-Q2", 23), ("2025-Q3", None),
                                                     ("2025-Q4", 5)]
    assert ag.trend(db, "X-sum", "year") == [ag.TrendPoint("2025", "2025", 171)]


def test_bad_periods_are_refused(small) -> None:  # noqa: ANN001
    db, _ids = small
    with pytest.raises(ValidationError, match="chồng lên nhau"):
        ag.values(db, "X-sum", ["2025", "2025-Q1"])
    with pytest.raises(ValidationError, match="đột xuất"):
        ag.value(db, "X-sum", "2025-05-31")
    with pytest.raises(ValidationError):
        ag.value(db, "X-sum", "2025-13")


# ---- the demo, against raw SQL -----------------------------------------------------------------

def _raw_by_group_quarter(path: str, code: str, year: int) -> dict[tuple[str, str], float]:
    """Sum per (top-level unit code, quarter) straight from sqlite3."""
    con = sqlite3.connect(path)
    rows = con.execute(
        "SELECT COALESCE(g.code, u.code), v.period, v.value FROM indicator_value v "
        "JOIN indicator i ON i.id = v.indicator_id JOIN unit u ON u.id = v.unit_id "
        "LEFT JOIN unit g ON g.id = u.parent_id WHERE i.code = ? AND v.period LIKE ?", (code, f"{year}-__")).fetchall()
    con.close()
    out: dict[tuple[str, str], float] = defaultdict(float)
    for group, period, value in rows:
        q = (int(period[5:7]) - 1) // 3 + 1
        out[(group, f"{year}-Q{q}")] += value
        out[(group, str(year))] += value
    return dict(out)


@pytest.mark.parametrize("code", ["HD-TIN", "HD-HN", "HD-NGUOI", "HD-PANO", "HD-PTTH", "HD-MXH"])
def test_demo_activity_rolls_up_by_group_and_period_like_raw_sql(demo_db, code) -> None:  # noqa: ANN001
    raw = _raw_by_group_quarter(str(demo_db.path), code, 2025)
    t = ag.unit_period_table(demo_db, code, ag.table_periods("quarter", 2025), ag.ROWS_GROUP)
    got = {}
    for r in t.rows:
        for period, v in zip(t.periods, r.values, strict=True):
            if v is not None:
                got[(r.code, period)] = v
        if r.total is not None:
            got[(r.code, "2025")] = r.total
    assert got == pytest.approx(raw)
    assert t.totals.total == pytest.approx(sum(v for (g, p), v in raw.items() if p == "2025"))
    assert ag.value(demo_db, code, "2025") == t.totals.total


def test_demo_figures_quoted_in_the_report(demo_db) -> None:  # noqa: ANN001
    with demo_db.session() as s:
        ubndh = s.scalars(select(Unit.id).where(Unit.code == "UBNDH")).one()
    con = sqlite3.connect(str(demo_db.path))
    raw = con.execute(
        "SELECT SUM(v.value) FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id "
        "JOIN unit u ON u.id = v.unit_id WHERE i.code = 'HD-TIN' AND u.parent_id = ? "
        "AND v.period BETWEEN '2025-07' AND '2025-09'", (ubndh,)).fetchone()[0]
    con.close()
    assert ag.value(demo_db, "HD-TIN", "2025-Q3", ubndh) == raw == 351
    assert ag.value(demo_db, "HD-TIN", "2025", ubndh) == 1217
    assert ag.value(demo_db, "HD-TIN", "2025") == 2946
    assert ag.value(demo_db, "T2030-01", Period.parse("2026")) == 24


def test_figures_take_a_fixed_number_of_queries_whatever_the_units(demo_db) -> None:  # noqa: ANN001
    """Aggregation happens in SQL: the statement count does not grow with units or periods."""
    with demo_db.session() as s:
        ubndh = s.scalars(select(Unit.id).where(Unit.code == "UBNDH")).one()
    statements: list[str] = []
    listener = lambda *a: statements.append(a[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(demo_db.engine, "before_cursor_execute", listener)
    counts = []
    try:
        for periods, group in ((ag.table_periods("month", 2026), None), (ag.table_periods("month", 2026), ubndh),
                               (ag.table_periods("year", 2026, years=10), None)):
            statements.clear()
            ag.unit_period_table(demo_db, "HD-TIN", periods, ag.ROWS_UNIT, group)
            counts.append(len(statements))
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", listener)
    assert max(counts) <= 16  # a per-unit or per-month query would make hundreds
