"""Register or edit an incoming report (Báo cáo đến): unit, the expected report it answers
(or another period), the unit's number and date, received date (today by default),
channel, summary and files — added with a picker or dropped onto the dialog. Files whose
content is already stored are flagged as soon as they are added."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.context import AppContext
from gui.messages import confirm, show_error
from gui.widgets.file_drop import FileDropList, local_files
from services import incoming
from services import timeliness as tl
from services.report_types import list_report_types

OTHER = -1  # the "another period" entry of the expected-report combo
BLANK = QDate(1900, 1, 1)


def to_qdate(d: date | None) -> QDate:
    return QDate(d.year, d.month, d.day) if d else BLANK


def from_qdate(q: QDate) -> date | None:
    return None if q == BLANK else date(q.year(), q.month(), q.day())


def date_edit(value: date | None, optional: bool = False) -> QDateEdit:
    """A calendar date edit; an optional one shows blank for "no date" (its minimum)."""
    w = QDateEdit()
    w.setCalendarPopup(True)
    w.setDisplayFormat("dd/MM/yyyy")
    if optional:
        w.setMinimumDate(BLANK)
        w.setSpecialValueText(" ")
    w.setDate(to_qdate(value) if value or optional else QDate.currentDate())
    return w


class IncomingDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, incoming_id: int | None = None,
                 unit_id: int | None = None, period: str | None = None, report_type_id: int | None = None,
                 files: list[str] | tuple[str, ...] = (), today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.detail = incoming.get_incoming(ctx.db, incoming_id) if incoming_id else None
        self.result_value: incoming.Registered | None = None
        self.setWindowTitle("Sửa báo cáo đến" if self.detail else "Ghi nhận báo cáo đến")
        self.setMinimumWidth(640)
        self.setAcceptDrops(True)
        d = self.detail

        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        for u in incoming.unit_choices(ctx.db):
            self.unit.addItem(f"{u.name} ({u.code})" + ("" if u.owes_reports else " — không thuộc chế độ"), u.id)
        self.expected = QComboBox()
        self.expected.setObjectName("expected")
        self.other_period = QLineEdit()
        self.other_period.setPlaceholderText("2026-05, 2026-Q2, 2026-H1, 2026-9M, 2026")
        self.report_type = QComboBox()
        self.report_type.addItem("(tự nhận theo kỳ)", None)
        for t in list_report_types(ctx.db):
            self.report_type.addItem(t.name, t.id)
        self.doc_number = QLineEdit(d.doc_number if d else "")
        self.doc_number.setPlaceholderText("ví dụ 125/BC-UBND")
        self.doc_date = date_edit(d.doc_date if d else None, optional=True)
        self.received = date_edit(d.received_date if d else self.today)
        self.channel = QComboBox()
        for key, label in incoming.CHANNELS.items():
            self.channel.addItem(label, key)
        self.channel.setCurrentIndex(max(self.channel.findData(d.channel if d else "email"), 0))
        self.summary = QPlainTextEdit(d.summary if d else "")
        self.summary.setPlaceholderText("Tóm tắt nội dung chính của báo cáo")
        self.summary.setTabChangesFocus(True)
        self.summary.setMinimumHeight(90)
        self.status = QLabel()
        self.status.setObjectName("status_preview")
        self.status.setWordWrap(True)

        self.files = FileDropList()
        self.files.setObjectName("files")
        self.files.setMinimumHeight(90)
        self.files.files_dropped.connect(self.add_files)
        self.files.itemDoubleClicked.connect(lambda _i: self._open_file())
        add = QPushButton("Thêm &tệp…")
        add.clicked.connect(self._pick_files)
        self.open_btn = QPushButton("&Mở tệp")
        self.open_btn.clicked.connect(self._open_file)
        self.remove_btn = QPushButton("&Bỏ / xóa tệp")
        self.remove_btn.clicked.connect(self._remove_files)
        file_buttons = QHBoxLayout()
        for b in (add, self.open_btn, self.remove_btn):
            file_buttons.addWidget(b)
        file_buttons.addStretch(1)
        hint = QLabel("Có thể kéo thả tệp vào danh sách hoặc vào hộp thoại.")
        hint.setStyleSheet("color: #666;")

        form = QFormLayout()
        form.addRow("Đơn vị &gửi:", self.unit)
        form.addRow("Báo cáo &phải nộp:", self.expected)
        form.addRow("Kỳ &khác:", self.other_period)
        form.addRow("&Loại báo cáo:", self.report_type)
        form.addRow("", self.status)
        form.addRow("&Số, ký hiệu:", self.doc_number)
        form.addRow("Ngày &văn bản:", self.doc_date)
        form.addRow("Ngày &nhận:", self.received)
        form.addRow("&Hình thức nhận:", self.channel)
        form.addRow("&Tóm tắt:", self.summary)
        form.addRow("Tệp đính kèm:", self.files)
        form.addRow("", file_buttons)
        form.addRow("", hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Lưu")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.buttons)

        self.unit.currentIndexChanged.connect(self._load_expected)
        self.expected.currentIndexChanged.connect(self._expected_changed)
        self.received.dateChanged.connect(lambda _d: self._update_status())
        self.other_period.textChanged.connect(lambda _t: self._update_status())
        unit_id = d.unit_id if d else unit_id
        if unit_id is not None:
            self.unit.setCurrentIndex(max(self.unit.findData(unit_id), 0))
        self._load_expected()
        self._select_expected(d.expected_report_id if d else None, d.period if d else period,
                              d.report_type_id if d else report_type_id)
        self._show_existing()
        if files:
            self.add_files(list(files))

    # ---- expected report ---------------------------------------------------------
    def _load_expected(self) -> None:
        self.expected.blockSignals(True)
        self.expected.clear()
        self._choices = {}
        uid = self.unit.currentData()
        if uid is not None:
            for c in incoming.expected_for_unit(self.ctx.db, uid):
                self._choices[c.id] = c
                self.expected.addItem(c.label + (" — đã nhận" if c.received else ""), c.id)
        self.expected.addItem("Kỳ khác (nhập mã kỳ)…", OTHER)
        self.expected.blockSignals(False)
        self._select_expected(None, None, None)

    def _select_expected(self, expected_id: int | None, period: str | None, type_id: int | None) -> None:
        """Pick the expected report: by id, else by period (and type), else the oldest not
        received whose deadline is near, else "another period" with the text filled in."""
        index = -1
        if expected_id is not None:
            index = self.expected.findData(expected_id)
        if index < 0 and period:
            for i, c in enumerate(self._choices.values()):
                if c.period == period and (type_id is None or c.report_type_id == type_id):
                    index = i
                    break
            if index < 0:
                index = self.expected.findData(OTHER)
                self.other_period.setText(period)
                self.report_type.setCurrentIndex(max(self.report_type.findData(type_id), 0))
        if index < 0:
            # Most likely: the latest period whose data window has closed and that has not
            # been received; else the one whose deadline is nearest.
            open_ = [(c.window_end, i) for i, c in enumerate(self._choices.values())
                     if not c.received and c.window_end < self.today]
            near = [(abs((c.last_on_time_day - self.today).days), i)
                    for i, c in enumerate(self._choices.values()) if not c.received]
            index = max(open_)[1] if open_ else (min(near)[1] if near else 0)
        self.expected.setCurrentIndex(index)
        self._expected_changed()

    def _expected_changed(self) -> None:
        other = self.expected.currentData() == OTHER
        self.other_period.setEnabled(other)
        self.report_type.setEnabled(other)
        self._update_status()

    def _update_status(self) -> None:
        c = self._choices.get(self.expected.currentData())
        if c is None:
            self.status.setText("Báo cáo không theo chế độ (không tính vào tỷ lệ nộp báo cáo)."
                                if self.expected.currentData() == OTHER else "")
            self.status.setStyleSheet("color: #555;")
            return
        received = from_qdate(self.received.date()) or self.today
        st = tl.status_of(False, received, c.last_on_time_day, max(received, c.last_on_time_day))
        text = tl.status_text(st, received, c.last_on_time_day, received)
        self.status.setText(f"Hạn cuối: {c.last_on_time_day.strftime('%d/%m/%Y')} → nhận ngày "
                            f"{received.strftime('%d/%m/%Y')} là <b>{text.lower()}</b>.")
        self.status.setStyleSheet(f"background: {tl.STATUS_COLORS[st]}; padding: 3px;")

    # ---- files -------------------------------------------------------------------
    def _show_existing(self) -> None:
        for a in (self.detail.attachments if self.detail else ()):
            item = QListWidgetItem(f"{a.original_name} ({a.size // 1024 or 1} KB, đã lưu)")
            item.setData(Qt.ItemDataRole.UserRole, ("stored", a.id))
            self.files.addItem(item)

    def new_files(self) -> list[str]:
        out = []
        for i in range(self.files.count()):
            kind, value = self.files.item(i).data(Qt.ItemDataRole.UserRole)
            if kind == "new":
                out.append(value)
        return out

    def add_files(self, paths: list[str]) -> None:
        have = set(self.new_files())
        fresh = [p for p in paths if p not in have and Path(p).is_file()]
        try:
            dups = {d.path: d for d in incoming.duplicates_of(self.ctx.db, fresh)}
        except OSError as e:
            show_error(self, e)
            return
        for p in fresh:
            dup = dups.get(p)
            text = Path(p).name + (f" — trùng nội dung với “{dup.existing_name}” đã lưu ở {dup.where}" if dup else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, ("new", p))
            item.setToolTip(p)
            if dup:
                item.setForeground(QColor("#b35900"))
            self.files.addItem(item)

    def _pick_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Chọn tệp đính kèm", str(Path.home()),
                                                "Văn bản (*.pdf *.doc *.docx *.xls *.xlsx *.odt *.ods *.jpg *.png *.zip);;"
                                                "Tất cả các tệp (*)")
        if paths:
            self.add_files(paths)

    def _open_file(self) -> None:
        item = self.files.currentItem()
        if item is None:
            return
        kind, value = item.data(Qt.ItemDataRole.UserRole)
        try:
            path = incoming.attachment_path(self.ctx.db, value) if kind == "stored" else Path(value)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _remove_files(self) -> None:
        for item in self.files.selectedItems():
            kind, value = item.data(Qt.ItemDataRole.UserRole)
            if kind == "stored":
                if not confirm(self, f"Xóa tệp đính kèm “{item.text()}” khỏi báo cáo này?"):
                    continue
                try:
                    incoming.delete_attachment(self.ctx.db, value)
                except Exception as e:  # noqa: BLE001 - shown to the user
                    show_error(self, e)
                    continue
                self.ctx.bus.publish("reports", [self.detail.id if self.detail else None])
            self.files.takeItem(self.files.row(item))

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if local_files(e.mimeData()):
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = local_files(e.mimeData())
        if files:
            e.acceptProposedAction()
            self.add_files(files)

    # ---- saving --------------------------------------------------------------------
    def _values(self) -> tuple[int, str, int | None]:
        c = self._choices.get(self.expected.currentData())
        if c is not None:
            return self.unit.currentData() or 0, c.period, c.report_type_id
        return self.unit.currentData() or 0, self.other_period.text().strip(), self.report_type.currentData()

    def save(self) -> None:
        unit_id, period, type_id = self._values()
        received = from_qdate(self.received.date()) or self.today
        common = dict(unit_id=unit_id, period=period, report_type_id=type_id, doc_number=self.doc_number.text(),
                      doc_date=from_qdate(self.doc_date.date()), received_date=received,
                      channel=self.channel.currentData(), summary=self.summary.toPlainText())
        files, db, d = self.new_files(), self.ctx.db, self.detail
        if d is None:
            def work(progress, cancelled):  # noqa: ANN001, ANN202
                progress(0, 0, "Đang lưu báo cáo và sao chép tệp…")
                return incoming.register(db, incoming.NewIncoming(files=files, **common))
        else:
            def work(progress, cancelled):  # noqa: ANN001, ANN202
                progress(0, 0, "Đang lưu báo cáo và sao chép tệp…")
                return incoming.edit(db, incoming.EditIncoming(d.id, d.version, add_files=files, **common))
        self.buttons.setEnabled(False)
        self.ctx.runner.run(work, "Đang lưu báo cáo đến…", self._saved, self)

    def _saved(self, result: incoming.Registered | None, error: BaseException | None) -> None:
        self.buttons.setEnabled(True)
        if error is not None:
            show_error(self, error)
            return
        self.result_value = result
        self.ctx.bus.publish("reports", [result.id] if result else [])
        self.accept()
