"""Service calls on the 10× database against the same SQL run with plain sqlite3
(bench/sqlreplay.py): regeneration of the expected reports, and — once their services
exist — the dashboard, timeliness rates and indicator roll-ups."""
from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench.harness import Figure, Goal, median, time_runs
from bench.sqlreplay import capture, connect, replay
from models.db import Database, open_database


def service_vs_sql(section: str, name: str, db: Database, path: Path, call: Callable[[], object],
                   goal: Goal | None = None, runs: int = 5, note: str = "") -> Figure:
    """Median time of `call` vs the same statements replayed on a plain sqlite3 connection."""
    call()  # warm caches (SQLite pages, SQLAlchemy statement cache, lazy imports)
    with capture(db.engine) as statements:
        call()
    service = time_runs(call, runs=runs, warmup=0)
    con = connect(path)
    try:
        replay(con, statements)
        plain = time_runs(lambda: replay(con, statements), runs=runs, warmup=0)
    finally:
        con.close()
    n = len(statements)
    extra = f"{n} SQL statement{'s' if n != 1 else ''}"
    return Figure(section, name, median(service), "s", median(plain), "same SQL in sqlite3",
                  goal or Goal("ratio<=", 2, "≤ 2× sqlite3"), service, note=f"{extra}; {note}".strip("; "))


def _strip_expected(src: Path, dst: Path) -> None:
    """A copy of the database with no expected reports (incoming reports unlinked), so a
    regeneration has to create all of them."""
    shutil.copy(src, dst)
    con = sqlite3.connect(dst)
    with con:
        con.execute("UPDATE incoming_report SET expected_report_id = NULL")
        con.execute("DELETE FROM expected_report")
    con.execute("VACUUM")
    con.close()


def _fresh(template: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copy(template, target)


def regeneration(path: Path, until: date, workdir: Path, runs: int = 5) -> list[Figure]:
    from services.regime import regenerate

    figs = []
    db = open_database(path)
    try:
        total = regenerate(db, until).total
        figs.append(service_vs_sql(
            "Regeneration", f"Regenerate expected reports, nothing changed ({total:,} rows)", db, path,
            lambda: regenerate(db, until), Goal("<", 3, "< 3 s"), runs,
            note="what every start-up runs in the background"))
    finally:
        db.dispose()

    template, work = workdir / "stripped.sqlite", workdir / "regen.sqlite"
    _strip_expected(path, template)
    state: dict[str, Database] = {}

    def setup() -> None:
        if "db" in state:
            state.pop("db").dispose()
        _fresh(template, work)
        state["db"] = open_database(work)

    def full() -> None:
        regenerate(state["db"], until)

    service = time_runs(full, runs=runs, warmup=1, setup=setup)
    setup()
    with capture(state["db"].engine) as statements:
        added = regenerate(state["db"], until).added
    state.pop("db").dispose()

    def plain_setup() -> None:
        _fresh(template, work)

    def plain() -> None:
        con = connect(work)
        try:
            replay(con, statements, commit=True)
        finally:
            con.close()

    base = time_runs(plain, runs=runs, warmup=1, setup=plain_setup)
    figs.append(Figure("Regeneration", f"Regenerate all expected reports from none ({added:,} added)",
                       median(service), "s", median(base), "same SQL in sqlite3", Goal("<", 3, "< 3 s"),
                       service, note=f"{len(statements)} SQL statements"))
    for p in (template, work):
        for suffix in ("", "-wal", "-shm"):
            Path(str(p) + suffix).unlink(missing_ok=True)
    return figs
