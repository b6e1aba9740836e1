"""Assess a qualitative target: đạt / chưa đạt / đang theo dõi, with a note."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from gui.messages import show_error
from gui.widgets.buttons import dialog_buttons
from models.db import Database
from services.indicators import set_status
from services.targets import STATUS_LABELS, WATCHING, TargetProgress


class TargetStatusDialog(QDialog):
    def __init__(self, db: Database, target: TargetProgress, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.target = target
        self.setWindowTitle(f"Đánh giá mục tiêu {target.code}")
        self.setMinimumWidth(520)
        text = QLabel(f"<b>{target.name}</b><br>{target.description}")
        text.setWordWrap(True)
        self.status = QComboBox()
        for key, label in STATUS_LABELS.items():
            self.status.addItem(label, key)
        self.status.setCurrentIndex(max(self.status.findData(target.status or WATCHING), 0))
        self.note = QPlainTextEdit(target.status_note)
        self.note.setPlaceholderText("Căn cứ đánh giá (văn bản, số liệu, kết quả kiểm tra…)")
        form = QFormLayout()
        form.addRow("Đánh &giá:", self.status)
        form.addRow("&Ghi chú:", self.note)
        buttons = dialog_buttons(self, "&Lưu", QDialogButtonBox.StandardButton.Save)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def accept(self) -> None:
        try:
            set_status(self.db, self.target.indicator_id, self.status.currentData(), self.note.toPlainText(),
                       self.target.version)
        except Exception as e:  # noqa: BLE001 - shown to the user; the dialog stays open
            show_error(self, e)
            return
        super().accept()
