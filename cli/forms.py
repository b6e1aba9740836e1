"""`forms`: Excel report forms for units — `forms export` writes one pre-filled form per
unit, `forms import` reads returned forms back (every problem printed with its file,
sheet and cell; exit 1 when any file is refused)."""
from __future__ import annotations

import argparse
from datetime import date

from cli import EXIT_BAD_INPUT, add_db_arg, fail, open_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forms", help="biểu mẫu Excel gửi đơn vị và nhập lại")
    add_db_arg(p)
    fsub = p.add_subparsers(dest="forms_command", metavar="VIỆC")
    e = fsub.add_parser("export", help="tạo biểu mẫu cho các đơn vị phải nộp báo cáo của một kỳ")
    add_db_arg(e)
    e.add_argument("--period", required=True, help="kỳ báo cáo: 2026-05, 2026-H1, 2026")
    e.add_argument("--out", required=True, help="thư mục ghi các tệp .xlsx")
    e.add_argument("--units", help="chỉ các đơn vị này (mã, cách nhau bởi dấu phẩy)")
    i = fsub.add_parser("import", help="nhập các biểu mẫu đơn vị gửi lại (tệp hoặc thư mục)")
    add_db_arg(i)
    i.add_argument("paths", nargs="+", metavar="TỆP_HOẶC_THƯ_MỤC")
    i.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và in thay đổi, không ghi gì")
    i.add_argument("--received", help="ngày nhận YYYY-MM-DD cho báo cáo mới (mặc định: hôm nay)")
    i.add_argument("--period", help="chỉ nhận biểu mẫu của kỳ này; cùng --unit: ghép thủ công tệp thiếu trang ẩn")
    i.add_argument("--unit", help="chỉ nhận biểu mẫu của đơn vị này (mã)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from models.db import SchemaError
    from services.errors import ServiceError

    if args.forms_command not in ("export", "import"):
        return fail("hãy chọn 'forms export' hoặc 'forms import' (xem --help)")
    try:
        db = open_db(args)
    except SchemaError as e:
        return fail(str(e))
    try:
        return _export(db, args) if args.forms_command == "export" else _import(db, args)
    except ServiceError as e:
        for p in getattr(e, "problems", []):
            print(f"  - {p}")
        return fail(str(e))
    finally:
        db.dispose()


def _export(db, args: argparse.Namespace) -> int:  # noqa: ANN001 - models.db.Database
    from services.forms_export import export_forms

    units = [u for u in args.units.split(",") if u.strip()] if args.units else None
    res = export_forms(db, args.period, args.out, units)
    for f in res.forms:
        print(f"{f.unit_code}\t{f.tasks} nhiệm vụ\t{f.path}")
    print(f"Đã tạo {len(res.forms)} biểu mẫu kỳ {res.period} trong {res.folder}")
    return 0


def _import(db, args: argparse.Namespace) -> int:  # noqa: ANN001 - models.db.Database
    from services.forms_commit import IMPORTED, expand_paths, import_files
    from services.forms_import import NEEDS_MATCH, OK, REFUSED, UNCHANGED, ManualMatch
    from services.periods import Period

    received = None
    if args.received:
        try:
            received = date.fromisoformat(args.received)
        except ValueError:
            return fail(f"ngày nhận không hợp lệ: '{args.received}' (dạng YYYY-MM-DD)")
    if args.period:
        Period.parse(args.period)  # a bad period stops here with its own message
    files = expand_paths(args.paths)
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        return fail("không tìm thấy: " + ", ".join(missing))
    if not files:
        return fail("không có tệp .xlsx nào để nhập")
    manual = None
    if args.unit and args.period:
        unit_id = _unit_id(db, args.unit)
        if unit_id is None:
            return fail(f"không có đơn vị mã '{args.unit}'")
        manual = {str(f): ManualMatch(unit_id, args.period) for f in files}
    res = import_files(db, files, dry_run=args.dry_run, received=received, expect_period=args.period,
                       expect_unit=args.unit, manual=manual)
    outcomes = {o.name: o for o in res.outcomes}
    bad = 0
    for p in res.previews:
        o = outcomes.get(p.name)
        who = f"{p.unit_code} {p.period}".strip()
        if p.status in (REFUSED, NEEDS_MATCH) or (o and o.status != IMPORTED):
            bad += 1
            print(f"[TỪ CHỐI] {p.name}" + (f" ({who})" if who else ""))
            if o and o.message:
                print(f"  - lỗi: {o.message}")
        elif p.status == UNCHANGED:
            print(f"[KHÔNG ĐỔI] {p.name} ({who})")
        elif args.dry_run:
            print(f"[SẼ NHẬP] {p.name} ({who}): {len(p.changes)} thay đổi")
        elif o:
            what = "báo cáo đến mới" if o.new_report else "cập nhật báo cáo đến"
            print(f"[ĐÃ NHẬP] {p.name} ({who}): {what} số {o.incoming_id}, {o.tasks} nhiệm vụ, {o.values} số liệu")
        for prob in p.problems:
            level = "lỗi" if prob.severity == "error" else "cảnh báo"
            where = prob.where().removeprefix(p.name).lstrip(", ")
            print(f"  - {level}: {where + ': ' if where else ''}{prob.message}")
        if args.dry_run and p.status == OK:
            for c in p.changes:
                where = f"{c.sheet}!{c.cell} " if c.cell else ""
                old, new = (x.replace("\n", " ¶ ") or "(trống)" for x in (c.old, c.new))
                print(f"    {where}{c.subject}: {old} → {new}")
    done = sum(o.status == IMPORTED for o in res.outcomes)
    verb = "kiểm tra (không ghi gì)" if args.dry_run else f"nhập {done}"
    print(f"Tổng: {len(res.previews)} tệp; {verb}; {bad} tệp bị từ chối.")
    return EXIT_BAD_INPUT if bad else 0


def _unit_id(db, code: str) -> int | None:  # noqa: ANN001 - models.db.Database
    from services.forms_export import form_units
    from services.periods import Period

    today = date.today()
    for u in form_units(db, Period.month(today.year, today.month).name, include_all=True):
        if u.code.upper() == code.strip().upper():
            return u.unit_id
    return None
