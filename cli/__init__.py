"""Headless commands of main.py (DESIGN.md §5). Each module registers one sub-command.

Modules here import only argparse-level things at import time, so `--help` and the
GUI start stay fast; the work is imported inside each command's `run`.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

# Order shown in --help.
COMMAND_MODULES = ["demo", "deadlines", "status", "report", "remind", "forms", "backup", "check"]

EXIT_BAD_INPUT = 1
EXIT_UNAVAILABLE = 2


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("SecDesk", appauthor=False)) / "secdesk.sqlite"


def add_db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="tệp SQLite hoặc URL PostgreSQL (mặc định: thư mục dữ liệu của người dùng)")


def db_arg(args: argparse.Namespace) -> str:
    return args.db or str(default_db_path())


def open_db(args: argparse.Namespace, create: bool = False):  # noqa: ANN201 - models.db.Database
    from models.db import open_database

    return open_database(db_arg(args), create=create)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="secdesk",
        description="SecDesk — theo dõi kế hoạch, chế độ báo cáo và văn bản. "
                    "Không có lệnh: mở giao diện.",
    )
    add_db_arg(parser)
    parser.add_argument("--demo-if-missing", action="store_true",
                        help="tạo cơ sở dữ liệu demo nếu chưa có (dùng cho `make run`)")
    # Hidden: open the window, visit every page, quit (gui/smoke.py; installer/build.py --smoke).
    parser.add_argument("--smoke-gui", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    for name in COMMAND_MODULES:
        importlib.import_module(f"cli.{name}").register(sub)
    return parser
