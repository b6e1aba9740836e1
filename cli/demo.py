"""`demo`: create a database with the seed plan and a demo history."""
from __future__ import annotations

import argparse
from datetime import date

from cli import add_db_arg, db_arg, fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="tạo cơ sở dữ liệu demo từ kế hoạch mẫu")
    add_db_arg(p)
    p.add_argument("--until", help="lịch sử demo đến ngày (YYYY-MM-DD, mặc định hôm nay)")
    p.add_argument("--force", action="store_true", help="ghi đè tệp đã có (tệp cũ được sao lưu)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from services.demo_db import DemoExists, create_demo_database

    try:
        until = date.fromisoformat(args.until) if args.until else date.today()
    except ValueError:
        return fail(f"--until '{args.until}' không phải ngày dạng YYYY-MM-DD")
    try:
        counts = create_demo_database(db_arg(args), until, force=args.force)
    except DemoExists as e:
        return fail(str(e))
    print(f"Đã tạo cơ sở dữ liệu demo: {db_arg(args)} "
          f"({counts['units']} đơn vị, {counts['expected']} báo cáo phải nộp, "
          f"{counts['incoming']} báo cáo đã nhận, đến ngày {until.isoformat()})")
    return 0
