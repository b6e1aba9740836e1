"""Rows, columns and the hand-matching dialog of the form import preview
(gui/dialogs/forms_import.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from gui.context import AppContext
from gui.messages import show_error
from gui.widgets.table import Column
from services.errors import ValidationError
from services.forms_export import form_units
from services.forms_import import NEEDS_MATCH, OK, REFUSED, UNCHANGED, ManualMatch
from services.periods import Period

COLORS = {OK: "#e3f4e1", UNCHANGED: "#eeeeee", REFUSED: "#f9dcdc", NEEDS_MATCH: "#fff2cc"}


@dataclass(frozen=True)
class FileRow:
    id: int
    name: str
    unit: str
    period: str
    status: str
    status_label: str
    errors: int
    warnings: int
    changes: int
    received: date | None


@dataclass(frozen=True)
class ChangeRow:
    id: int
    sheet: str
    cell: str
    subject: str
    old: str
    new: str


@dataclass(frozen=True)
class ProblemRow:
    id: int
    level: str
    sheet: str
    cell: str
    message: str


FILE_COLUMNS = [
    Column("name", "Tệp", 230), Column("unit", "Đơn vị", 90), Column("period", "Kỳ", 70),
    Column("status_label", "Trạng thái", 140, color=lambda r: COLORS.get(r.status)),
    Column("errors", "Lỗi", 45, align=Qt.AlignmentFlag.AlignRight),
    Column("warnings", "Cảnh báo", 70, align=Qt.AlignmentFlag.AlignRight),
    Column("changes", "Thay đổi", 70, align=Qt.AlignmentFlag.AlignRight),
    Column("received", "Ngày nhận", 90)]
CHANGE_COLUMNS = [Column("sheet", "Trang", 125), Column("cell", "Ô", 40), Column("subject", "Nội dung", 170),
                  Column("old", "Hiện tại", 140), Column("new", "Mới", 140)]
PROBLEM_COLUMNS = [Column("level", "Mức", 64, color=lambda r: "#f9dcdc" if r.level == "Lỗi" else "#fff2cc"),
                   Column("sheet", "Trang", 125), Column("cell", "Ô", 40), Column("message", "Nội dung", 260)]


def sorted_rows(rows: list, key: str, descending: bool) -> list:
    """Preview rows live in memory (nothing is in the database yet), so they sort here."""
    def sort_key(r: object) -> tuple:
        v = getattr(r, key)
        return (v is None, v if v is not None else 0)

    return sorted(rows, key=sort_key, reverse=descending)


class HandMatchDialog(QDialog):
    """Choose the unit and period of a form whose hidden sheet is missing."""

    def __init__(self, ctx: AppContext, file_name: str, period: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ghép biểu mẫu thủ công")
        self.unit = QComboBox()
        for u in form_units(ctx.db, period, include_all=True):
            self.unit.addItem(f"{u.code} — {u.name}", u.unit_id)
        self.period = QLineEdit(period)
        note = QLabel(f"Tệp <b>{file_name}</b> không còn trang thông tin ẩn. Chọn đơn vị và kỳ báo cáo của "
                      "tệp; các dòng được ghép theo mã nhiệm vụ và tên chỉ tiêu. Các ô đã khóa không kiểm tra "
                      "được: hãy xem kỹ bảng thay đổi trước khi nhập.")
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("Đơn &vị:", self.unit)
        form.addRow("&Kỳ báo cáo:", self.period)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self._accept)
        box.rejected.connect(self.reject)
        form.addRow(box)
        self.match: ManualMatch | None = None

    def _accept(self) -> None:
        try:
            name = Period.parse(self.period.text()).name
        except ValidationError as e:
            show_error(self, e)
            return
        self.match = ManualMatch(int(self.unit.currentData()), name)
        self.accept()
