"""Báo cáo tổng hợp dialog: choose the period, the date and the formats, edit sections II–IV
(prefilled drafts, saved per period with a version check), generate in the background with
progress and cancel, then preview and print the PDF or open the files."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from gui import clock, doc_actions
from gui.context import AppContext
from gui.messages import show_error
from gui.widgets.period_picker import PeriodPicker
from services import document_files as files
from services import outgoing
from services.errors import Cancelled, ServiceError, ValidationError
from services.periods import Period
from services.report_drafts import SECTION_TITLES, SECTIONS, Draft, save_draft

TAB_TITLES = {"II": "II. Tồn tại, hạn chế", "III": "III. Phương hướng kỳ tới", "IV": "IV. Đề xuất, kiến nghị"}


def date_box(value: date) -> QDateEdit:
    w = QDateEdit(QDate(value.year, value.month, value.day))
    w.setCalendarPopup(True)
    w.setDisplayFormat("dd/MM/yyyy")
    return w


def py_date(w: QDateEdit) -> date:
    q = w.date()
    return date(q.year(), q.month(), q.day())


def buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose Alt+letter focuses `widget` (a form row made of a layout has none)."""
    lab = QLabel(text)
    lab.setBuddy(widget)
    return lab


def format_boxes(formats: tuple[str, ...], checked: tuple[str, ...]) -> tuple[QHBoxLayout, dict[str, QCheckBox]]:
    lay, boxes = QHBoxLayout(), {}
    for f in formats:
        box = QCheckBox(files.FORMAT_LABELS[f])
        box.setObjectName(f"format_{f}")
        box.setChecked(f in checked)
        lay.addWidget(box)
        boxes[f] = box
    lay.addStretch(1)
    return lay, boxes


