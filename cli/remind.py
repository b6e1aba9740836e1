"""`remind`: not available yet (a later issue builds it)."""
from __future__ import annotations

import argparse

from cli import EXIT_UNAVAILABLE, add_db_arg, fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("remind", help="(chưa có)")
    add_db_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return fail("lệnh 'remind' chưa có trong phiên bản này", EXIT_UNAVAILABLE)
