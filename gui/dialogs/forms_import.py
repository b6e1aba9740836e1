"""Nhập biểu mẫu: drop returned forms (files or folders), see for each file what would
change (current → new) and every error and warning by sheet and cell, adjust the
received date, match a form without its hidden sheet by hand, then import — each file
all or nothing, in the background with progress and cancel.
Opened from the Báo cáo đến page: `open_forms_import`."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.context import AppContext
from gui.dialogs.forms_preview import (
    CHANGE_COLUMNS,
    FILE_COLUMNS,
    PROBLEM_COLUMNS,
    ChangeRow,
    FileRow,
    HandMatchDialog,
    ProblemRow,
    sorted_rows,
)
from gui.messages import show_error
from gui.widgets.table import DataTable, LazyTableModel
from services.errors import Cancelled, ValidationError
from services.forms_commit import FAILED, IMPORTED, ImportOutcome, analyze_files, commit_all
from services.forms_export import default_period
from services.forms_import import NEEDS_MATCH, OK, REFUSED, UNCHANGED, FilePreview, ManualMatch
from services.periods import Period, format_date_vn


class FormsImportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.paths: list[str] = []
        self.previews: list[FilePreview] = []
        self.manual: dict[str, ManualMatch] = {}
        self.received: dict[str, date] = {}
        self.outcomes: list[ImportOutcome] = []
        self.last_message = ""  # the last import's summary, kept above the counts
        self.busy = False
        self.task = None  # the running background job (its progress dialog can cancel it)
        self._file_sort = ("", False)
        self.setWindowTitle("Nhập biểu mẫu Excel của đơn vị")
        self.setAcceptDrops(True)
        self.resize(1150, 760)

        self.drop = QLabel("Kéo thả tệp .xlsx hoặc cả thư mục vào cửa sổ này, hoặc dùng các nút bên phải.")
        self.drop.setStyleSheet("QLabel { border: 2px dashed #8aa; padding: 14px; color: #345; }")
        add_files, add_dir, clear = QPushButton("Thêm &tệp…"), QPushButton("Thêm thư &mục…"), QPushButton("&Xóa danh sách")
        add_files.setToolTip("Ctrl+O")
        add_dir.setToolTip("Ctrl+Shift+O")
        self.only_period = QCheckBox("Chỉ nhận biểu mẫu của kỳ:")
        self.period = QLineEdit(default_period(ctx.db))
        self.period.setMaximumWidth(90)
        self.period.setEnabled(False)

        self.files_model = LazyTableModel(FILE_COLUMNS, lambda ids: [], self)
        self.files = DataTable("forms_import_files", self.files_model, self, "Biểu mẫu nhập")
        self.changes_model = LazyTableModel(CHANGE_COLUMNS, lambda ids: [], self)
        self.changes = DataTable("forms_import_changes", self.changes_model, self, "Thay đổi")
        self.problems_model = LazyTableModel(PROBLEM_COLUMNS, lambda ids: [], self)
        self.problems = DataTable("forms_import_problems", self.problems_model, self, "Lỗi và cảnh báo")
        for table in (self.changes, self.problems):  # long texts wrap instead of being cut
            table.setWordWrap(True)
            table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.detail = QLabel("Chọn một tệp để xem chi tiết.")
        self.detail.setWordWrap(True)
        self.received_edit = QDateEdit()
        self.received_edit.setCalendarPopup(True)
        self.received_edit.setDisplayFormat("dd/MM/yyyy")
        self.received_edit.setEnabled(False)
        self.apply_all = QPushButton("Áp dụng cho mọi tệp")
        self.apply_all.setEnabled(False)
        self.hand_match = QPushButton("&Ghép thủ công…")
        self.hand_match.setEnabled(False)
        self.recheck = QPushButton("&Kiểm tra lại")
        self.recheck.setToolTip("F5")
        self.do_import = QPushButton("&Nhập")
        self.do_import.setToolTip("Ctrl+Enter")
        self.do_import.setEnabled(False)
        close = QPushButton("Đóng")
        self.status = QLabel()
        self.status.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.drop, 1)
        side = QVBoxLayout()
        for b in (add_files, add_dir, clear):
            side.addWidget(b)
        top.addLayout(side)
        opts = QHBoxLayout()
        opts.addWidget(self.only_period)
        opts.addWidget(self.period)
        opts.addStretch(1)
        file_bar = QHBoxLayout()
        file_bar.addWidget(self.detail, 1)
        file_bar.addWidget(QLabel("Ngày &nhận:"))
        file_bar.itemAt(file_bar.count() - 1).widget().setBuddy(self.received_edit)
        for w in (self.received_edit, self.apply_all, self.hand_match):
            file_bar.addWidget(w)
        lower = QSplitter(Qt.Orientation.Horizontal)
        for title, table in (("Thay đổi (hiện tại → mới)", self.changes), ("Lỗi và cảnh báo", self.problems)):
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            v.addWidget(QLabel(f"<b>{title}</b>"))
            v.addWidget(table)
            lower.addWidget(box)
        lower.setSizes([620, 510])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.files)
        split.addWidget(lower)
        split.setSizes([260, 380])
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for b in (self.recheck, self.do_import, close):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(opts)
        lay.addWidget(split, 1)
        lay.addLayout(file_bar)
        lay.addLayout(buttons)

        add_files.clicked.connect(self._pick_files)
        add_dir.clicked.connect(self._pick_folder)
        clear.clicked.connect(self.clear)
        self.only_period.toggled.connect(self.period.setEnabled)
        self.only_period.toggled.connect(lambda _on: self.analyze())
        self.period.editingFinished.connect(lambda: self.only_period.isChecked() and self.analyze())
        self.files.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.files_model.sort_requested.connect(self._sort_files)
        self.changes_model.sort_requested.connect(lambda k, d: self.changes_model.set_rows(
            sorted_rows(self.changes_model.all_rows(), k, d)))
        self.problems_model.sort_requested.connect(lambda k, d: self.problems_model.set_rows(
            sorted_rows(self.problems_model.all_rows(), k, d)))
        self.received_edit.dateChanged.connect(self._received_changed)
        self.apply_all.clicked.connect(self._received_for_all)
        self.hand_match.clicked.connect(self.match_current)
        self.recheck.clicked.connect(self.analyze)
        self.do_import.clicked.connect(self.start_import)
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+O"), self, self._pick_files)
        QShortcut(QKeySequence("Ctrl+Shift+O"), self, self._pick_folder)
        QShortcut(QKeySequence("F5"), self, self.analyze)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.start_import)

    # ---- adding files -------------------------------------------------------------------
    def dragEnterEvent(self, e: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = [u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()]
        if paths:
            e.acceptProposedAction()
            self.add_paths(paths)

    def _pick_files(self) -> None:
        start = str(QSettings().value("forms/import_folder") or Path.home())
        files, _ = QFileDialog.getOpenFileNames(self, "Chọn biểu mẫu", start, "Excel (*.xlsx);;Tất cả (*)")
        if files:
            QSettings().setValue("forms/import_folder", str(Path(files[0]).parent))
            self.add_paths(files)

    def _pick_folder(self) -> None:
        start = str(QSettings().value("forms/import_folder") or Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục chứa biểu mẫu", start)
        if folder:
            QSettings().setValue("forms/import_folder", folder)
            self.add_paths([folder])

    def add_paths(self, paths: list[str]) -> None:
        from services.forms_commit import expand_paths

        self.last_message = ""
        known = set(self.paths)
        self.paths += [str(p) for p in expand_paths(paths) if str(p) not in known]
        self.analyze()

    def clear(self) -> None:
        self.paths, self.previews, self.manual, self.received = [], [], {}, {}
        self.last_message = ""
        self._show()

    # ---- analysis ------------------------------------------------------------------------
    def expect_period(self) -> str | None:
        if not self.only_period.isChecked():
            return None
        try:
            return Period.parse(self.period.text()).name
        except ValidationError:
            self.status.setText("Kỳ lọc không hợp lệ: bỏ qua bộ lọc kỳ.")
            return None

    def analyze(self) -> None:
        if self.busy or not self.paths:
            self._show()
            return
        db, paths, manual, expect = self.ctx.db, list(self.paths), dict(self.manual), self.expect_period()
        self._set_busy(True, f"Đang kiểm tra {len(paths)} tệp…")

        def work(progress, cancelled):  # noqa: ANN001, ANN202 - worker thread
            return analyze_files(db, paths, expect_period=expect, manual=manual, progress=progress,
                                 cancelled=cancelled)

        self.task = self.ctx.runner.run(work, f"Đang kiểm tra {len(paths)} tệp…", self._analyzed, self)

    def _analyzed(self, result: list[FilePreview] | None, error: BaseException | None) -> None:
        self._set_busy(False)
        if error is not None:
            if not isinstance(error, Cancelled):
                show_error(self, error)
            self.status.setText(str(error) if isinstance(error, Cancelled) else "Không kiểm tra được.")
            return
        self.previews = list(result or [])
        for p in self.previews:
            if p.status == OK and p.path not in self.received and p.received_date:
                self.received[p.path] = p.received_date
        self._show()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        for w in (self.recheck, self.do_import, self.hand_match):
            w.setEnabled(not busy)
        if text:
            self.status.setText(text)
        if not busy:
            self._update_buttons()

    # ---- showing -------------------------------------------------------------------------
    def file_rows(self) -> list[FileRow]:
        return [FileRow(i, p.name, p.unit_code, p.period, p.status, p.status_label, len(p.errors),
                        len(p.warnings), len(p.changes), self.received.get(p.path) if p.status == OK else None)
                for i, p in enumerate(self.previews)]

    def _show(self) -> None:
        key, desc = self._file_sort
        rows = self.file_rows()
        self.files_model.set_rows(sorted_rows(rows, key, desc) if key else rows)
        n = {s: sum(p.status == s for p in self.previews) for s in (OK, UNCHANGED, REFUSED, NEEDS_MATCH)}
        counts = (f"{len(self.previews)} tệp: {n[OK]} sẵn sàng nhập, {n[UNCHANGED]} không thay đổi, "
                  f"{n[REFUSED]} bị từ chối, {n[NEEDS_MATCH]} cần ghép thủ công.") if self.previews else ""
        self.status.setText(" ".join(x for x in (self.last_message, counts) if x))
        if self.previews:
            self.files.selectRow(0)
        self._show_current()
        self._update_buttons()

    def _sort_files(self, key: str, descending: bool) -> None:
        self._file_sort = (key, descending)
        self._show()

    def current(self) -> FilePreview | None:
        row = self.files.current_row()
        return self.previews[row.id] if row is not None and row.id < len(self.previews) else None

    def _show_current(self) -> None:
        p = self.current()
        if p is None:
            self.changes_model.set_rows([])
            self.problems_model.set_rows([])
            self.detail.setText("Chọn một tệp để xem chi tiết.")
        else:
            self.changes_model.set_rows([ChangeRow(i, c.sheet, c.cell, c.subject, c.old, c.new)
                                         for i, c in enumerate(p.changes)])
            self.problems_model.set_rows([ProblemRow(i, "Lỗi" if x.severity == "error" else "Cảnh báo", x.sheet,
                                                     x.cell, x.message) for i, x in enumerate(p.problems)])
            self.changes.resizeRowsToContents()
            self.problems.resizeRowsToContents()
            who = f"{p.unit_name} — {p.period_label}" if p.unit_name else "chưa xác định đơn vị, kỳ"
            extra = f" Cập nhật báo cáo đến số {p.existing_report_id}." if p.existing_report_id else ""
            self.detail.setText(f"<b>{p.name}</b>: {who}.{extra}")
            self.received_edit.blockSignals(True)
            d = self.received.get(p.path) or p.received_date or date.today()
            self.received_edit.setDate(QDate(d.year, d.month, d.day))
            self.received_edit.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        p = self.current()
        ready = sum(x.status == OK for x in self.previews)
        self.do_import.setText(f"&Nhập {ready} tệp" if ready else "&Nhập")
        self.do_import.setEnabled(ready > 0 and not self.busy)
        self.received_edit.setEnabled(p is not None and p.status == OK and not self.busy)
        self.apply_all.setEnabled(self.received_edit.isEnabled() and ready > 1)
        self.hand_match.setEnabled(p is not None and (p.status == NEEDS_MATCH or p.manual) and not self.busy)

    def _received_changed(self, qd: QDate) -> None:
        p = self.current()
        if p is not None and p.status == OK:
            self.received[p.path] = qd.toPython()
            self._refresh_rows()

    def _received_for_all(self) -> None:
        d = self.received_edit.date().toPython()
        for p in self.previews:
            if p.status == OK and p.existing_report_id is None:  # earlier receipts keep their date
                self.received[p.path] = d
        self._refresh_rows()

    def _refresh_rows(self) -> None:
        row = self.files.currentIndex().row()
        key, desc = self._file_sort
        rows = self.file_rows()
        self.files_model.set_rows(sorted_rows(rows, key, desc) if key else rows)
        self.files.selectRow(max(row, 0))

    # ---- hand matching and import ---------------------------------------------------------
    def match_current(self) -> None:
        p = self.current()
        if p is None:
            return
        dlg = HandMatchDialog(self.ctx, p.name, self.expect_period() or default_period(self.ctx.db), self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.match is not None:
            self.manual[p.path] = dlg.match
            self.analyze()

    def start_import(self) -> None:
        todo = [p for p in self.previews if p.status == OK]
        if self.busy or not todo:
            return
        late = [p.name for p in todo if p.doc_date and self.received.get(p.path, p.doc_date) < p.doc_date]
        if late:
            self.status.setText("Ngày nhận trước ngày văn bản ở: " + ", ".join(late))
            return
        db, received = self.ctx.db, {p.path: self.received[p.path] for p in todo if p.path in self.received}
        self._set_busy(True, f"Đang nhập {len(todo)} tệp…")

        def work(progress, cancelled):  # noqa: ANN001, ANN202 - worker thread
            return commit_all(db, todo, received, progress, cancelled)

        self.task = self.ctx.runner.run(work, f"Đang nhập {len(todo)} tệp…", self._imported, self)

    def _imported(self, result: tuple[list[ImportOutcome], bool] | None, error: BaseException | None) -> None:
        self._set_busy(False)
        if error is not None:
            show_error(self, error)
            return
        outcomes, stopped = result or ([], False)
        self.outcomes += outcomes
        done = [o for o in outcomes if o.status == IMPORTED]
        failed = [o for o in outcomes if o.status == FAILED]
        if done:
            ids = [o.incoming_id for o in done]
            for topic in ("reports", "tasks", "indicators"):
                self.ctx.bus.publish(topic, ids)
        text = f"Đã nhập {len(done)} tệp ({format_date_vn(date.today())})."
        if stopped:
            text += " Đã hủy giữa chừng: các tệp còn lại chưa nhập."
        if failed:
            text += " Không nhập được: " + "; ".join(o.message for o in failed)
        self.last_message = text
        self.analyze()  # statuses now read "không có thay đổi"


def open_forms_import(parent: QWidget | None, ctx: AppContext) -> FormsImportDialog:
    dlg = FormsImportDialog(ctx, parent)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg
