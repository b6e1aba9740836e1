"""`status`: per-unit task status counts (JSON with --json, otherwise a readable table).

The dict comes from services.status_report, so the JSON can grow (report timeliness
under a "reports" key per unit) without touching this command.
"""
from __future__ import annotations

import argparse

from cli import add_db_arg, fail, open_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="số nhiệm vụ theo tình trạng của từng đơn vị")
    add_db_arg(p)
    p.add_argument("--json", action="store_true", help="in JSON thay cho bảng")
    p.add_argument("--date", help="tính đến ngày (YYYY-MM-DD hoặc 18/2/2026; mặc định: hôm nay)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import json
    import os
    import sys
    from datetime import date

    from models.db import SchemaError
    from services.dates import DateError, parse_date
    from services.status_report import format_table, task_status_by_unit

    try:
        today = parse_date(args.date) if args.date else date.today()
    except DateError as e:
        return fail(f"--date: {e}")
    try:
        db = open_db(args)
    except (SchemaError, FileNotFoundError) as e:
        return fail(str(e))
    try:
        data = task_status_by_unit(db, today or date.today())
    finally:
        db.dispose()
    try:
        print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else format_table(data))
        sys.stdout.flush()
    except BrokenPipeError:  # `… | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
