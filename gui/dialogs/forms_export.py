"""Xuất biểu mẫu: one pre-filled Excel form per unit for a period, written in the
background (progress, cancel). Opened from the Báo cáo đến page: `open_forms_export`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.context import AppContext
from gui.messages import show_error
from gui.widgets.table import Column, DataTable, LazyTableModel
from services.errors import Cancelled, ValidationError
from services.forms_export import (
    ExportResult,
    default_period,
    export_forms,
    form_periods,
    form_units,
)
from services.periods import Period


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    owes: bool
    received: bool


COLUMNS = [Column("code", "Mã", 90), Column("name", "Đơn vị", 330),
           Column("owes", "Phải nộp", 70, align=Qt.AlignmentFlag.AlignCenter),
           Column("received", "Đã nhận báo cáo", 110, align=Qt.AlignmentFlag.AlignCenter)]


class FormsExportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: ExportResult | None = None
        self.error: BaseException | None = None
        self.task = None  # the running background job
        self._sort = ("", False)
        self.setWindowTitle("Xuất biểu mẫu Excel cho đơn vị")
        self.resize(760, 600)

        self.period = QComboBox()
        self.period.setEditable(True)
        self.period.setToolTip("Kỳ báo cáo: 2026-05 (tháng), 2026-H1 (6 tháng), 2026 (năm)…")
        for name, label in form_periods(ctx.db):
            self.period.addItem(f"{name} — {label}", name)
        self.period.setCurrentIndex(max(self.period.findData(default_period(ctx.db)), 0))
        self.period_label = QLabel()
        self.include_all = QCheckBox("Hiện cả đơn vị không phải nộp kỳ này")
        self.model = LazyTableModel(COLUMNS, lambda ids: [], self)
        self.table = DataTable("forms_export_units", self.model, self, "Đơn vị nhận biểu mẫu")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.chosen = QLabel()
        select_all, select_none = QPushButton("Chọn &tất cả"), QPushButton("&Bỏ chọn")
        self.folder = QLineEdit(self._default_folder())
        browse = QPushButton("Chọn &thư mục…")
        self.create = QPushButton("&Tạo biểu mẫu")
        self.create.setDefault(True)
        self.create.setToolTip("Ctrl+Enter")
        self.open_folder = QPushButton("&Mở thư mục")
        self.open_folder.setEnabled(False)
        close = QPushButton("Đóng")
        self.status = QLabel()
        self.status.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(QLabel("&Kỳ báo cáo:"), 0, 0)
        grid.itemAtPosition(0, 0).widget().setBuddy(self.period)
        grid.addWidget(self.period, 0, 1)
        grid.addWidget(self.period_label, 0, 2)
        grid.addWidget(QLabel("Lưu vào thư mục:"), 1, 0)
        grid.addWidget(self.folder, 1, 1, 1, 2)
        grid.addWidget(browse, 1, 3)
        hint = QLabel("Mỗi kỳ một thư mục con. Bấm vào một đơn vị để chọn hoặc bỏ chọn.")
        hint.setStyleSheet("color: #555;")
        grid.addWidget(hint, 2, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        picks = QHBoxLayout()
        for w in (self.include_all, self.chosen):
            picks.addWidget(w)
        picks.addStretch(1)
        picks.addWidget(select_all)
        picks.addWidget(select_none)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for b in (self.open_folder, self.create, close):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addLayout(grid)
        lay.addLayout(picks)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)

        self.period.currentIndexChanged.connect(self.load_units)
        self.period.lineEdit().editingFinished.connect(self.load_units)
        self.include_all.toggled.connect(self.load_units)
        self.model.sort_requested.connect(self._sorted)
        self.table.selectionModel().selectionChanged.connect(self._count)
        select_all.clicked.connect(self.table.selectAll)
        select_none.clicked.connect(self.table.clearSelection)
        browse.clicked.connect(self._browse)
        self.create.clicked.connect(self.start)
        self.open_folder.clicked.connect(self._open_folder)
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.start)
        self.load_units()

    # ---- choices ---------------------------------------------------------------------
    def period_name(self) -> str | None:
        text = self.period.currentText().split("—")[0].strip()
        data = self.period.currentData()
        if data and self.period.itemText(self.period.currentIndex()) == self.period.currentText():
            text = data
        try:
            return Period.parse(text).name
        except ValidationError:
            return None

    def load_units(self) -> None:
        name = self.period_name()
        if name is None:
            self.period_label.setText("⚠ Kỳ không hợp lệ (ví dụ 2026-05, 2026-H1, 2026)")
            self.model.set_rows([])
            self._count()
            return
        self.period_label.setText(Period.parse(name).label())
        rows = [UnitRow(u.unit_id, u.code, u.name, u.owes, u.received)
                for u in form_units(self.ctx.db, name, self.include_all.isChecked(), *self._sort)]
        self.model.set_rows(rows)
        chosen = QItemSelection()  # everyone who owes the report is chosen to start with
        last = self.model.columnCount() - 1
        for i, r in enumerate(rows):
            if r.owes:
                chosen.select(self.model.index(i, 0), self.model.index(i, last))
        sm = self.table.selectionModel()
        sm.select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if rows:
            sm.setCurrentIndex(self.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.scrollToTop()
        self._count()

    def _sorted(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.load_units()

    def chosen_codes(self) -> list[str]:
        return [r.code for r in self.table.selected_rows()]

    def _count(self, *_args: object) -> None:
        n = len(self.table.selectionModel().selectedRows())
        self.chosen.setText(f"Đã chọn {n}/{self.model.rowCount()} đơn vị")
        self.create.setEnabled(n > 0 and self.period_name() is not None)

    def _default_folder(self) -> str:
        saved = QSettings().value("forms/export_folder")
        return str(saved) if saved else str(Path.home() / "SecDesk" / "bieu-mau")

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Thư mục lưu biểu mẫu", self.folder.text())
        if path:
            self.folder.setText(path)

    # ---- work ------------------------------------------------------------------------
    def start(self) -> None:
        name, codes, folder = self.period_name(), self.chosen_codes(), self.folder.text().strip()
        if name is None or not codes or not folder or not self.create.isEnabled():
            self.status.setText("Hãy chọn kỳ báo cáo hợp lệ, ít nhất một đơn vị và thư mục lưu.")
            return
        out = Path(folder) / name
        QSettings().setValue("forms/export_folder", folder)
        db = self.ctx.db
        self.create.setEnabled(False)
        self.status.setText("Đang tạo biểu mẫu…")

        def work(progress, cancelled):  # noqa: ANN001, ANN202 - runs in the worker thread
            return export_forms(db, name, out, codes, progress, cancelled)

        self.task = self.ctx.runner.run(work, f"Đang tạo {len(codes)} biểu mẫu…", self._done, self)

    def _done(self, result: ExportResult | None, error: BaseException | None) -> None:
        self.create.setEnabled(True)
        self.result, self.error = result, error
        if isinstance(error, Cancelled):
            self.status.setText(str(error))
        elif error is not None:
            self.status.setText("Không tạo được biểu mẫu.")
            show_error(self, error)
        elif result is not None:
            self.status.setText(f"Đã tạo {len(result.forms)} biểu mẫu {Period.parse(result.period).label()} "
                                f"trong {result.folder}. Gửi mỗi tệp cho đúng đơn vị.")
            self.open_folder.setEnabled(True)

    def _open_folder(self) -> None:
        if self.result:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.result.folder))


def open_forms_export(parent: QWidget | None, ctx: AppContext) -> FormsExportDialog:
    dlg = FormsExportDialog(ctx, parent)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg
