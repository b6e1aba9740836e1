"""bench/generate.py at a tiny scale: the counts follow from the scale, rows are consistent
and the same parameters give the same database."""
from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bench.generate import Scale, ensure, generate, load_stats, params_of
from models.db import head_revision

UNTIL = date(2026, 12, 6)


def _one(con: sqlite3.Connection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def _digest(path: Path) -> str:
    con = sqlite3.connect(path)
    h = hashlib.sha256()
    for table in ("unit", "task", "assignment", "expected_report", "incoming_report", "indicator_value"):
        for row in con.execute(f"SELECT * FROM {table} ORDER BY id"):
            h.update(repr(row).encode())
    con.close()
    return h.hexdigest()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "tiny.sqlite"
    generate(path, scale=0.2, until=UNTIL)
    return path


def test_scale_definition() -> None:
    assert Scale.of(10) == Scale(units=350, years=10, tasks=150)
    assert Scale.of(0.2) == Scale(units=7, years=1, tasks=3)


def test_counts_follow_the_scale(tiny: Path) -> None:
    con = sqlite3.connect(tiny)
    reporting = _one(con, "SELECT count(*) FROM unit WHERE owes_reports AND NOT is_group")
    assert reporting == 7
    assert _one(con, "SELECT count(*) FROM unit WHERE is_group") == 3
    assert _one(con, "SELECT count(*) FROM task") == 3
    # One year (2026) plus the regime's horizon (periods started by January 2027), stand-in off:
    # 13 monthly + H1 2026, H1 2027 + years 2026, 2027 = 17 per reporting unit.
    assert _one(con, "SELECT count(*) FROM report_type WHERE stand_in_enabled") == 0
    assert _one(con, "SELECT count(*) FROM expected_report") == 7 * 17
    # Activity values: 6 indicators × every reporting unit × every closed month (Jan–Nov 2026).
    assert _one(con, "SELECT count(*) FROM indicator_value WHERE unit_id IS NOT NULL") == 6 * 7 * 11
    closed = _one(con, "SELECT count(*) FROM expected_report WHERE window_end < '2026-12-06'")
    incoming = _one(con, "SELECT count(*) FROM incoming_report")
    assert 0.8 * closed <= incoming <= closed
    con.close()


def test_rows_are_consistent(tiny: Path) -> None:
    con = sqlite3.connect(tiny)
    # Every incoming report answers an expected report of the same unit and period.
    assert _one(con, """SELECT count(*) FROM incoming_report i JOIN expected_report e
                        ON e.id = i.expected_report_id AND e.unit_id = i.unit_id AND e.period = i.period""") \
        == _one(con, "SELECT count(*) FROM incoming_report")
    # A value linked to a report belongs to that report's unit and month.
    assert _one(con, """SELECT count(*) FROM indicator_value v JOIN incoming_report i
                        ON i.id = v.incoming_report_id WHERE i.unit_id != v.unit_id OR i.period != v.period""") == 0
    # Commune-group tasks become one assignment per commune, remembering the group.
    communes = _one(con, "SELECT count(*) FROM unit WHERE \"group\" = 'UBND cấp xã' AND NOT is_group")
    group_task = _one(con, "SELECT task_id FROM assignment WHERE via_unit_id IS NOT NULL LIMIT 1")
    assert _one(con, f"""SELECT count(*) FROM assignment a JOIN unit u ON u.id = a.unit_id
                         WHERE a.task_id = {group_task} AND u."group" = 'UBND cấp xã'""") == communes
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    names = [r[0] for r in con.execute("SELECT name FROM unit")]
    assert "Sở Khoa học và Công nghệ" in names and any(n.startswith("UBND xã ") for n in names)
    con.close()


def test_same_parameters_same_database(tiny: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite"
    generate(again, scale=0.2, until=UNTIL)
    assert _digest(again) == _digest(tiny)


def test_ensure_reuses_matching_file_and_rebuilds_others(tiny: Path, tmp_path: Path) -> None:
    assert params_of(tiny) == {"scale": 0.2, "until": "2026-12-06", "format": 2, "schema": head_revision()}
    path = tmp_path / "cached.sqlite"
    assert ensure(path, 0.2, UNTIL) is not None  # built
    assert ensure(path, 0.2, UNTIL) is None  # reused
    rebuilt = ensure(path, 0.3, UNTIL)  # other scale: rebuilt in place
    assert rebuilt is not None and rebuilt.counts["reporting_units"] == Scale.of(0.3).units
    assert load_stats(path)["counts"]["reporting_units"] == Scale.of(0.3).units  # kept beside the file
    with pytest.raises(FileExistsError):
        generate(path, scale=0.2, until=UNTIL)
