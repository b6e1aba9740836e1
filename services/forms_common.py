"""What the Excel report forms' writer and reader share: sheet names, the cell map, the
form layout version, the hidden metadata sheet and the checksum of the locked content.

The checksum is an HMAC-SHA256 over the form's metadata and every locked cell's value,
keyed with a secret kept in the settings table ("forms_secret", made on first use).
A unit cannot change a label, a task text or the hidden sheet without the checksum
failing, and a form made by another SecDesk database does not verify here.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from models import Setting
from models.plan import DONE, IN_PROGRESS, NOT_STARTED
from services import audit
from services.text import fold, nfc

FORM_VERSION = 1  # layout of the workbook; a reader refuses versions it does not know
SECRET_KEY = "forms_secret"
SHEET_PASSWORD = "secdesk"  # protection stops accidental edits; the checksum catches the rest

INFO, TASKS, ACTIVITY, TEXT, META = "Thông tin chung", "Nhiệm vụ", "Chỉ tiêu hoạt động", "Nội dung", "_secdesk"
VISIBLE_SHEETS = (INFO, TASKS, ACTIVITY, TEXT)

# Thông tin chung: input cells for the unit's own document reference.
INFO_INPUTS = {"doc_number": "C9", "doc_date": "C10", "preparer": "C11", "phone": "C12"}
INFO_LABELS = {"doc_number": "Số văn bản của đơn vị", "doc_date": "Ngày văn bản",
               "preparer": "Người lập biểu", "phone": "Điện thoại liên hệ"}
# Nhiệm vụ: header on row 4, one task per row from row 5.
TASK_HEADER_ROW, TASK_FIRST_ROW = 4, 5
TASK_COLUMNS = ("STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Vai trò", "Thời hạn",
                "Tiến độ", "Ngày hoàn thành", "Kết quả thực hiện", "Khó khăn, vướng mắc")
TASK_INPUTS = {"progress": "F", "completion_date": "G", "result_text": "H", "difficulties": "I"}
TASK_CODE_COL, TASK_TEXT_COL = "B", "C"
# Chỉ tiêu hoạt động: header on row 4, one indicator per row from row 5.
ACT_HEADER_ROW, ACT_FIRST_ROW = 4, 5
ACT_COLUMNS = ("STT", "Chỉ tiêu", "Đơn vị tính", "Kỳ trước", "Kỳ này")
ACT_NAME_COL, ACT_PREV_COL, ACT_VALUE_COL = "B", "D", "E"
# Nội dung: three free-text answers.
TEXT_INPUTS = {"summary": "B4", "difficulties": "B5", "proposals": "B6"}
TEXT_LABELS = {"summary": "1. Tóm tắt kết quả thực hiện trong kỳ",
               "difficulties": "2. Khó khăn, vướng mắc",
               "proposals": "3. Đề xuất, kiến nghị"}

PROGRESS_LABELS = {NOT_STARTED: "Chưa thực hiện", IN_PROGRESS: "Đang thực hiện", DONE: "Hoàn thành"}
_PROGRESS_WORDS = {fold(v): k for k, v in PROGRESS_LABELS.items()} | {
    "chua": NOT_STARTED, "dang": IN_PROGRESS, "xong": DONE, "da hoan thanh": DONE}
MAX_VALUE_WARNING = 1_000_000  # an activity count above this is probably a typo


def progress_code(text: str) -> str | None:
    """'Hoàn thành' / 'hoan thanh' / 'xong' → 'xong'; None when not a progress word."""
    return _PROGRESS_WORDS.get(fold(text).rstrip("."))


@dataclass(frozen=True)
class FormMeta:
    """The hidden sheet's identity part."""

    form_id: str
    unit_code: str
    period: str
    report_type: str
    form_version: int
    created_at: str


@dataclass(frozen=True)
class RowMap:
    """Which database row a sheet row answers: ('task', 5, assignment id) etc."""

    kind: str  # "task" | "activity"
    row: int
    ref_id: int


def canon(value: Any) -> str:
    """One text form for a cell value, the same after Excel or LibreOffice re-saves it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return nfc(str(value))


def checksum(secret: str, meta: FormMeta, rows: list[RowMap],
             locked: list[tuple[str, str, str]]) -> str:
    """HMAC-SHA256 (hex) over the metadata, the row map and the locked cells' values."""
    payload = json.dumps({
        "meta": [meta.form_id, meta.unit_code, meta.period, meta.report_type, meta.form_version,
                 meta.created_at],
        "rows": sorted([r.kind, r.row, r.ref_id] for r in rows),
        "locked": sorted([sh, cell, canon(v)] for sh, cell, v in locked),
    }, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(secret.encode(), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def same_checksum(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def get_secret(s: Session, create: bool = True) -> str:
    """The forms key; made (and audited, without its value) the first time a form is exported."""
    row = s.get(Setting, SECRET_KEY)
    if row is not None and row.value:
        return row.value
    if not create:
        return ""
    value = secrets.token_hex(32)
    if row is None:
        s.add(Setting(key=SECRET_KEY, value=value))
    else:
        row.value = value
    s.flush()
    audit.record(s, "setting", 0, "update", {SECRET_KEY: (None, "(khóa mới được tạo)")})
    return value
