"""`check`: integrity check, schema version and row counts."""
from __future__ import annotations

import argparse

from cli import add_db_arg, fail, open_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="kiểm tra tính toàn vẹn, phiên bản lược đồ và số bản ghi")
    add_db_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from models.db import SchemaError
    from services.maintenance import check_database

    try:
        db = open_db(args)
    except SchemaError as e:
        return fail(str(e))
    report = check_database(db)
    print(f"Cơ sở dữ liệu: {report.url}")
    print(f"Phiên bản lược đồ: {report.schema} (mới nhất: {report.head})")
    print(f"Kiểm tra toàn vẹn: {report.integrity}")
    for table, n in report.counts.items():
        print(f"  {table:20s} {n:8d}")
    return 0 if report.ok else 1
