"""`backup`: a consistent copy of the database and its managed files."""
from __future__ import annotations

import argparse

from cli import add_db_arg, fail, open_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (kèm tệp đính kèm) vào một tệp .zip")
    add_db_arg(p)
    p.add_argument("--out", required=True, help="tệp sao lưu (.zip)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from models.db import SchemaError
    from services.errors import ServiceError
    from services.maintenance import backup_database

    try:
        db = open_db(args)
        out = backup_database(db, args.out)
    except (SchemaError, ServiceError) as e:
        return fail(str(e))
    print(f"Đã sao lưu vào {out}")
    return 0
