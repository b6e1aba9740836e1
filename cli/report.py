"""`report`: the consolidated report of a period as DOCX or PDF (numbered in the outgoing
register), or its annex tables as XLSX.

A DOCX or PDF takes a number from the register ("Số: 05/BC-SKHCN"). Asking again for the
same period and date (e.g. the PDF after the DOCX) reuses that number and rewrites the
files, so one report never burns two numbers. The XLSX annexes need no number.
"""
from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from cli import add_db_arg, fail, open_db


def add_common(p: argparse.ArgumentParser, formats: str) -> None:
    add_db_arg(p)
    p.add_argument("--period", required=True, help="kỳ: 2026-05, 2026-Q2, 2026-H1, 2026-9M hoặc 2026")
    p.add_argument("--format", help=f"{formats} (mặc định: theo đuôi tệp --out)")
    p.add_argument("--out", required=True, help="tệp kết quả")
    p.add_argument("--date", help="ngày văn bản YYYY-MM-DD (mặc định: hôm nay)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="báo cáo tổng hợp một kỳ (DOCX, PDF) hoặc phụ lục (XLSX)")
    add_common(p, "docx | pdf | xlsx")
    p.set_defaults(func=run)


def parse_common(args: argparse.Namespace, allowed: tuple[str, ...]) -> tuple[str, str, date]:
    """(period name, format, document date); raises ValueError with a one-line message."""
    from services.errors import ValidationError
    from services.periods import Period

    try:
        period = Period.parse(args.period).name
    except ValidationError as e:
        raise ValueError(str(e)) from e
    fmt = (args.format or Path(args.out).suffix.lstrip(".")).lower()
    if fmt not in allowed:
        raise ValueError(f"--format phải là một trong: {', '.join(allowed)} (nhận được: '{fmt}')")
    try:
        when = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError as e:
        raise ValueError(f"--date không hợp lệ: '{args.date}' (dạng YYYY-MM-DD)") from e
    return period, fmt, when


def existing(db, kind: str, period: str, when: date):  # noqa: ANN001, ANN201 - Database, OutgoingRow
    """The register row of the same kind, period and date, if one was generated already."""
    from services.outgoing import list_documents

    return next((r for r in list_documents(db, when.year)
                 if r.kind == kind and r.period == period and r.doc_date == when), None)


def copy_out(src: Path, out: str) -> Path:
    import shutil

    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    if src.resolve() != target.resolve():
        shutil.copyfile(src, target)
    return target


def run(args: argparse.Namespace) -> int:
    from models.db import SchemaError
    from services import consolidated_report as cr
    from services.errors import ServiceError

    try:
        period, fmt, when = parse_common(args, ("docx", "pdf", "xlsx"))
    except ValueError as e:
        return fail(str(e))
    try:
        db = open_db(args)
    except SchemaError as e:
        return fail(str(e))
    try:
        if fmt == "xlsx":
            out = cr.write_annex_workbook(db, period, args.out, when)
            print(f"Đã ghi phụ lục báo cáo {period} (Excel): {out}")
            return 0
        row = existing(db, "report", period, when)
        if row is None:
            g = cr.generate_report(db, period, [fmt], when)
        else:
            formats = list(dict.fromkeys([*(Path(f).suffix.lstrip(".") for f in row.files), fmt]))
            g = cr.regenerate_report(db, row.id, row.version, formats=formats)
        out = copy_out(g.file(fmt), args.out)  # type: ignore[arg-type]
        print(f"Đã tạo Báo cáo số {g.symbol} ngày {when:%d/%m/%Y}: {out}")
        return 0
    except (ServiceError, OSError) as e:
        return fail(str(e))
    finally:
        db.dispose()
