"""Stop a unit (ngừng hoạt động) from a date; its history stays and it owes nothing after."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from gui import clock
from gui.messages import show_error
from gui.widgets.buttons import dialog_buttons
from gui.widgets.date_field import DateField
from models.db import Database
from services import units as U
from services.errors import ValidationError


class DeactivateDialog(QDialog):
    def __init__(self, db: Database, unit_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.unit = U.get_unit(db, unit_id)
        self.saved: U.UnitRow | None = None
        self.setWindowTitle(f"Ngừng hoạt động — {self.unit.code}")
        self.on = DateField(clock.today(), "Ngày cuối cùng hoạt động")
        self.on.setObjectName("deactivate_date")
        note = QLabel(f"<b>{self.unit.name}</b> không bị xóa: báo cáo, nhiệm vụ và số liệu đã có vẫn giữ "
                      "nguyên. Sau ngày này đơn vị không còn phải nộp báo cáo cho các kỳ mới.")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Ngày &cuối cùng hoạt động:", self.on)
        buttons = dialog_buttons(self, "&Ngừng hoạt động", QDialogButtonBox.StandardButton.Ok)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def accept(self) -> None:
        try:
            on = self.on.date()
            if on is None:
                raise ValidationError("Chưa nhập ngày.")
            self.saved = U.deactivate_unit(self.db, self.unit.id, on, self.unit.version)
        except Exception as e:  # noqa: BLE001 - shown to the user; the dialog stays open
            show_error(self, e)
            return
        super().accept()
