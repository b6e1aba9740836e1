"""Đôn đốc (reminders) for a period: the units to chase with their contacts, an e-mail text
to copy, recording reminders sent (date, channel), and the log of those already sent."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui import clock
from gui.context import AppContext
from gui.dialogs.incoming_report import date_edit, from_qdate
from gui.messages import show_error
from gui.widgets.table import Column, DataTable, LazyTableModel
from services import dashboard, reminders
from services import timeliness as tl
from services.settings import get_int

CHASE_COLUMNS = [
    Column("unit_name", "Đơn vị", 220, sortable=False), Column("contact_person", "Người đầu mối", 150, sortable=False),
    Column("phone", "Điện thoại", 110, sortable=False), Column("email", "Thư điện tử", 190, sortable=False),
    Column("period_label", "Kỳ", 130, sortable=False),
    Column("status_text", "Tình trạng", 170, sortable=False, color=lambda r: tl.STATUS_COLORS.get(r.status)),
    Column("reminders", "Đã nhắc", 60, sortable=False), Column("last_reminder", "Lần cuối", 85, sortable=False),
]
LOG_COLUMNS = [
    Column("sent_date", "Ngày", 85, sortable=False), Column("unit_name", "Đơn vị", 220, sortable=False),
    Column("period", "Kỳ", 130, sortable=False), Column("channel_label", "Hình thức", 150, sortable=False),
    Column("note", "Ghi chú", 260, sortable=False),
]


class RemindersDialog(QDialog):
    def __init__(self, ctx: AppContext, month_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = clock.today()
        self.setWindowTitle("Đôn đốc nộp báo cáo")
        self.resize(1000, 720)

        self.period = QComboBox()
        self.period.setObjectName("period")
        for c in dashboard.period_choices(ctx.db):
            self.period.addItem(c.label, c.month_key)
        self.period.setCurrentIndex(max(self.period.findData(month_key), 0))
        top = QHBoxLayout()
        lab = QLabel("&Kỳ:")
        lab.setBuddy(self.period)
        top.addWidget(lab)
        self.period.setMinimumWidth(280)
        top.addWidget(self.period)
        self.hint = QLabel()
        top.addWidget(self.hint, 1)

        self.chase_model = LazyTableModel(CHASE_COLUMNS, lambda ids: [], self)
        self.chase = DataTable("reminder_units", self.chase_model, self, "Đơn vị cần đôn đốc")
        self.chase.setSelectionMode(DataTable.SelectionMode.ExtendedSelection)
        self.subject = QLineEdit()
        self.subject.setObjectName("subject")
        self.body = QPlainTextEdit()
        self.body.setObjectName("body")
        self.recipients = QLineEdit()
        self.recipients.setObjectName("recipients")
        self.recipients.setReadOnly(True)
        mail = QVBoxLayout()
        for text, w in (("Gửi đến:", self.recipients), ("Tiêu đề:", self.subject)):
            row = QHBoxLayout()
            row.addWidget(QLabel(text))
            row.addWidget(w, 1)
            mail.addLayout(row)
        mail.addWidget(self.body, 1)
        copy_row = QHBoxLayout()
        for text, slot in (("Soạn lại theo các đơn vị đã &chọn", self._compose),
                           ("Sao chép &địa chỉ", lambda: self._copy(self.recipients.text())),
                           ("Sao chép &thư", lambda: self._copy(f"{self.subject.text()}\n\n{self.body.toPlainText()}"))):
            b = QPushButton(text)
            b.clicked.connect(slot)
            copy_row.addWidget(b)
        copy_row.addStretch(1)
        mail.addLayout(copy_row)

        self.sent_date = date_edit(self.today)
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        for key, label in reminders.CHANNELS.items():
            self.channel.addItem(label, key)
        self.note = QLineEdit()
        self.note.setPlaceholderText("ghi chú, ví dụ: gọi chị Lan, hẹn gửi trước 10/12")
        self.record_btn = QPushButton("&Ghi nhận đã đôn đốc các đơn vị đã chọn")
        self.record_btn.clicked.connect(self.record)
        rec = QHBoxLayout()
        for w in (QLabel("Ngày:"), self.sent_date, QLabel("Hình thức:"), self.channel, self.note, self.record_btn):
            rec.addWidget(w)
        self.log_model = LazyTableModel(LOG_COLUMNS, lambda ids: [], self)
        self.log = DataTable("reminder_log", self.log_model, self, "Nhật ký đôn đốc")

        upper, lower = QWidget(), QWidget()
        ul = QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        ul.addWidget(QLabel("<b>Đơn vị chưa nộp</b> (chọn các dòng cần đôn đốc; mặc định: đã quá hạn "
                            "hoặc sắp đến hạn)"))
        ul.addWidget(self.chase, 1)
        ul.addLayout(mail, 1)
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(rec)
        ll.addWidget(QLabel("<b>Nhật ký đôn đốc của kỳ</b>"))
        ll.addWidget(self.log, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setSizes([470, 190])
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.period.currentIndexChanged.connect(lambda _i: self.load())
        self.load()
        # The e-mail follows the rows chosen (a short query, no need for a button press).
        self.chase.selectionModel().selectionChanged.connect(lambda *_a: self._compose())

    def month_key(self) -> str:
        return self.period.currentData()

    def load(self) -> None:
        try:
            rows = reminders.units_to_chase(self.ctx.db, self.month_key(), self.today)
            log = reminders.reminder_log(self.ctx.db, self.month_key())
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.chase_model.set_rows(rows)
        self.log_model.set_rows(log)
        lead = get_int(self.ctx.db, "reminder_lead_days")
        soon = self.today + timedelta(days=lead)
        sel = self.chase.selectionModel()
        sel.clearSelection()
        for i, r in enumerate(rows):
            if r.status == tl.MISSING or r.last_on_time_day <= soon:
                sel.select(self.chase_model.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                           | QItemSelectionModel.SelectionFlag.Rows)
        self.hint.setText(f"{len(rows)} đơn vị chưa nộp, {sum(r.status == tl.MISSING for r in rows)} đã quá hạn")
        self._compose()

    def selected_ids(self) -> list[int]:
        return [r.expected_id for r in self.chase.selected_rows() if r is not None]

    def _compose(self) -> None:
        ids = self.selected_ids()
        draft = reminders.email_text(self.ctx.db, self.month_key(), self.today, ids)
        self.subject.setText(draft.subject)
        self.body.setPlainText(draft.body)
        self.recipients.setText(draft.recipients_text())

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)

    def record(self) -> None:
        ids = self.selected_ids()
        sent = from_qdate(self.sent_date.date()) or date.today()
        try:
            n = reminders.record_reminders(self.ctx.db, ids, sent, self.channel.currentData(), self.note.text())
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.ctx.bus.publish("reminders", {"count": n})
        self.note.clear()
        self.load()
