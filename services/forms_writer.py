"""Lays out one report form workbook (openpyxl): four protected sheets whose input cells
alone are unlocked and validated, plus the very hidden metadata sheet with the checksum.

Every locked cell written goes through `Sheet.put`, which records it, so the checksum
covers exactly what the unit must not change.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.forms_common import (
    ACT_COLUMNS,
    ACT_FIRST_ROW,
    ACT_HEADER_ROW,
    ACT_PREV_COL,
    ACT_VALUE_COL,
    ACTIVITY,
    INFO,
    INFO_INPUTS,
    INFO_LABELS,
    META,
    PROGRESS_LABELS,
    SHEET_PASSWORD,
    TASK_COLUMNS,
    TASK_FIRST_ROW,
    TASK_HEADER_ROW,
    TASK_INPUTS,
    TASKS,
    TEXT,
    TEXT_INPUTS,
    TEXT_LABELS,
    RowMap,
    canon,
    checksum,
)
from services.periods import format_date_vn
from services.text import nfc

if TYPE_CHECKING:
    from services.forms_export import FormData

FONT = "Times New Roman"
INPUT_FILL = "FFF2CC"  # pale yellow: "write here"
HEAD_FILL = "DDE7F0"
INSTRUCTIONS = [
    "HƯỚNG DẪN ĐIỀN BIỂU MẪU",
    "1. Chỉ điền vào các ô nền vàng; các ô khác đã được khóa. Không thêm, xóa hay đổi tên trang tính.",
    "2. Trang “Nhiệm vụ”: chọn Tiến độ trong danh sách (Chưa thực hiện / Đang thực hiện / Hoàn thành); "
    "nếu Hoàn thành, ghi Ngày hoàn thành dạng ngày/tháng/năm; ghi ngắn gọn kết quả và khó khăn (nếu có).",
    "3. Trang “Chỉ tiêu hoạt động”: ghi số liệu của kỳ này là số nguyên, không âm; để trống nếu không có "
    "số liệu. Cột “Kỳ trước” chỉ để đối chiếu.",
    "4. Trang “Nội dung”: tóm tắt kết quả, khó khăn, vướng mắc và đề xuất, kiến nghị của đơn vị.",
    "5. Chỉ nhập giá trị, không dùng công thức. Không sao chép sang tệp khác: phần mềm nhận biết biểu mẫu "
    "qua thông tin ẩn trong chính tệp này.",
    "6. Lưu tệp (định dạng .xlsx, không đặt mật khẩu) và gửi lại cho cơ quan thường trực trước hạn nộp.",
]


def set_literal(cell: Any, value: Any) -> None:
    """Text is stored as text even when it starts with '=' (openpyxl would make it a formula)."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cell.value = ILLEGAL_CHARACTERS_RE.sub("", nfc(value))
        cell.data_type = "s"
    else:
        cell.value = value


class Sheet:
    """A worksheet plus the record of the locked cells written to it."""

    def __init__(self, ws: Any, locked: list[tuple[str, str, str]]) -> None:
        self.ws = ws
        self.locked = locked
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=FONT, size=12)
        self.bold = Font(name=FONT, size=12, bold=True)
        self.title_font = Font(name=FONT, size=14, bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.input_fill = PatternFill("solid", fgColor=INPUT_FILL)
        self.head_fill = PatternFill("solid", fgColor=HEAD_FILL)
        self.unlocked = Protection(locked=False)

    def put(self, coord: str, value: Any, *, bold: bool = False, boxed: bool = False, head: bool = False) -> None:
        """A locked cell; its value joins the checksum."""
        c = self.ws[coord]
        set_literal(c, value)
        c.font = self.bold if bold or head else self.font
        c.alignment = self.center if head else self.wrap
        if boxed or head:
            c.border = self.border
        if head:
            c.fill = self.head_fill
        self.locked.append((self.ws.title, coord, canon(c.value)))

    def field(self, coord: str, value: Any = None, number_format: str | None = None) -> None:
        """An input cell: unlocked, yellow, boxed; pre-filled with the current value."""
        c = self.ws[coord]
        set_literal(c, value)
        c.font, c.alignment, c.border = self.font, self.wrap, self.border
        c.fill, c.protection = self.input_fill, self.unlocked
        if number_format:
            c.number_format = number_format

    def title(self, coord: str, text: str, last_col: str) -> None:
        self.put(coord, text)
        self.ws[coord].font = self.title_font
        self.ws[coord].alignment = self.center
        row = coord.lstrip("ABCDEFGHIJ")
        self.ws.merge_cells(f"{coord}:{last_col}{row}")

    def widths(self, widths: dict[str, float]) -> None:
        for col, w in widths.items():
            self.ws.column_dimensions[col].width = w

    def fit_height(self, row: int, texts: list[tuple[str, float]]) -> None:
        """Excel does not grow rows for wrapped text it did not type itself: estimate it."""
        lines = max([math.ceil(max(len(t), 1) / max(w * 1.1, 1)) + t.count("\n") for t, w in texts] or [1])
        self.ws.row_dimensions[row].height = max(18.0, 16.0 * lines)

    def protect(self, landscape: bool = False) -> None:
        ws = self.ws
        ws.protection.sheet = True
        ws.protection.password = SHEET_PASSWORD
        ws.protection.formatColumns = False  # let people widen columns and rows to read
        ws.protection.formatRows = False
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _validation(kind: str, sqref: str, **kw: Any) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type=kind, allow_blank=True, showErrorMessage=True, showInputMessage=True,
                        errorStyle="stop", **kw)
    dv.add(sqref)
    return dv


