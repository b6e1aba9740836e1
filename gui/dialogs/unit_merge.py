"""Merge one unit into another (services/unit_merge.py): pick the receiving unit and the
date; optionally move the open tasks. The old unit and its history stay, under its name."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from gui import clock
from gui.messages import show_error
from gui.widgets.buttons import dialog_buttons
from gui.widgets.date_field import DateField
from models.db import Database
from services import units as U
from services.errors import ValidationError
from services.unit_merge import MergeResult, merge_units


class MergeDialog(QDialog):
    def __init__(self, db: Database, source_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.source = U.get_unit(db, source_id)
        self.result_: MergeResult | None = None
        self.setWindowTitle(f"Sáp nhập đơn vị — {self.source.code}")
        self.setMinimumWidth(560)
        self.target = QComboBox()
        self.target.setObjectName("target")
        for u in U.list_units(db, active_only=True, today=clock.today()):
            if u.id != self.source.id and not u.is_group and not u.merged_into_id:
                self.target.addItem(f"{u.code} — {u.name}", u.id)
        self.on = DateField(clock.today(), "Ngày sáp nhập")
        self.on.setObjectName("merge_date")
        self.move = QCheckBox("Chuyển các nhiệm vụ chưa hoàn thành sang đơn vị tiếp nhận")
        self.move.setObjectName("move_open")
        self.move.setChecked(True)
        note = QLabel(
            f"<b>{self.source.name}</b> sẽ ngừng hoạt động từ ngày sáp nhập. Lịch sử của đơn vị (báo cáo đã "
            "nộp, nhiệm vụ đã làm, số liệu) vẫn giữ nguyên dưới tên cũ và hiện cả trong danh sách của đơn vị "
            "tiếp nhận; tìm theo tên cũ cũng ra đơn vị tiếp nhận.")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Sáp nhập &vào:", self.target)
        form.addRow("&Ngày sáp nhập:", self.on)
        form.addRow("", self.move)
        buttons = dialog_buttons(self, "&Sáp nhập", QDialogButtonBox.StandardButton.Ok)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def accept(self) -> None:
        try:
            on = self.on.date()
            if on is None:
                raise ValidationError("Chưa nhập ngày sáp nhập.")
            self.result_ = merge_units(self.db, self.source.id, self.target.currentData(), on,
                                       self.source.version, self.move.isChecked())
        except Exception as e:  # noqa: BLE001 - shown to the user; the dialog stays open
            show_error(self, e)
            return
        super().accept()
