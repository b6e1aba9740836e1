"""Baselines in plain sqlite3: record the SQL a service sends through SQLAlchemy, then run the
very same statements with the same parameters on a plain sqlite3 connection.

The difference between the two is what the service layer adds (ORM, row objects, Python
work on the rows); the database work is identical.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

Statement = tuple[str, Any, bool]  # SQL, DBAPI parameters, executemany


@contextmanager
def capture(engine: Engine) -> Iterator[list[Statement]]:
    """Collect every statement the engine executes inside the block."""
    out: list[Statement] = []

    def on_execute(_conn, _cursor, statement, parameters, _context, executemany) -> None:  # noqa: ANN001
        out.append((statement, parameters, executemany))

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield out
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def connect(path: Path) -> sqlite3.Connection:
    """A plain connection with the application's pragmas (models/db.py), so both sides
    run under the same settings."""
    con = sqlite3.connect(path)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
        con.execute(f"PRAGMA {pragma}")
    return con


def replay(con: sqlite3.Connection, statements: list[Statement], commit: bool = False) -> int:
    """Run the statements, fetching every row; returns the number of rows read."""
    n = 0
    for sql, params, many in statements:
        if many:
            con.executemany(sql, params)
        else:
            n += len(con.execute(sql, params or ()).fetchall())
    if commit:
        con.commit()
    else:
        con.rollback()
    return n