def _date_rule(sqref: str, what: str) -> Any:
    return _validation("date", sqref, operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                       errorTitle="Ngày không hợp lệ",
                       error=f"{what}: nhập một ngày dạng ngày/tháng/năm, ví dụ 15/11/2026.",
                       promptTitle=what, prompt="Nhập ngày dạng ngày/tháng/năm.")


def write_form(path: Path, f: FormData, secret: str) -> Path:
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    wb = Workbook()
    locked: list[tuple[str, str, str]] = []
    rows: list[RowMap] = []
    info = Sheet(wb.active, locked)
    info.ws.title = INFO
    _info_sheet(info, f)
    _task_sheet(Sheet(wb.create_sheet(TASKS), locked), f, rows)
    _activity_sheet(Sheet(wb.create_sheet(ACTIVITY), locked), f, rows)
    _text_sheet(Sheet(wb.create_sheet(TEXT), locked), f)
    _meta_sheet(wb.create_sheet(META), f, rows, locked, checksum(secret, f.meta, rows, locked))
    wb.security = WorkbookProtection(workbookPassword=SHEET_PASSWORD, lockStructure=True)
    wb.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    wb.save(str(part))
    part.replace(path)  # never leave a half-written form under the real name
    return path


def _info_sheet(sh: Sheet, f: FormData) -> None:
    sh.widths({"A": 4, "B": 30, "C": 70})
    if f.agency:
        sh.put("A1", f.agency.upper(), bold=True)
        sh.ws.merge_cells("A1:C1")
    sh.title("A3", f"BIỂU MẪU {f.report_name.upper()}", "C")
    sh.title("A4", f"Kỳ báo cáo: {f.period_label}", "C")
    sh.ws["A4"].font = sh.bold
    w0, w1 = f.window
    facts = [("Đơn vị báo cáo", f"{f.unit_name} (mã {f.meta.unit_code})"),
             ("Kỳ báo cáo", f"{f.period_label} (số liệu từ {format_date_vn(w0)} đến {format_date_vn(w1)})"),
             ("Hạn nộp", f.due_text)]
    for i, (label, value) in enumerate(facts):
        r = 5 + i
        sh.put(f"B{r}", label, bold=True)
        sh.put(f"C{r}", value)
        sh.fit_height(r, [(value, 70)])
    for key, coord in INFO_INPUTS.items():
        sh.put(f"B{coord[1:]}", INFO_LABELS[key], bold=True)
        sh.field(coord, number_format="DD/MM/YYYY" if key == "doc_date" else None)
    sh.ws.add_data_validation(_date_rule(INFO_INPUTS["doc_date"], "Ngày văn bản"))
    for i, text in enumerate(INSTRUCTIONS):
        r = 14 + i
        sh.put(f"B{r}", text, bold=i == 0)
        sh.ws.merge_cells(f"B{r}:C{r}")
        sh.fit_height(r, [(text, 100)])
    sh.protect()


def _task_sheet(sh: Sheet, f: FormData, rows: list[RowMap]) -> None:
    sh.widths({"A": 5, "B": 11, "C": 55, "D": 16, "E": 13, "F": 17, "G": 14, "H": 40, "I": 32})
    sh.title("A1", f"NHIỆM VỤ ĐƯỢC GIAO — {f.unit_name.upper()}", "I")
    sh.title("A2", f"Kỳ báo cáo: {f.period_label}", "I")
    sh.ws["A2"].font = sh.bold
    for j, head in enumerate(TASK_COLUMNS):
        sh.put(f"{'ABCDEFGHI'[j]}{TASK_HEADER_ROW}", head, head=True)
    last = TASK_FIRST_ROW - 1
    for i, t in enumerate(f.tasks):
        r = last = TASK_FIRST_ROW + i
        rows.append(RowMap("task", r, t.assignment_id))
        for col, value in zip("ABCDE", (i + 1, t.code, t.text, t.role, t.due), strict=True):
            sh.put(f"{col}{r}", value, boxed=True)
        sh.field(f"{TASK_INPUTS['progress']}{r}", PROGRESS_LABELS.get(t.progress))
        sh.field(f"{TASK_INPUTS['completion_date']}{r}", t.completion_date, "DD/MM/YYYY")
        sh.field(f"{TASK_INPUTS['result_text']}{r}", t.result_text or None)
        sh.field(f"{TASK_INPUTS['difficulties']}{r}", t.difficulties or None)
        sh.fit_height(r, [(t.text, 55), (t.result_text, 40), (t.role, 16)])
    if not f.tasks:
        sh.put(f"A{TASK_FIRST_ROW}", "Đơn vị không có nhiệm vụ nào cần báo cáo trong kỳ này.")
        sh.ws.merge_cells(f"A{TASK_FIRST_ROW}:I{TASK_FIRST_ROW}")
    else:
        p, d = TASK_INPUTS["progress"], TASK_INPUTS["completion_date"]
        choices = ",".join(PROGRESS_LABELS.values())
        sh.ws.add_data_validation(_validation(
            "list", f"{p}{TASK_FIRST_ROW}:{p}{last}", formula1=f'"{choices}"',
            errorTitle="Tiến độ không hợp lệ", error="Chọn một giá trị trong danh sách: " + choices.replace(",", ", "),
            promptTitle="Tiến độ", prompt="Chọn trong danh sách."))
        sh.ws.add_data_validation(_date_rule(f"{d}{TASK_FIRST_ROW}:{d}{last}", "Ngày hoàn thành"))
    sh.ws.freeze_panes = f"C{TASK_FIRST_ROW}"
    sh.ws.print_title_rows = f"{TASK_HEADER_ROW}:{TASK_HEADER_ROW}"
    sh.protect(landscape=True)