class DoneBar(QWidget):
    """After generating: what was made, and buttons to preview/print it or open its folder."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("result")
        self.label.setWordWrap(True)
        self.btn_preview = QPushButton("&Xem trước và in (Ctrl+P)")
        self.btn_preview.setObjectName("preview")
        self.btn_folder = QPushButton("Mở &thư mục")
        self.btn_folder.setObjectName("open_folder")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.btn_preview)
        lay.addWidget(self.btn_folder)
        self.result: files.GeneratedDocument | None = None
        self.btn_preview.clicked.connect(self.preview)
        self.btn_folder.clicked.connect(self.open_folder)
        QShortcut(QKeySequence.StandardKey.Print, parent, activated=self.preview)
        self.set_result(None)

    def set_result(self, result: files.GeneratedDocument | None, what: str = "") -> None:
        self.result = result
        self.btn_preview.setEnabled(bool(result and result.file("pdf")))
        self.btn_folder.setEnabled(result is not None)
        if result is not None:
            names = ", ".join(f.suffix[1:].upper() for f in result.files)
            self.label.setText(f"<b>Đã tạo {what} số {result.symbol}</b> ngày {result.doc_date:%d/%m/%Y} ({names}).")
        self.setVisible(result is not None)  # nothing to preview or open before generating

    def preview(self) -> None:
        if self.result and self.result.file("pdf"):
            doc_actions.preview(self.result.file("pdf"), self.window())

    def open_folder(self) -> None:
        if self.result and self.result.files:
            doc_actions.open_path(self.result.files[0].parent)


class ReportDialog(QDialog):
    generated = Signal(object)  # GeneratedDocument

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, period: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Báo cáo tổng hợp")
        self.resize(980, 720)
        today = clock.today()
        self.picker = PeriodPicker(period or Period.month(today.year, today.month).previous().name)
        self.doc_date = date_box(today)
        self.doc_date.setObjectName("doc_date")
        self.number = QLabel()
        self.number.setObjectName("number")
        self.subject = QLineEdit()
        self.subject.setObjectName("subject")
        self._subject_auto = True
        fmt_lay, self.formats = format_boxes(files.FORMATS, files.FORMATS)
        form = QFormLayout()
        form.addRow("&Kỳ báo cáo:", self.picker)
        date_row = QHBoxLayout()
        date_row.addWidget(self.doc_date)
        date_row.addWidget(self.number, 1)
        form.addRow(buddy("&Ngày văn bản:", self.doc_date), date_row)
        form.addRow("&Trích yếu:", self.subject)
        form.addRow("Định dạng:", fmt_lay)

        self.tabs = QTabWidget()
        self.editors: dict[str, QPlainTextEdit] = {}
        for sec in SECTIONS:
            ed = QPlainTextEdit()
            ed.setObjectName(f"draft_{sec}")
            ed.setToolTip(f"{SECTION_TITLES[sec]} — mỗi dòng là một đoạn văn của báo cáo.")
            self.editors[sec] = ed
            self.tabs.addTab(ed, TAB_TITLES[sec])
        self._drafts: dict[str, Draft] = {}
        self._defaults: dict[str, str] = {}
        self._loaded_period = ""

        self.btn_reset = QPushButton("&Khôi phục nội dung gợi ý")
        self.btn_save = QPushButton("&Lưu nháp (Ctrl+S)")
        self.btn_generate = QPushButton("Tạo &báo cáo (Ctrl+Enter)")
        self.btn_generate.setObjectName("generate")
        self.btn_generate.setDefault(True)
        self.btn_close = QPushButton("Đó&ng")
        self.status = QLabel()
        self.status.setObjectName("status")
        self.done_bar = DoneBar(self)
        row = QHBoxLayout()
        for b in (self.btn_reset, self.btn_save):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.btn_generate)
        row.addWidget(self.btn_close)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel("Mục I được lập từ số liệu; các mục II–IV dưới đây do cán bộ soạn, sửa trước khi tạo:"))
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.status)
        lay.addWidget(self.done_bar)
        lay.addLayout(row)

        self.btn_reset.clicked.connect(self.reset_current)
        self.btn_save.clicked.connect(lambda: self.save_drafts(quiet=False))
        self.btn_generate.clicked.connect(self.generate)
        self.btn_close.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=lambda: self.save_drafts(quiet=False))
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.generate)
        self.subject.textEdited.connect(lambda _t: setattr(self, "_subject_auto", False))
        self.picker.changed.connect(lambda _p: self.load())
        self.doc_date.dateChanged.connect(lambda _d: self._show_number())
        self.task = None
        self.result: files.GeneratedDocument | None = None
        self.load()

    # ---- drafts -------------------------------------------------------------------------
    def load(self) -> None:
        """Save edits of the period being left, then fetch the drafts of the new one in the
        background (gathering the figures takes a moment on a big database)."""
        if self._loaded_period and not self.save_drafts(quiet=True):
            return
        period, when, db = self.picker.period(), py_date(self.doc_date), self.ctx.db
        self._show_number()
        self.status.setText("Đang tải số liệu và nội dung gợi ý…")
        for ed in self.editors.values():
            ed.setEnabled(False)

        def work(progress, cancelled):  # noqa: ANN001, ANN202 - runner callback
            from services.consolidated_report import default_subject
            from services.report_data import gather
            from services.report_drafts import default_drafts, load_drafts

            data = gather(db, period, when)
            return period, load_drafts(db, period, when, data), default_drafts(db, period, when, data), \
                default_subject(data)

        # No parent: closing the dialog while this runs must not destroy the running task.
        self.ctx.runner.run(work, "Đang tải…", self._loaded, None, show_dialog=False)

    def _loaded(self, result, error) -> None:  # noqa: ANN001
        if not isValid(self):
            return
        if error is not None:
            self.status.setText("")
            show_error(self, error)
            return
        period, drafts, defaults, subject = result
        if period != self.picker.period():
            return  # the officer moved on meanwhile; that load is on its way
        self._drafts, self._defaults, self._loaded_period = drafts, defaults, period
        for sec, ed in self.editors.items():
            ed.setPlainText(drafts[sec].text)
            ed.setEnabled(True)
            ed.document().setModified(False)
        if self._subject_auto or not self.subject.text().strip():
            self.subject.setText(subject)
            self.subject.setCursorPosition(0)  # show the beginning of a long trích yếu
            self._subject_auto = True
        saved = [sec for sec in SECTIONS if drafts[sec].saved]
        self.status.setText(f"Mục {', '.join(saved)} đã lưu trước đây." if saved else
                            "Nội dung gợi ý từ số liệu (chưa lưu).")

    def _show_number(self) -> None:
        try:
            sym = outgoing.peek_symbol(self.ctx.db, py_date(self.doc_date), "BC")
        except ServiceError:
            sym = "…"
        self.number.setText(f"Số dự kiến: {sym} (số chính thức được cấp khi tạo)")

    def reset_current(self) -> None:
        sec = SECTIONS[self.tabs.currentIndex()]
        if sec in self._defaults:
            self.editors[sec].setPlainText(self._defaults[sec])
            self.editors[sec].document().setModified(True)

    def texts(self) -> dict[str, str]:
        return {sec: ed.toPlainText() for sec, ed in self.editors.items()}

    def save_drafts(self, quiet: bool) -> bool:
        """Save the sections that were edited (or never saved); False when a save failed."""
        if not self._loaded_period:
            return True
        try:
            for sec, ed in self.editors.items():
                d = self._drafts.get(sec)
                if d is None or (d.saved and not ed.document().isModified()):
                    continue
                if not d.saved and not ed.document().isModified() and quiet:
                    continue  # an untouched default is not worth saving when just switching
                self._drafts[sec] = save_draft(self.ctx.db, self._loaded_period, sec, ed.toPlainText(), d.version)
                ed.document().setModified(False)
        except ServiceError as e:
            show_error(self, e, "Không lưu được nội dung báo cáo")
            return False
        if not quiet:
            self.status.setText(f"Đã lưu nội dung các mục II–IV cho kỳ {Period.parse(self._loaded_period).label()}.")
        return True

    # ---- generate -----------------------------------------------------------------------
    def chosen_formats(self) -> list[str]:
        return [f for f, box in self.formats.items() if box.isChecked()]

    def generate(self) -> None:
        from services.consolidated_report import generate_report

        fmts = self.chosen_formats()
        if not fmts:
            show_error(self, ValidationError("Chọn ít nhất một định dạng (DOCX, PDF hoặc XLSX)."))
            return
        if self.task is not None or self._loaded_period != self.picker.period():
            return  # still loading or generating
        if not self.save_drafts(quiet=False):
            return
        db, period, when = self.ctx.db, self._loaded_period, py_date(self.doc_date)
        subject, texts = self.subject.text().strip() or None, self.texts()
        self.btn_generate.setEnabled(False)

        def work(progress, cancelled):  # noqa: ANN001, ANN202 - runner callback
            return generate_report(db, period, fmts, when, texts, progress, cancelled, subject=subject)

        self.task = self.ctx.runner.run(work, "Đang tạo báo cáo tổng hợp…", self._generated, self)

    def _generated(self, result, error) -> None:  # noqa: ANN001
        self.task = None
        self.btn_generate.setEnabled(True)
        self._show_number()
        if isinstance(error, Cancelled):
            self.status.setText("Đã hủy: chưa cấp số, không tạo tệp nào.")
            return
        if error is not None:
            show_error(self, error, "Không tạo được báo cáo")
            return
        self.result = result
        self.status.setText("")
        self.done_bar.set_result(result, "Báo cáo")
        self.ctx.bus.publish("documents", [result.id])
        self.generated.emit(result)

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
            return
        self.save_drafts(quiet=True)
        super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        # Enter in a one-line field must not close or generate: Ctrl+Enter generates.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            return
        super().keyPressEvent(event)
