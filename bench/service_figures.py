"""Query figures on the 10× database: the dashboard, the register list, timeliness rates and
indicator roll-ups.

Two kinds of baseline, both on a plain sqlite3 connection to the same file:
- "same SQL": the statements the service sent, recorded and replayed (bench/sqlreplay.py),
  so the ratio is what SQLAlchemy and the service's Python add;
- "hand SQL": for the roll-ups, the straightforward query one would write by hand for this
  data (monthly values, sum aggregation). Its numbers are checked against the service's, so
  the baseline really computes the same thing.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench.harness import Figure, Goal, median, time_runs
from bench.query_bench import service_vs_sql
from bench.sqlreplay import connect
from models.db import Database, open_database

Q = "Queries"


def service_vs_hand(name: str, call: Callable[[], object], con: sqlite3.Connection,
                    hand: Callable[[sqlite3.Connection], object], same: Callable[[object, object], bool],
                    runs: int) -> Figure:
    got, mine = call(), hand(con)
    service = time_runs(call, runs=runs, warmup=0)
    plain = time_runs(lambda: hand(con), runs=runs, warmup=0)
    ok = same(got, mine)
    return Figure(Q, name, median(service), "s", median(plain), "hand SQL in sqlite3",
                  Goal("ratio<=", 2, "≤ 2× sqlite3"), service,
                  note="same numbers as the hand SQL" if ok else "NUMBERS DIFFER from the hand SQL")


def _close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)


def _ids(con: sqlite3.Connection, codes: list[str]) -> dict[str, int]:
    marks = ",".join("?" * len(codes))
    return dict(con.execute(f"SELECT code, id FROM indicator WHERE code IN ({marks})", codes).fetchall())


def rollups(db: Database, path: Path, today: date, runs: int) -> list[Figure]:
    from services import aggregates as ag

    con = connect(path)
    year = today.year
    month = f"{today.year}-{today.month - 1:02d}" if today.month > 1 else f"{today.year - 1}-12"
    prev_month = f"{year}-{int(month[5:]) - 1:02d}" if month[5:] != "01" else f"{int(month[:4]) - 1}-12"
    acts = [c for (c,) in con.execute("SELECT code FROM indicator WHERE family = 'activity' ORDER BY sort_order, code")]
    ind = _ids(con, acts)
    figs = []

    def totals_month(c: sqlite3.Connection) -> dict:
        rows = c.execute("""SELECT indicator_id, period, SUM(value) FROM indicator_value
                            WHERE unit_id IS NOT NULL AND period IN (?, ?) AND indicator_id IN
                            (SELECT id FROM indicator WHERE family = 'activity') GROUP BY 1, 2""",
                         (month, prev_month)).fetchall()
        return {(i, p): v for i, p, v in rows}

    figs.append(service_vs_hand(
        f"Activity totals, province, month {month} vs previous", lambda: ag.activity_totals(db, month), con,
        totals_month, lambda got, mine: all(_close(t.value, mine.get((t.indicator_id, month))) and
                                            _close(t.previous, mine.get((t.indicator_id, prev_month))) for t in got),
        runs))

    def totals_year(c: sqlite3.Connection) -> dict:
        rows = c.execute("""SELECT indicator_id, substr(period, 1, 4), SUM(value) FROM indicator_value
                            WHERE unit_id IS NOT NULL AND length(period) = 7 AND period BETWEEN ? AND ?
                            AND indicator_id IN (SELECT id FROM indicator WHERE family = 'activity')
                            GROUP BY 1, 2""", (f"{year - 1}-01", f"{year}-12")).fetchall()
        return {(i, y): v for i, y, v in rows}

    figs.append(service_vs_hand(
        f"Activity totals, province, year {year} vs {year - 1}", lambda: ag.activity_totals(db, str(year)), con,
        totals_year, lambda got, mine: all(_close(t.value, mine.get((t.indicator_id, str(year)))) and
                                           _close(t.previous, mine.get((t.indicator_id, str(year - 1))))
                                           for t in got), runs))

    tin = ind["HD-TIN"]
    months = ag.table_periods("month", year)

    def unit_table(c: sqlite3.Connection) -> dict:
        cells = c.execute("""SELECT u.id, u.code, u.name, v.period, v.value FROM unit u
                             LEFT JOIN indicator_value v ON v.unit_id = u.id AND v.indicator_id = ?
                                  AND v.period BETWEEN ? AND ?
                             WHERE u.owes_reports AND NOT u.is_group ORDER BY u.sort_order, u.code""",
                          (tin, f"{year}-01", f"{year}-12")).fetchall()
        per_unit = dict(c.execute("""SELECT unit_id, SUM(value) FROM indicator_value WHERE indicator_id = ?
                                     AND unit_id IS NOT NULL AND period BETWEEN ? AND ? GROUP BY unit_id""",
                                  (tin, f"{year}-01", f"{year}-12")).fetchall())
        per_month = dict(c.execute("""SELECT period, SUM(value) FROM indicator_value WHERE indicator_id = ?
                                      AND unit_id IS NOT NULL AND period BETWEEN ? AND ? GROUP BY period""",
                                   (tin, f"{year}-01", f"{year}-12")).fetchall())
        return {"cells": len(cells), "per_unit": per_unit, "per_month": per_month}

    figs.append(service_vs_hand(
        f"Unit × month table, HD-TIN {year} (with totals)", lambda: ag.unit_period_table(db, "HD-TIN", months),
        con, unit_table,
        lambda got, mine: all(_close(r.total, mine["per_unit"].get(r.key)) for r in got.rows) and all(
            _close(v, mine["per_month"].get(p)) for p, v in zip(got.periods, got.totals.values, strict=True)),
        runs))

    def groups(c: sqlite3.Connection) -> dict:
        return dict(c.execute("""SELECT coalesce(u.parent_id, u.id), SUM(v.value) FROM indicator_value v
                                 JOIN unit u ON u.id = v.unit_id WHERE v.indicator_id = ?
                                 AND v.period BETWEEN ? AND ? GROUP BY 1""",
                              (tin, f"{year}-01", f"{year}-12")).fetchall())

    figs.append(service_vs_hand(
        f"Group totals, HD-TIN year {year}", lambda: ag.group_totals(db, "HD-TIN", str(year)), con, groups,
        lambda got, mine: all(_close(r.values[0], mine.get(r.key)) for r in got.rows if r.values[0] is not None)
        and len([r for r in got.rows if r.values[0] is not None]) == len(mine), runs))

    nguoi = ind["HD-NGUOI"]

    def trend(c: sqlite3.Connection) -> dict:
        return dict(c.execute("""SELECT substr(period, 1, 4), SUM(value) FROM indicator_value
                                 WHERE indicator_id = ? AND unit_id IS NOT NULL AND length(period) = 7
                                 GROUP BY 1""", (nguoi,)).fetchall())

    figs.append(service_vs_hand(
        "Yearly trend, HD-NGUOI, all years", lambda: ag.trend(db, "HD-NGUOI"), con, trend,
        lambda got, mine: all(_close(p.value, mine.get(p.period)) for p in got) and len(got) == len(mine),
        runs))
    con.close()
    return figs


def run(path: Path, today: date, runs: int = 5) -> tuple[list[Figure], list[str]]:
    figs: list[Figure] = []
    notes: list[str] = []
    db = open_database(path)
    try:
        for group in (_dashboard, _register, _timeliness, _targets):
            try:
                figs += group(db, path, today, runs)
            except ModuleNotFoundError as e:
                notes.append(f"{group.__name__[1:]}: not measured — module {e.name} does not exist yet.")
        figs += rollups(db, path, today, runs)
    finally:
        db.dispose()
    return figs, notes


def _dashboard(db: Database, path: Path, today: date, runs: int) -> list[Figure]:
    from services import dashboard as dash

    mk = dash.default_period(db, today)
    return [service_vs_sql(Q, f"Dashboard service, month {mk}", db, path, lambda: dash.dashboard(db, mk, today),
                           runs=runs)]


def _register(db: Database, path: Path, today: date, runs: int) -> list[Figure]:
    from services import incoming_list as il
    from services.tracking import ReportFilter

    ids = il.search_ids(db, ReportFilter(), "received_date", True)
    return [
        service_vs_sql(Q, f"Register: ids of all {len(ids):,} incoming reports, newest first", db, path,
                       lambda: il.search_ids(db, ReportFilter(), "received_date", True), runs=runs),
        service_vs_sql(Q, "Register: one page of 200 rows", db, path, lambda: il.fetch(db, ids[-200:]),
                       runs=runs),
    ]


def _timeliness(db: Database, path: Path, today: date, runs: int) -> list[Figure]:
    from services import timeliness as tl

    mk = max(r.key for r in tl.rates_by(db, today, "period") if r.counts.missing or r.counts.late)
    return [
        service_vs_sql(Q, "Timeliness rates per unit, all periods", db, path,
                       lambda: tl.rates_by(db, today, "unit"), runs=runs),
        service_vs_sql(Q, "Timeliness rates per month, all periods", db, path,
                       lambda: tl.rates_by(db, today, "period"), runs=runs),
        service_vs_sql(Q, f"Timeliness counts, month {mk}", db, path,
                       lambda: tl.counts(db, today, [mk]), runs=runs),
    ]


def _targets(db: Database, path: Path, today: date, runs: int) -> list[Figure]:
    from services import targets

    return [service_vs_sql(Q, "Target progress, every target and year", db, path,
                           lambda: targets.target_progress(db), runs=runs)]
