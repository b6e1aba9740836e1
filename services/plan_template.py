"""The Excel workbook for importing units, a plan, its tasks and progress (and for exporting
them in the same layout, so a file written here can be edited and imported back).

Sheets: "Hướng dẫn" (instructions), "Kế hoạch" (the plan document, label/value rows),
"Đơn vị", "Nhiệm vụ", "Tiến độ". services/plan_import.py reads exactly these headers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from models.db import Database


@dataclass(frozen=True)
class Col:
    header: str
    key: str
    width: int
    required: bool = False
    kind: str = "text"  # text / date / flag / list


PLAN_SHEET, UNIT_SHEET, TASK_SHEET, PROGRESS_SHEET, HELP_SHEET = (
    "Kế hoạch", "Đơn vị", "Nhiệm vụ", "Tiến độ", "Hướng dẫn")
PLAN_FIELDS: list[tuple[str, str]] = [  # label in column A, key
    ("Số, ký hiệu", "symbol"), ("Loại văn bản", "doc_type"), ("Ngày ban hành", "doc_date"),
    ("Cơ quan ban hành", "issuer"), ("Trích yếu", "title"), ("Bắt đầu theo dõi (tháng, vd 2025-03)", "start_period"),
]
UNIT_COLS = [
    Col("Mã đơn vị", "code", 14, True), Col("Tên đơn vị", "name", 42, True), Col("Tên viết tắt", "short_name", 16),
    Col("Nhóm", "group", 18, kind="list"), Col("Thuộc nhóm (mã)", "parent", 16),
    Col("Là nhóm đơn vị (x)", "is_group", 12, kind="flag"),
    Col("Phải nộp báo cáo (x)", "owes_reports", 12, kind="flag"), Col("Người liên hệ", "contact_person", 22),
    Col("Điện thoại", "phone", 16), Col("Thư điện tử", "email", 26), Col("Hoạt động từ", "active_from", 14, kind="date"),
    Col("Ghi chú", "notes", 40),
]
TASK_COLS = [
    Col("Mục", "section", 8), Col("Mã nhiệm vụ", "code", 12, True), Col("Nội dung nhiệm vụ", "text", 70, True),
    Col("Đơn vị chủ trì (mã)", "lead", 16, True), Col("Vai trò", "role", 12, kind="list"),
    Col("Đơn vị phối hợp (mã, cách nhau dấu phẩy)", "cooperating", 26),
    Col("Thời hạn (ngày hoặc \"thường xuyên\")", "due", 18, True, kind="date"),
]
PROGRESS_COLS = [
    Col("Mã nhiệm vụ", "task", 12, True), Col("Mã đơn vị", "unit", 14, True), Col("Tiến độ", "progress", 18, True, kind="list"),
    Col("Ngày hoàn thành", "completion_date", 14, kind="date"), Col("Kết quả", "result_text", 60),
]
SHEET_COLS = {UNIT_SHEET: UNIT_COLS, TASK_SHEET: TASK_COLS, PROGRESS_SHEET: PROGRESS_COLS}
PROGRESS_WORDS = {"chua": "Chưa thực hiện", "dang": "Đang thực hiện", "xong": "Hoàn thành"}

HELP_LINES = [
    "NHẬP ĐƠN VỊ, KẾ HOẠCH VÀ NHIỆM VỤ TỪ EXCEL",
    "",
    "1. Trang 'Kế hoạch': thông tin văn bản kế hoạch (cột B). Khi nhập vào một kế hoạch đã chọn trong phần mềm, "
    "trang này được bỏ qua. Nếu Số, ký hiệu trùng một kế hoạch đã có, nhiệm vụ được nhập vào kế hoạch đó.",
    "2. Trang 'Đơn vị': mỗi dòng một đơn vị. Mã đơn vị: chữ không dấu, số, dấu - . _ (không khoảng trắng), "
    "không trùng nhau. Mã đã có trong phần mềm thì đơn vị đó được cập nhật; ô để trống thì giữ nguyên giá trị cũ.",
    "   'Thuộc nhóm (mã)': mã của nhóm đơn vị (ví dụ SBN — Các sở, ban, ngành); nhóm phải có cột "
    "'Là nhóm đơn vị' ghi x. Cột 'Là nhóm…' và 'Phải nộp báo cáo': ghi x (có) hoặc 'không'. Đơn vị mới "
    "để trống cột 'Phải nộp báo cáo' thì được coi là có phải nộp (trừ nhóm đơn vị).",
    "3. Trang 'Nhiệm vụ': mỗi dòng một nhiệm vụ. Mã nhiệm vụ (ví dụ IV.1.a) không trùng trong kế hoạch; "
    "Mục để trống thì lấy từ mã (IV.1.a → IV.1). Đơn vị chủ trì và phối hợp ghi bằng mã đơn vị (có trong phần "
    "mềm hoặc ở trang 'Đơn vị'); nhiều đơn vị phối hợp cách nhau bằng dấu phẩy. Giao cho một nhóm đơn vị thì "
    "mỗi đơn vị thành viên nhận một phần việc riêng.",
    "   Vai trò: chủ trì (mặc định), thực hiện, chỉ đạo hoặc phối hợp. Thời hạn: một ngày (18/2/2026, "
    "18-02-2026, 2026-02-18 hoặc ô kiểu ngày của Excel) hoặc chữ 'thường xuyên'.",
    "4. Trang 'Tiến độ' (không bắt buộc): tiến độ của từng đơn vị với từng nhiệm vụ: Chưa thực hiện, "
    "Đang thực hiện hoặc Hoàn thành (khi hoàn thành phải có ngày hoàn thành, không sau hôm nay).",
    "5. Không dùng công thức; không đổi tên trang và tiêu đề cột; dòng trống được bỏ qua.",
    "6. Khi nhập, phần mềm kiểm tra toàn bộ tệp trước và liệt kê mọi lỗi (trang, dòng, cột, lý do). "
    "Còn lỗi thì không ghi gì vào cơ sở dữ liệu. Không lỗi thì xem trước những gì sẽ thêm, sửa rồi mới ghi.",
]


def _sheet(wb, title: str, cols: list[Col], rows: list[list[object]]) -> None:  # noqa: ANN001
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from services.xlsx_tables import FONT_NAME, set_value

    ws = wb.create_sheet(title)
    bold = Font(name=FONT_NAME, size=12, bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=j, value=c.header + (" *" if c.required else ""))
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = c.width
        if c.required:
            cell.comment = Comment("Bắt buộc nhập.", "SecDesk")
    ws.row_dimensions[1].height = 36
    for i, row in enumerate(rows, start=2):
        for j, (c, v) in enumerate(zip(cols, row, strict=False), start=1):
            cell = ws.cell(row=i, column=j)
            set_value(cell, v)
            if c.kind == "date" and isinstance(v, date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(v, str):
                cell.number_format = "@"  # codes and phone numbers stay text
    last = max(len(rows) + 1, 200)
    lists = {"role": '"chủ trì,thực hiện,chỉ đạo,phối hợp"',
             "progress": '"' + ",".join(PROGRESS_WORDS.values()) + '"'}
    for j, c in enumerate(cols, start=1):
        letter = get_column_letter(j)
        if c.kind == "flag":
            formula = '"x,không"'
        else:
            formula = lists.get(c.key)
        if formula:
            dv = DataValidation(type="list", formula1=formula, allow_blank=True)
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(len(rows) + 1, 2)}"


def write_template(path: str | Path, db: Database | None = None, plan_id: int | None = None,
                   today: date | None = None) -> Path:
    """An import workbook. With a database it is pre-filled (units; with plan_id also the plan,
    its tasks and every unit's progress), which is also the plan's Excel export."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from services.xlsx_tables import FONT_NAME, set_value

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    plan, units, tasks, progress = _data(db, plan_id, today) if db is not None else ({}, [], [], [])
    wb = Workbook()
    ws = wb.active
    ws.title = HELP_SHEET
    ws.column_dimensions["A"].width = 130
    for i, line in enumerate(HELP_LINES, start=1):
        c = ws.cell(row=i, column=1)
        set_value(c, line)
        c.font = Font(name=FONT_NAME, size=12, bold=i == 1)
        c.alignment = Alignment(wrap_text=True, vertical="top")
    pws = wb.create_sheet(PLAN_SHEET)
    pws.column_dimensions["A"].width, pws.column_dimensions["B"].width = 38, 100
    for j, h in enumerate(("Thông tin", "Nội dung"), start=1):
        pws.cell(row=1, column=j, value=h).font = Font(name=FONT_NAME, size=12, bold=True)
    for i, (label, key) in enumerate(PLAN_FIELDS, start=2):
        pws.cell(row=i, column=1, value=label).font = Font(name=FONT_NAME, size=12, bold=key == "title")
        cell = pws.cell(row=i, column=2)
        set_value(cell, plan.get(key))
        cell.alignment = Alignment(wrap_text=True)
        if key == "doc_date":
            cell.number_format = "DD/MM/YYYY"
        else:
            cell.number_format = "@"
    _sheet(wb, UNIT_SHEET, UNIT_COLS, units)
    _sheet(wb, TASK_SHEET, TASK_COLS, tasks)
    _sheet(wb, PROGRESS_SHEET, PROGRESS_COLS, progress)
    wb.active = 1 if db is None else 3
    wb.save(str(path))
    return path


def _data(db: Database, plan_id: int | None, today: date | None) -> tuple[dict, list, list, list]:
    from services import units as U
    from services.assignments import task_tree
    from services.plans import get_document

    rows = U.list_units(db, active_only=False)
    codes = {u.id: u.code for u in rows}
    units = [[u.code, u.name, u.short_name, u.group, codes.get(u.parent_id, ""), "x" if u.is_group else "",
              "x" if u.owes_reports else "không", u.contact_person, u.phone, u.email, u.active_from, u.notes]
             for u in rows]
    if plan_id is None:
        return {}, units, [], []
    doc = get_document(db, plan_id)
    plan = {"symbol": doc.symbol, "doc_type": doc.doc_type, "doc_date": doc.doc_date, "issuer": doc.issuer,
            "title": doc.title, "start_period": doc.start_period}
    tasks, progress = [], []
    for node in task_tree(db, plan_id, today or date.today()):
        t = node.task
        due: object = t.due_date or ("thường xuyên" if t.recurring else "")
        tasks.append([t.section, t.code, t.text, codes.get(t.lead_unit_id, ""), t.lead_role,
                      ", ".join(codes.get(c, "") for c in t.cooperating_ids), due])
        for a in node.assignments:
            progress.append([t.code, a.unit_code, PROGRESS_WORDS.get(a.progress, a.progress),
                             a.completion_date, a.result_text])
    return plan, units, tasks, progress
