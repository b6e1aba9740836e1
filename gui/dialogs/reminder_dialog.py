"""Công văn đôn đốc dialog: choose the period, the letter's date and the deadline it sets,
tick the units to remind (those with reports missing or late), generate the letter in the
background (numbered in the register, reminders logged), then preview and print it."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui import clock
from gui.context import AppContext
from gui.dialogs.report_dialog import DoneBar, buddy, date_box, format_boxes, py_date
from gui.messages import show_error
from gui.widgets.period_picker import PeriodPicker
from services import outgoing
from services import reminder_letter as rl
from services import timeliness as tl
from services.errors import Cancelled, ServiceError, ValidationError
from services.periods import Period
from services.report_data import plan_info


class ReminderDialog(QDialog):
    generated = Signal(object)  # GeneratedDocument

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, period: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Công văn đôn đốc báo cáo")
        self.resize(820, 620)
        today = clock.today()
        self.picker = PeriodPicker(period or Period.month(today.year, today.month).previous().name)
        self.doc_date = date_box(today)
        self.doc_date.setObjectName("doc_date")
        self.deadline = date_box(rl.default_deadline(ctx.db, today))
        self.deadline.setObjectName("deadline")
        self.deadline.setMaximumWidth(160)
        self.number = QLabel()
        self.subject = QLineEdit()
        self.subject.setObjectName("subject")
        self._subject_auto = True
        fmt_lay, self.formats = format_boxes(rl.FORMATS, rl.FORMATS)
        self.units = QListWidget()
        self.units.setObjectName("units")
        form = QFormLayout()
        form.addRow("&Kỳ báo cáo:", self.picker)
        row = QHBoxLayout()
        row.addWidget(self.doc_date)
        row.addWidget(self.number, 1)
        form.addRow(buddy("&Ngày công văn:", self.doc_date), row)
        form.addRow("&Hạn gửi báo cáo:", self.deadline)
        form.addRow("&Trích yếu:", self.subject)
        form.addRow("Định dạng:", fmt_lay)

        self.status = QLabel()
        self.status.setObjectName("status")
        self.done_bar = DoneBar(self)
        self.btn_all = QPushButton("Chọn &tất cả")
        self.btn_none = QPushButton("&Bỏ chọn")
        self.btn_generate = QPushButton("Tạo &công văn (Ctrl+Enter)")
        self.btn_generate.setObjectName("generate")
        self.btn_close = QPushButton("Đó&ng")
        buttons = QHBoxLayout()
        buttons.addWidget(self.btn_all)
        buttons.addWidget(self.btn_none)
        buttons.addStretch(1)
        buttons.addWidget(self.btn_generate)
        buttons.addWidget(self.btn_close)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel("Cơ quan, đơn vị được đôn đốc (chưa gửi hoặc gửi chậm báo cáo của kỳ):"))
        lay.addWidget(self.units, 1)
        lay.addWidget(self.status)
        lay.addWidget(self.done_bar)
        lay.addLayout(buttons)

        self.btn_all.clicked.connect(lambda: self._check_all(True))
        self.btn_none.clicked.connect(lambda: self._check_all(False))
        self.btn_generate.clicked.connect(self.generate)
        self.btn_close.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.generate)
        self.picker.changed.connect(lambda _p: self.load())
        self.doc_date.dateChanged.connect(lambda _d: self._date_changed())
        self.subject.textEdited.connect(lambda _t: setattr(self, "_subject_auto", False))
        self.task = None
        self.result = None
        self.load()

    def _date_changed(self) -> None:
        self.deadline.setDate(date_box(rl.default_deadline(self.ctx.db, py_date(self.doc_date))).date())
        self.load()

    def load(self) -> None:
        """Units to remind as of the letter's date (a quick query: no background needed)."""
        period, when = self.picker.period(), py_date(self.doc_date)
        try:
            sym = outgoing.peek_symbol(self.ctx.db, when, rl.DOC_TYPE)
            targets = rl.reminder_targets(self.ctx.db, period, when)
        except ServiceError as e:
            show_error(self, e)
            return
        self.number.setText(f"Số dự kiến: {sym}")
        self.units.clear()
        for t in targets:
            what = "; ".join(f"{Period.parse(r.period).label()}: {r.status_text.lower()}" for r in t.rows)
            item = QListWidgetItem(f"{t.unit_name} — {what}")
            item.setData(Qt.ItemDataRole.UserRole, t.unit_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setToolTip("Chưa gửi báo cáo" if t.missing else "Đã gửi nhưng trễ hạn")
            item.setBackground(QColor(tl.STATUS_COLORS[tl.MISSING if t.missing else tl.LATE]))
            self.units.addItem(item)
        missing = sum(t.missing for t in targets)
        self.status.setText(f"{missing} đơn vị chưa gửi, {len(targets) - missing} đơn vị gửi chậm."
                            if targets else f"Không có đơn vị nào chưa gửi hoặc gửi chậm báo cáo "
                                            f"{Period.parse(period).label()} tính đến ngày {when:%d/%m/%Y}.")
        if self._subject_auto or not self.subject.text().strip():
            self.subject.setText(rl.default_subject(plan_info(self.ctx.db), Period.parse(period)))
            self.subject.setCursorPosition(0)
            self._subject_auto = True
        self.btn_generate.setEnabled(bool(targets))

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for i in range(self.units.count()):
            self.units.item(i).setCheckState(state)

    def chosen_units(self) -> list[int]:
        return [self.units.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.units.count())
                if self.units.item(i).checkState() == Qt.CheckState.Checked]

    def generate(self) -> None:
        fmts = [f for f, box in self.formats.items() if box.isChecked()]
        units = self.chosen_units()
        if not fmts or not units:
            show_error(self, ValidationError("Chọn ít nhất một định dạng và một cơ quan, đơn vị."))
            return
        if self.task is not None:
            return
        db, period, when, deadline = self.ctx.db, self.picker.period(), py_date(self.doc_date), py_date(self.deadline)
        subject = self.subject.text().strip() or None
        self.btn_generate.setEnabled(False)

        def work(progress, cancelled):  # noqa: ANN001, ANN202 - runner callback
            return rl.generate_reminder(db, period, fmts, when, deadline, units, progress, cancelled, subject)

        self.task = self.ctx.runner.run(work, "Đang tạo công văn đôn đốc…", self._generated, self)

    def _generated(self, result, error) -> None:  # noqa: ANN001
        self.task = None
        self.btn_generate.setEnabled(True)
        if isinstance(error, Cancelled):
            self.status.setText("Đã hủy: chưa cấp số, không tạo tệp nào.")
            return
        if error is not None:
            show_error(self, error, "Không tạo được công văn")
            return
        self.result = result
        self.status.setText("Đã ghi nhận việc đôn đốc (hình thức: công văn) cho các đơn vị đã chọn.")
        self.done_bar.set_result(result, "Công văn")
        self.number.setText(f"Số dự kiến: {outgoing.peek_symbol(self.ctx.db, py_date(self.doc_date), rl.DOC_TYPE)}")
        self.ctx.bus.publish("documents", [result.id])
        self.ctx.bus.publish("reminders", [result.id])
        self.generated.emit(result)

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
            return
        super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            return
        super().keyPressEvent(event)
