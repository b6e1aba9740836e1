"""Add or change a calendar override: an extra day off announced by the Government, or a
weekend day made a working day (làm bù). Saving moves the deadlines it touches."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gui import clock
from gui.context import AppContext
from gui.dialogs.incoming_report import date_edit, from_qdate
from gui.messages import show_error
from services import calendar_service as cs
from services.workdays import WorkCalendar


class OverrideDialog(QDialog):
    def __init__(self, ctx: AppContext, current: cs.OverrideInfo | None = None, parent: QWidget | None = None,
                 day: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current = current
        self.setWindowTitle("Sửa ngày điều chỉnh" if current else "Thêm ngày nghỉ / làm bù")
        self.setMinimumWidth(460)
        self.day = date_edit(current.day if current else (day or clock.today()))
        self.day.setObjectName("day")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for key, label in cs.KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(max(self.kind.findData(current.kind if current else cs.OFF), 0))
        self.note = QLineEdit(current.note if current else "")
        self.note.setObjectName("note")
        self.note.setPlaceholderText("ví dụ: Nghỉ bù dịp Quốc khánh theo Thông báo số …/TB-VPCP")
        self.info = QLabel()
        self.info.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Ngày:", self.day)
        form.addRow("", self.info)
        form.addRow("&Loại:", self.kind)
        form.addRow("&Ghi chú:", self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Lưu")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        self.day.dateChanged.connect(lambda _d: self._describe())
        self._describe()

    def _describe(self) -> None:
        """Say what the day is without the override, so a wrong date is noticed."""
        d = from_qdate(self.day.date())
        if d is None:
            return
        plain = WorkCalendar()
        what = plain.holiday_name(d) or ("ngày nghỉ cuối tuần" if d.weekday() >= 5 else "ngày làm việc")
        self.info.setText(f"{cs.WEEKDAYS[d.weekday()]}, {d.strftime('%d/%m/%Y')} — theo lịch chung: {what}.")

    def save(self) -> None:
        day, kind, note = from_qdate(self.day.date()), self.kind.currentData(), self.note.text()
        db, original, today = self.ctx.db, self.current.day if self.current else None, clock.today()

        def work(progress, cancelled):  # noqa: ANN001, ANN202
            return cs.save_override(db, day, kind, note, today, original_day=original,
                                    progress=progress, cancelled=cancelled)

        self.buttons.setEnabled(False)
        self.ctx.runner.run(work, "Đang lưu và tính lại hạn nộp…", self._saved, self)

    def _saved(self, result: object, error: BaseException | None) -> None:
        self.buttons.setEnabled(True)
        if error is not None:
            show_error(self, error)
            return
        self.ctx.bus.publish("calendar", result)
        self.ctx.bus.publish("expected", result)
        self.accept()