def _activity_sheet(sh: Sheet, f: FormData, rows: list[RowMap]) -> None:
    sh.widths({"A": 5, "B": 50, "C": 14, "D": 16, "E": 16})
    sh.title("A1", "SỐ LIỆU HOẠT ĐỘNG", "E")
    sh.title("A2", f"{f.unit_name} — {f.period_label}", "E")
    sh.ws["A2"].font = sh.bold
    heads = list(ACT_COLUMNS)
    heads[3], heads[4] = f"Kỳ trước ({f.previous_label})", f"Kỳ này ({f.period_label})"
    for j, head in enumerate(heads):
        sh.put(f"{'ABCDE'[j]}{ACT_HEADER_ROW}", head, head=True)
    sh.fit_height(ACT_HEADER_ROW, [(heads[3], 16), (heads[4], 16)])
    last = ACT_FIRST_ROW - 1
    for i, a in enumerate(f.activities):
        r = last = ACT_FIRST_ROW + i
        rows.append(RowMap("activity", r, a.indicator_id))
        for col, value in zip("ABC", (i + 1, a.name, a.uom), strict=True):
            sh.put(f"{col}{r}", value, boxed=True)
        sh.put(f"{ACT_PREV_COL}{r}", _whole(a.previous), boxed=True)
        sh.field(f"{ACT_VALUE_COL}{r}", _whole(a.current), "#,##0")
        sh.fit_height(r, [(a.name, 50)])
    if f.activities:
        v = ACT_VALUE_COL
        sh.ws.add_data_validation(_validation(
            "whole", f"{v}{ACT_FIRST_ROW}:{v}{last}", operator="greaterThanOrEqual", formula1="0",
            errorTitle="Số liệu không hợp lệ", error="Nhập số nguyên không âm (0, 1, 2, …).",
            promptTitle="Số liệu kỳ này", prompt="Số nguyên, không âm."))
    sh.protect()


def _text_sheet(sh: Sheet, f: FormData) -> None:
    sh.widths({"A": 34, "B": 95})
    sh.title("A1", "NỘI DUNG BÁO CÁO", "B")
    sh.title("A2", f"{f.unit_name} — {f.period_label}", "B")
    sh.ws["A2"].font = sh.bold
    for key, coord in TEXT_INPUTS.items():
        r = int(coord[1:])
        sh.put(f"A{r}", TEXT_LABELS[key], bold=True, boxed=True)
        sh.field(coord)
        sh.ws.row_dimensions[r].height = 140
    sh.protect()


def _meta_sheet(ws: Any, f: FormData, rows: list[RowMap], locked: list[tuple[str, str, str]],
                digest: str) -> None:
    m = f.meta
    lines: list[list[Any]] = [["meta", k, v] for k, v in (
        ("form_id", m.form_id), ("unit_code", m.unit_code), ("period", m.period),
        ("report_type", m.report_type), ("form_version", m.form_version),
        ("created_at", m.created_at), ("checksum", digest))]
    # The row map and the locked cells' recorded values go in as JSON text, in chunks below
    # Excel's 32,767-character cell limit: a few cells instead of thousands keeps reading fast.
    lines += [["rows", chunk] for chunk in _chunks(json.dumps([[r.kind, r.row, r.ref_id] for r in rows]))]
    lines += [["locked", chunk] for chunk in _chunks(json.dumps(locked, ensure_ascii=False))]
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            set_literal(ws.cell(row=r, column=c), value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    ws.protection.password = SHEET_PASSWORD


def _chunks(text: str, size: int = 30000) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def _whole(v: float | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v
