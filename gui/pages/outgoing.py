"""Văn bản đi page: the register of generated documents (number, date, type, period, title,
files) with year, type and search filters. From here the officer makes a consolidated report
(Ctrl+R) or a reminder letter (Ctrl+D), opens the files, previews and prints the PDF inside
the app (Ctrl+P) and regenerates a document under the same number."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui import doc_actions
from gui.context import AppContext
from gui.messages import confirm, show_error
from gui.widgets.search import SearchBox
from gui.widgets.table import Column, DataTable, LazyTableModel
from services import outgoing
from services.errors import Cancelled, NotFound
from services.periods import Period

KIND_LABELS = {"report": "Báo cáo tổng hợp", "reminder": "Công văn đôn đốc", "other": "Văn bản khác"}


def _period_label(name: str) -> str:
    try:
        return Period.parse(name).label() if name else ""
    except Exception:  # noqa: BLE001 - an odd stored value is shown as it is
        return name


COLUMNS = [
    Column("symbol", "Số, ký hiệu", 120), Column("doc_date", "Ngày", 85, align=Qt.AlignmentFlag.AlignCenter),
    Column("kind", "Loại", 140, fmt=lambda k: KIND_LABELS.get(k, k)),
    Column("period", "Kỳ", 140, fmt=_period_label), Column("title", "Trích yếu", 360),
    Column("recipients", "Kính gửi", 200),
    Column("files", "Tệp", 120, fmt=lambda fs: ", ".join(Path(f).suffix[1:].upper() for f in fs), sortable=False),
]


class OutgoingPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._sort: tuple[str, bool] = ("", False)
        self.year = QComboBox()
        self.year.setObjectName("year")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        self.kind.addItem("Mọi loại", None)
        for k in ("report", "reminder"):
            self.kind.addItem(KIND_LABELS[k], k)
        self.search = SearchBox(parent=self)
        self.search.setObjectName("search")
        bar = QHBoxLayout()
        for text, w in (("&Năm:", self.year), ("&Loại:", self.kind)):
            lab = QLabel(text)
            lab.setBuddy(w)
            bar.addWidget(lab)
            bar.addWidget(w)
        bar.addWidget(self.search, 1)

        buttons = QHBoxLayout()
        self.btn_report = self._button(buttons, "&Báo cáo tổng hợp… (Ctrl+R)", self.new_report)
        self.btn_remind = self._button(buttons, "Công văn đôn đố&c… (Ctrl+D)", self.new_reminder)
        self.btn_open = self._button(buttons, "&Mở tệp", lambda: None)
        self.open_menu = QMenu(self)
        self.btn_open.setMenu(self.open_menu)
        self.open_menu.aboutToShow.connect(self._fill_open_menu)
        self.btn_preview = self._button(buttons, "&Xem trước và in (Ctrl+P)", self.preview_current)
        self.btn_regen = self._button(buttons, "&Tạo lại", lambda: self.regenerate_current())
        buttons.addStretch(1)
        for name, b in (("new_report", self.btn_report), ("new_reminder", self.btn_remind), ("open", self.btn_open),
                        ("preview", self.btn_preview), ("regenerate", self.btn_regen)):
            b.setObjectName(name)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.new_report)
        QShortcut(QKeySequence("Ctrl+D"), self, activated=self.new_reminder)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.preview_current)
        QShortcut(QKeySequence.StandardKey.Refresh, self, activated=self.refresh)

        self.model = LazyTableModel(COLUMNS, lambda ids: [], self)
        self.table = DataTable("outgoing_documents", self.model, self, "Văn bản đi")
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(bar)
        lay.addLayout(buttons)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.hint)

        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.search.search.connect(lambda _t: self.refresh())
        self.model.sort_requested.connect(self._sorted)
        self.table.activated_row.connect(lambda _r: self.preview_current())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        ctx.bus.subscribe({"documents", "settings"}, lambda _t, _p: self.refresh())
        self._fill_years()
        self.refresh()

    def _button(self, lay: QHBoxLayout, text: str, slot) -> QPushButton:  # noqa: ANN001
        b = QPushButton(text)
        b.clicked.connect(slot)
        lay.addWidget(b)
        return b

    # ---- listing ------------------------------------------------------------------------
    def _fill_years(self) -> None:
        years = sorted({r.year for r in outgoing.list_documents(self.ctx.db)}, reverse=True)
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("Mọi năm", None)
        for y in years:
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(self.year.findData(current), 0))
        self.year.blockSignals(False)

    def _sorted(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.refresh()

    def refresh(self) -> None:
        if self.year.count() <= 1:
            self._fill_years()
        rows = outgoing.list_documents(self.ctx.db, self.year.currentData(), self.search.text(),
                                       self._sort[0], self._sort[1], self.kind.currentData())
        keep = self.current()
        self.model.set_rows(rows)
        index = next((i for i, r in enumerate(rows) if keep is not None and r.id == keep.id), 0)
        if rows:
            self.table.selectRow(index)  # the buttons always act on a visible row
        self.hint.setText(f"{len(rows)} văn bản. Nhấn đúp (hoặc Enter) để xem trước và in; "
                          "Ctrl+E xuất danh sách ra Excel.")
        self._update_buttons()

    def current(self) -> Any:
        return self.table.current_row()

    def select_document(self, doc_id: int) -> None:
        self._fill_years()
        self.refresh()
        for i, r in enumerate(self.model.all_rows()):
            if r.id == doc_id:
                self.table.selectRow(i)
                return

    def _update_buttons(self) -> None:
        row = self.current()
        has = row is not None
        self.btn_open.setEnabled(has and bool(row.files))
        self.btn_preview.setEnabled(has)
        self.btn_regen.setEnabled(has and row.kind in ("report", "reminder"))

    # ---- new documents ------------------------------------------------------------------
    def new_report(self) -> None:
        from gui.dialogs.report_dialog import ReportDialog

        dlg = ReportDialog(self.ctx, self)
        dlg.generated.connect(lambda g: self.select_document(g.id))
        dlg.exec()

    def new_reminder(self) -> None:
        from gui.dialogs.reminder_dialog import ReminderDialog

        dlg = ReminderDialog(self.ctx, self)
        dlg.generated.connect(lambda g: self.select_document(g.id))
        dlg.exec()

    # ---- files --------------------------------------------------------------------------
    def _fill_open_menu(self) -> None:
        self.open_menu.clear()
        row = self.current()
        if row is None:
            return
        for f in row.files:
            path = outgoing.file_path(self.ctx.db, f)
            act = self.open_menu.addAction(f"{path.suffix[1:].upper()}: {path.name}")
            act.triggered.connect(lambda _=False, p=path: self.open_file(p))
        if row.files:
            self.open_menu.addSeparator()
            folder = outgoing.file_path(self.ctx.db, row.files[0]).parent
            self.open_menu.addAction("Mở thư mục chứa tệp").triggered.connect(lambda: self.open_file(folder))

    def open_file(self, path: Path) -> None:
        if not path.exists():
            show_error(self, NotFound(f"Không tìm thấy tệp {path}. Hãy bấm \"Tạo lại\" để tạo lại tệp."))
            return
        doc_actions.open_path(path)

    def preview_current(self) -> None:
        from services.document_files import pdf_of

        row = self.current()
        if row is None:
            return
        pdf = pdf_of(self.ctx.db, row.files)
        if pdf is not None:
            doc_actions.preview(pdf, self.window())
            return
        if row.kind in ("report", "reminder") and confirm(
                self, f"Văn bản số {row.symbol} chưa có bản PDF để in. Tạo bản PDF (giữ nguyên số và ngày)?"):
            formats = [Path(f).suffix[1:] for f in row.files] + ["pdf"]
            self.regenerate_current(formats=formats, then_preview=True)

    def regenerate_current(self, formats: list[str] | None = None, then_preview: bool = False) -> None:
        row = self.current()
        if row is None or row.kind not in ("report", "reminder"):
            return
        if formats is None and not confirm(
                self, f"Tạo lại các tệp của văn bản số {row.symbol} ngày {row.doc_date:%d/%m/%Y} từ số liệu "
                      "hiện có (giữ nguyên số, ngày và trích yếu)?"):
            return
        db, doc_id, version = self.ctx.db, row.id, row.version
        if row.kind == "report":
            from services.consolidated_report import regenerate_report as regen
        else:
            from services.reminder_letter import regenerate_reminder as regen

        def work(progress, cancelled):  # noqa: ANN001, ANN202 - runner callback
            return regen(db, doc_id, version, progress, cancelled, formats=formats)

        def done(result, error) -> None:  # noqa: ANN001
            if isinstance(error, Cancelled):
                return
            if error is not None:
                show_error(self, error, "Không tạo lại được văn bản")
                return
            self.ctx.bus.publish("documents", [result.id])
            self.select_document(result.id)
            if then_preview and result.file("pdf"):
                doc_actions.preview(result.file("pdf"), self.window())

        self.ctx.runner.run(work, f"Đang tạo lại văn bản số {row.symbol}…", done, self)
