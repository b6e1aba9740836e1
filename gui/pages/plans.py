"""Kế hoạch & nhiệm vụ page: directive documents and plans on the left; for the selected plan,
its tasks as a tree (section › task › units), the progress follow-up list with filters and
the per-unit summary. Add/edit documents and tasks, record progress, extensions and
evidence, audit history, Excel template / import / export."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui import clock
from gui.context import AppContext
from gui.messages import confirm, show_error
from gui.pages.plan_progress import ProgressPanel, SummaryPanel
from gui.pages.plan_tree import ASSIGNMENT, TASK, TaskTree
from gui.widgets.search import SearchBox
from gui.widgets.table import Column, DataTable, LazyTableModel
from services import assignments as A
from services import plans as P

DOC_COLUMNS = [
    Column("symbol", "Số, ký hiệu", 120), Column("doc_type", "Loại", 90),
    Column("doc_date", "Ngày", 85, align=Qt.AlignmentFlag.AlignCenter), Column("issuer", "Cơ quan ban hành", 210),
    Column("task_count", "Số NV", 55, align=Qt.AlignmentFlag.AlignCenter), Column("title", "Trích yếu", 500),
]


class PlansPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._doc_sort: tuple[str, bool] = ("", False)
        self._shown_plan: int | None = None

        # top: documents (a plan is a document with tasks)
        self.doc_search = SearchBox("Tìm văn bản (không cần dấu)…", self)
        self.doc_search.setObjectName("doc_search")
        self.plans_only = QCheckBox("Chỉ kế hoạch")
        self.plans_only.setObjectName("plans_only")
        self.plans_only.setChecked(True)
        self.doc_model = LazyTableModel(DOC_COLUMNS, lambda ids: ids, self)
        self.doc_table = DataTable("documents", self.doc_model, self, "Văn bản, kế hoạch")
        doc_bar = QHBoxLayout()
        doc_bar.addWidget(self.doc_search, 1)
        doc_bar.addWidget(self.plans_only)
        self.btn_doc_add = self._button(doc_bar, "Thêm &văn bản…", self.add_document)
        self.btn_doc_edit = self._button(doc_bar, "Sửa văn bản…", self.edit_document)
        self.btn_doc_delete = self._button(doc_bar, "Xóa văn bản", self.delete_document)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(doc_bar)
        ll.addWidget(self.doc_table, 1)

        # right: the selected plan
        self.plan_title = QLabel()
        self.plan_title.setObjectName("plan_title")
        self.plan_title.setWordWrap(True)
        buttons = QHBoxLayout()
        self.btn_task_add = self._button(buttons, "Thêm &nhiệm vụ… (Ctrl+N)", self.add_task)
        self.btn_task_edit = self._button(buttons, "Sửa nhiệm vụ…", self.edit_task)
        self.btn_task_delete = self._button(buttons, "Xóa nhiệm vụ", self.delete_task)
        self.btn_progress = self._button(buttons, "Cập nhật &tiến độ… (Enter)", self.open_current_assignment)
        self.btn_history = self._button(buttons, "&Lịch sử (Ctrl+H)", self.history_current)
        buttons.addStretch(1)
        self.btn_excel = QToolButton()
        self.btn_excel.setText("&Excel")
        self.btn_excel.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.btn_excel)
        menu.addAction("Nhập từ Excel vào kế hoạch này…", self.import_excel)
        menu.addAction("Xuất kế hoạch ra Excel (dạng nhập lại được)…", self.export_plan)
        menu.addAction("Tạo tệp mẫu để nhập…", self.write_template)
        self.btn_excel.setMenu(menu)
        buttons.addWidget(self.btn_excel)

        self.tree = TaskTree(self)
        self.progress = ProgressPanel(ctx, self)
        self.summary = SummaryPanel(ctx, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.tree, "Cây &nhiệm vụ")
        self.tabs.addTab(self.progress, "Theo dõi tiến &độ")
        self.tabs.addTab(self.summary, "Tổng hợp theo đơn &vị")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.plan_title)
        rl.addLayout(buttons)
        rl.addWidget(self.tabs, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([150, 650])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(split)

        QShortcut(QKeySequence.StandardKey.New, self, activated=self.add_task)
        QShortcut(QKeySequence("Ctrl+H"), self, activated=self.history_current)
        QShortcut(QKeySequence.StandardKey.Refresh, self, activated=self.refresh)
        self.doc_search.search.connect(lambda _t: self.refresh_documents())
        self.plans_only.toggled.connect(lambda _b: self.refresh_documents())
        self.doc_model.sort_requested.connect(self._doc_sorted)
        self.doc_table.selectionModel().currentRowChanged.connect(lambda *_: self.show_plan())
        self.doc_table.activated_row.connect(lambda _r: self.edit_document())
        self.tree.itemActivated.connect(lambda *_: self.open_current_assignment())
        self.progress.open_assignment.connect(self.open_assignment)
        self.summary.threshold_changed.connect(lambda _d: self.show_plan())
        ctx.bus.subscribe({"plans", "tasks", "units", "settings"}, self._changed)
        self.refresh_documents()

    def _button(self, lay: QHBoxLayout, text: str, slot) -> QPushButton:  # noqa: ANN001
        b = QPushButton(text)
        b.clicked.connect(slot)
        lay.addWidget(b)
        return b

    # ---- documents -----------------------------------------------------------------------
    def _doc_sorted(self, key: str, descending: bool) -> None:
        self._doc_sort = (key, descending)
        self.refresh_documents()

    def refresh_documents(self, select_id: int | None = None) -> None:
        current = self.current_document()
        want = select_id or (current.id if current else None)
        docs = P.list_documents(self.ctx.db, self.plans_only.isChecked(), self.doc_search.text(), *self._doc_sort)
        self.doc_model.set_rows(docs)
        ids = [d.id for d in docs]
        if want in ids:
            self.doc_table.selectRow(ids.index(want))
        elif ids:
            self.doc_table.selectRow(0)
        self.show_plan()

    def current_document(self) -> P.DocumentRow | None:
        return self.doc_table.current_row()

    def select_document(self, doc_id: int) -> None:
        ids = self.doc_model.ids()
        if doc_id in ids:
            self.doc_table.selectRow(ids.index(doc_id))

    def show_plan(self) -> None:
        d = self.current_document()
        plan_id = d.id if d and d.is_plan else None
        if d is None:
            self.plan_title.setText("<i>Chưa có văn bản nào. Bấm “Thêm văn bản…” để tạo kế hoạch.</i>")
        else:
            head = " ".join(p for p in (d.doc_type, d.symbol) if p)
            when = f" ngày {d.doc_date:%d/%m/%Y}" if d.doc_date else ""
            files = f" — {len(d.files)} tệp đính kèm" if d.files else ""
            self.plan_title.setText(f"<b>{head}</b>{when} — {d.issuer}<br>{d.title}{files}")
        self.tree.populate(A.task_tree(self.ctx.db, plan_id, clock.today()) if plan_id else [],
                           reset=plan_id != self._shown_plan)
        self._shown_plan = plan_id
        self.progress.set_plan(plan_id if plan_id else -1)
        self.summary.set_plan(plan_id if plan_id else -1)
        for b in (self.btn_task_add, self.btn_task_edit, self.btn_task_delete, self.btn_progress):
            b.setEnabled(plan_id is not None)

    def add_document(self) -> None:
        from gui.dialogs.plan_document import DocumentDialog

        dlg = DocumentDialog(self.ctx.db, None, self)
        if dlg.exec() and dlg.saved:
            self.ctx.bus.publish("plans", [dlg.saved.id])
            self.refresh_documents(dlg.saved.id)

    def edit_document(self) -> None:
        from gui.dialogs.plan_document import DocumentDialog

        d = self.current_document()
        if d is None:
            return
        dlg = DocumentDialog(self.ctx.db, d.id, self)
        dlg.exec()
        self.ctx.bus.publish("plans", [d.id])  # files may have changed even when cancelled

    def delete_document(self) -> None:
        d = self.current_document()
        if d is None or not confirm(self, f"Xóa văn bản “{d.label[:120]}”?"):
            return
        try:
            P.delete_document(self.ctx.db, d.id, d.version)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.ctx.bus.publish("plans", [d.id])

    # ---- tasks and assignments ---------------------------------------------------------------
    def _plan_id(self) -> int | None:
        d = self.current_document()
        return d.id if d and d.is_plan else None

    def add_task(self) -> None:
        from gui.dialogs.task_edit import TaskDialog

        plan_id = self._plan_id()
        if plan_id is None:
            return
        dlg = TaskDialog(self.ctx.db, plan_id, None, self)
        if dlg.exec() and dlg.saved:
            self.ctx.bus.publish("tasks", [dlg.saved.id])
            self.tree.select(TASK, dlg.saved.id)

    def edit_task(self) -> None:
        from gui.dialogs.task_edit import TaskDialog

        task_id, plan_id = self.tree.task_id_of_current(), self._plan_id()
        if task_id is None or plan_id is None:
            return
        dlg = TaskDialog(self.ctx.db, plan_id, task_id, self)
        if dlg.exec() and dlg.saved:
            self.ctx.bus.publish("tasks", [task_id])

    def delete_task(self) -> None:
        task_id = self.tree.task_id_of_current()
        if task_id is None:
            return
        t = P.get_task(self.ctx.db, task_id)
        if not confirm(self, f"Xóa nhiệm vụ {t.code}? (Chỉ xóa được nhiệm vụ chưa có tiến độ, kết quả.)"):
            return
        try:
            P.delete_task(self.ctx.db, t.id, t.version)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.ctx.bus.publish("tasks", [task_id])

    def open_current_assignment(self) -> None:
        if self.tabs.currentWidget() is self.progress:
            row = self.progress.table.current_row()
            if row is not None:
                self.open_assignment(row.id)
            return
        kind, key = self.tree.current()
        if kind == ASSIGNMENT:
            self.open_assignment(key)
        elif kind == TASK:
            self.edit_task()

    def open_assignment(self, assignment_id: int) -> None:
        from gui.dialogs.assignment_edit import AssignmentDialog

        dlg = AssignmentDialog(self.ctx.db, assignment_id, self)
        dlg.exec()
        if dlg.changed:
            self.ctx.bus.publish("tasks", [assignment_id])
            self.tree.select(ASSIGNMENT, assignment_id)

    def history_current(self) -> None:
        from gui.dialogs.history import show_history

        if self.tabs.currentWidget() is self.progress:
            row = self.progress.table.current_row()
            if row is not None:
                show_history(self, self.ctx.db, "assignment", row.id, f"{row.task_code} — {row.unit_name}")
            return
        kind, key = self.tree.current()
        if kind == ASSIGNMENT:
            a = A.get_assignment(self.ctx.db, key, clock.today())
            show_history(self, self.ctx.db, "assignment", a.id, f"{a.task_code} — {a.unit_name}")
        elif kind == TASK:
            show_history(self, self.ctx.db, "task", key, f"Nhiệm vụ {P.get_task(self.ctx.db, key).code}")
        elif self.current_document() is not None:
            d = self.current_document()
            show_history(self, self.ctx.db, "directive_document", d.id, d.label[:80])

    # ---- Excel --------------------------------------------------------------------------------
    def import_excel(self) -> None:
        from gui.dialogs.plan_import import ImportDialog

        d = self.current_document()
        plan_id = self._plan_id()
        ImportDialog(self.ctx, plan_id, self, d.label if plan_id and d else "").exec()

    def export_plan(self) -> None:
        plan_id = self._plan_id()
        if plan_id is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Xuất kế hoạch ra Excel", str(Path.home() / "ke-hoach.xlsx"),
                                              "Excel (*.xlsx)")
        if path:
            self.export_plan_to(path, plan_id)

    def export_plan_to(self, path: str, plan_id: int) -> None:
        from services.plan_template import write_template

        db, today = self.ctx.db, clock.today()

        def work(progress, cancelled):  # noqa: ANN001, ANN202
            return write_template(path, db, plan_id, today)

        def done(_result, error):  # noqa: ANN001, ANN202
            if error is not None:
                show_error(self, error)
            else:
                self.window().statusBar().showMessage(f"Đã xuất kế hoạch: {path}", 8000)

        self.ctx.runner.run(work, "Đang xuất kế hoạch ra Excel…", done, self)

    def write_template(self) -> None:
        from services.plan_template import write_template

        path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp mẫu", str(Path.home() / "mau-nhap-ke-hoach.xlsx"),
                                              "Excel (*.xlsx)")
        if path:
            try:
                write_template(path)
            except Exception as e:  # noqa: BLE001
                show_error(self, e)

    # ---- refresh -----------------------------------------------------------------------------
    def _changed(self, topic: str, _payload: object) -> None:
        if topic == "units":
            self.progress.load_units()
        if topic in ("plans", "database"):
            self.refresh_documents()
        else:
            self.show_plan()

    def refresh(self) -> None:
        self.refresh_documents()
