"""`deadlines`: every expected report of a year with its data window and computed
last on-time day, as CSV on stdout (ISO dates)."""
from __future__ import annotations

import argparse

from cli import add_db_arg, fail, open_db

COLUMNS = ["unit_code", "report_type", "period", "window_start", "window_end", "due_wording",
           "last_on_time_day"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("deadlines", help="báo cáo phải nộp và hạn nộp của một năm (CSV)")
    add_db_arg(p)
    p.add_argument("--year", type=int, required=True, help="năm, ví dụ 2026")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import csv
    import sys

    from models.db import SchemaError
    from services.deadlines import year_deadlines

    if not 1900 <= args.year <= 2200:
        return fail(f"năm không hợp lệ: {args.year}")
    try:
        db = open_db(args)
    except (SchemaError, FileNotFoundError) as e:
        return fail(str(e))
    try:
        rows = year_deadlines(db, args.year)
    finally:
        db.dispose()
    w = csv.writer(sys.stdout, lineterminator="\n")
    try:
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([r.unit_code, r.report_type, r.period, r.window_start.isoformat(),
                        r.window_end.isoformat(), r.due_wording, r.last_on_time_day.isoformat()])
        sys.stdout.flush()
    except BrokenPipeError:  # `… | head`: the reader has what it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
