"""`remind`: the reminder letter (công văn đôn đốc) of a period as DOCX or PDF, numbered in
the outgoing register, with one reminder logged per unit and report.

Asking again for the same period and date reuses the letter's number and rewrites its
files (no second reminder is logged).
"""
from __future__ import annotations

import argparse
from datetime import date

from cli import fail, open_db
from cli.report import add_common, copy_out, existing, parse_common


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("remind", help="công văn đôn đốc các đơn vị chưa gửi, gửi chậm báo cáo (DOCX, PDF)")
    add_common(p, "docx | pdf")
    p.add_argument("--deadline", help="hạn gửi báo cáo YYYY-MM-DD (mặc định: sau số ngày làm việc trong Cài đặt)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from models.db import SchemaError
    from services import reminder_letter as rl
    from services.errors import ServiceError

    try:
        period, fmt, when = parse_common(args, rl.FORMATS)
        deadline = date.fromisoformat(args.deadline) if args.deadline else None
    except ValueError as e:
        msg = str(e) if "--" in str(e) else f"--deadline không hợp lệ: '{args.deadline}' (dạng YYYY-MM-DD)"
        return fail(msg)
    try:
        db = open_db(args)
    except SchemaError as e:
        return fail(str(e))
    try:
        row = existing(db, "reminder", period, when)
        if row is None:
            g = rl.generate_reminder(db, period, [fmt], when, deadline=deadline)
        else:
            formats = list(dict.fromkeys([*(Path(f).suffix.lstrip(".") for f in row.files), fmt]))
            g = rl.regenerate_reminder(db, row.id, row.version, formats=formats)
        out = copy_out(g.file(fmt), args.out)  # type: ignore[arg-type]
        print(f"Đã tạo Công văn số {g.symbol} ngày {when:%d/%m/%Y}: {out}")
        return 0
    except (ServiceError, OSError) as e:
        return fail(str(e))
    finally:
        db.dispose()
