"""Import units / a plan / tasks / progress from Excel: choose the file, see every problem
(sheet, row, column, reason) and what would be added or changed, then import. Reading and
writing run in the background with progress and cancel; nothing is written while any
error remains. Also writes the empty template."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui import clock
from gui.context import AppContext
from gui.messages import show_error
from services.plan_import import ImportPreview, apply_import, preview_import


def _table(headers: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().hide()
    t.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    t.setWordWrap(True)
    return t


def _fill(t: QTableWidget, rows: list[list[str]], widths: list[int]) -> None:
    t.setRowCount(len(rows))
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            t.setItem(i, j, QTableWidgetItem(v))
    for j, w in enumerate(widths):
        t.setColumnWidth(j, w)
    t.resizeRowsToContents()


class ImportDialog(QDialog):
    def __init__(self, ctx: AppContext, plan_id: int | None = None, parent: QWidget | None = None,
                 plan_label: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id = plan_id
        self.path: str | None = None
        self.preview: ImportPreview | None = None
        self.imported: ImportPreview | None = None
        self.setWindowTitle("Nhập đơn vị, kế hoạch, nhiệm vụ từ Excel")
        self.resize(1000, 620)

        target = (f"Nhiệm vụ sẽ nhập vào kế hoạch đang chọn: <b>{plan_label}</b>" if plan_id else
                  "Nhiệm vụ sẽ nhập vào kế hoạch ghi ở trang “Kế hoạch” của tệp (chưa có thì tạo mới).")
        self.target = QLabel(target)
        self.target.setWordWrap(True)
        self.file_label = QLabel("Chưa chọn tệp.")
        self.file_label.setObjectName("file_label")
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.problems = _table(["Trang", "Dòng", "Cột", "Lỗi"], "problems")
        self.changes = _table(["Loại", "Thao tác", "Mã", "Tên", "Chi tiết thay đổi"], "changes")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.problems, "Lỗi (0)")
        self.tabs.addTab(self.changes, "Xem trước thay đổi (0)")

        self.btn_template = QPushButton("Tạo &tệp mẫu…")
        self.btn_template.clicked.connect(self.write_template)
        self.btn_choose = QPushButton("&Chọn tệp Excel…")
        self.btn_choose.clicked.connect(self.choose)
        self.btn_import = QPushButton("&Nhập vào cơ sở dữ liệu")
        self.btn_import.setObjectName("do_import")
        self.btn_import.setEnabled(False)
        self.btn_import.clicked.connect(self.do_import)
        close = QPushButton("Đó&ng")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.btn_template, self.btn_choose):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.btn_import)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.target)
        lay.addWidget(self.file_label)
        lay.addWidget(self.summary)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(buttons)

    # ---- template ----------------------------------------------------------------------------
    def write_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp mẫu", str(Path.home() / "mau-nhap-ke-hoach.xlsx"),
                                              "Excel (*.xlsx)")
        if path:
            from services.plan_template import write_template

            try:
                write_template(path)
            except Exception as e:  # noqa: BLE001
                show_error(self, e)
                return
            self.summary.setText(f"Đã tạo tệp mẫu: {path}")

    # ---- preview -----------------------------------------------------------------------------
    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp Excel", str(Path.home()), "Excel (*.xlsx)")
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Check the file in the background and show the preview."""
        self.path = path
        self.preview = None
        self.btn_import.setEnabled(False)
        self.file_label.setText(f"Tệp: {path}")
        self.summary.setText("Đang kiểm tra tệp…")
        db, plan_id, today = self.ctx.db, self.plan_id, clock.today()

        def work(progress, cancelled):  # noqa: ANN001, ANN202
            return preview_import(db, path, plan_id, today)

        self.task = self.ctx.runner.run(work, "Đang kiểm tra tệp Excel…", self._previewed, self)

    def _previewed(self, result: ImportPreview | None, error: BaseException | None) -> None:
        if error is not None:
            self.summary.setText("Không đọc được tệp.")
            show_error(self, error)
            return
        self.show_preview(result)

    def show_preview(self, p: ImportPreview) -> None:
        self.preview = p
        _fill(self.problems, [[x.sheet, "" if x.row is None else str(x.row), x.column or x.cell, x.message]
                              for x in p.problems], [90, 50, 200])
        shown = [c for c in p.changes if c.action != "Không đổi"]
        _fill(self.changes, [[c.kind, c.action, c.code, c.name, c.details] for c in shown], [80, 70, 120, 260])
        self.tabs.setTabText(0, f"Lỗi ({len(p.errors)})")
        self.tabs.setTabText(1, f"Xem trước thay đổi ({len(shown)})")
        unchanged = len(p.changes) - len(shown)
        if p.ok:
            self.summary.setText(f"<b>Tệp hợp lệ.</b> {p.summary()}"
                                 + (f" ({unchanged} dòng không đổi.)" if unchanged else "")
                                 + f"<br>Kế hoạch: {p.plan_label}")
            self.tabs.setCurrentIndex(1)
        else:
            self.summary.setText(f"<b style='color:#b71c1c'>Tệp còn {len(p.errors)} lỗi</b> — sửa trong Excel rồi "
                                 "chọn lại tệp. Chưa ghi gì vào cơ sở dữ liệu.")
            self.tabs.setCurrentIndex(0)
        self.btn_import.setEnabled(p.ok and bool(shown))

    # ---- import ------------------------------------------------------------------------------
    def do_import(self) -> None:
        if not self.path or self.preview is None or not self.preview.ok:
            return
        db, path, plan_id, today = self.ctx.db, self.path, self.plan_id, clock.today()
        self.btn_import.setEnabled(False)

        def work(progress, cancelled):  # noqa: ANN001, ANN202
            return apply_import(db, path, plan_id, today, progress, cancelled)

        self.task = self.ctx.runner.run(work, "Đang nhập dữ liệu từ Excel…", self._imported, self)

    def _imported(self, result: ImportPreview | None, error: BaseException | None) -> None:
        if error is not None:
            self.summary.setText("Không nhập được; chưa ghi gì vào cơ sở dữ liệu.")
            show_error(self, error)
            self.btn_import.setEnabled(True)
            return
        self.imported = result
        self.summary.setText(f"<b>Đã nhập xong.</b> {result.summary()}")
        for topic in ("units", "plans", "tasks", "expected"):
            self.ctx.bus.publish(topic, None)
