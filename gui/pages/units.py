"""Đơn vị page: the list of units (diacritic-free search, group and state filters, SQL sorting,
Excel export), add / edit / stop / merge / delete, audit history, Excel import; below, the
selected unit's tasks — for a unit that absorbed others, their tasks too, under their names —
and, for a group unit, its members."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui import clock
from gui.context import AppContext
from gui.messages import confirm, show_error
from gui.widgets.search import SearchBox
from gui.widgets.table import Column, DataTable, LazyTableModel
from services import assignments as A
from services import units as U
from services.unit_merge import history_unit_ids, members

UNIT_COLUMNS = [
    Column("code", "Mã", 80), Column("name", "Tên đơn vị", 290), Column("group", "Nhóm", 120),
    Column("parent_name", "Thuộc nhóm", 190), Column("contact", "Liên hệ", 250),
    Column("status", "Trạng thái", 200, color=lambda r: None if r.active_on(clock.today()) else "#eceff1"),
]
TASK_COLUMNS = [
    Column("unit_name", "Đơn vị", 200, sortable=False), Column("task_code", "Mã NV", 70, sortable=False),
    Column("task_text", "Nhiệm vụ", 380, sortable=False), Column("role", "Vai trò", 80, sortable=False),
    Column("progress_label", "Tiến độ", 110, sortable=False), Column("due_text", "Thời hạn", 110, sortable=False),
    Column("status_label", "Tình trạng", 170, sortable=False, color=lambda r: r.status_color),
]
MEMBER_COLUMNS = [Column("code", "Mã", 90, sortable=False), Column("name", "Tên đơn vị", 320, sortable=False),
                  Column("contact", "Liên hệ", 300, sortable=False), Column("status", "Trạng thái", 200, sortable=False)]
ACTIVE_CHOICES = [("Đang hoạt động", True), ("Đã ngừng / sáp nhập", False), ("Tất cả", None)]


class UnitsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._sort: tuple[str, bool] = ("sort_order", False)

        self.search = SearchBox(parent=self)
        self.search.setObjectName("search")
        self.group = QComboBox()
        self.group.setObjectName("group")
        self.active = QComboBox()
        self.active.setObjectName("active")
        for label, value in ACTIVE_CHOICES:
            self.active.addItem(label, value)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        for label, w in (("&Nhóm:", self.group), ("&Trạng thái:", self.active)):
            lab = QLabel(label)
            lab.setBuddy(w)
            bar.addWidget(lab)
            bar.addWidget(w)

        buttons = QHBoxLayout()
        self.btn_add = self._button(buttons, "&Thêm… (Ctrl+N)", self.add_unit)
        self.btn_edit = self._button(buttons, "&Sửa… (Enter)", self.edit_current)
        self.btn_stop = self._button(buttons, "Ngừng &hoạt động…", self.deactivate_current)
        self.btn_merge = self._button(buttons, "Sáp &nhập vào…", self.merge_current)
        self.btn_delete = self._button(buttons, "&Xóa", self.delete_current)
        self.btn_history = self._button(buttons, "&Lịch sử (Ctrl+H)", self.history_current)
        buttons.addStretch(1)
        self.btn_import = self._button(buttons, "Nhập từ &Excel…", self.import_excel)
        self.btn_export = self._button(buttons, "Xuất Excel (Ctrl+E)", lambda: self.table.export_dialog())

        self.model = LazyTableModel(UNIT_COLUMNS, lambda ids: U.get_units(self.ctx.db, ids), self)
        self.table = DataTable("units", self.model, self, "Danh sách đơn vị")
        self.count = QLabel()
        self.count.setObjectName("count")

        self.tasks_model = LazyTableModel(TASK_COLUMNS, self._fetch_tasks, self)
        self.tasks_table = DataTable("unit_tasks", self.tasks_model, self, "Nhiệm vụ của đơn vị")
        self.members_model = LazyTableModel(MEMBER_COLUMNS, lambda ids: U.get_units(self.ctx.db, ids), self)
        self.members_table = DataTable("unit_members", self.members_model, self, "Đơn vị thành viên")
        self.detail = QTabWidget()
        self.detail.addTab(self.tasks_table, "Nhiệm vụ được giao")
        self.detail.addTab(self.members_table, "Đơn vị thành viên")
        self.detail_title = QLabel()
        self.detail_title.setObjectName("detail_title")
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 4, 0, 0)
        ll.addWidget(self.detail_title)
        ll.addWidget(self.detail, 1)
        upper = QWidget()
        ul = QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        ul.addWidget(self.table, 1)
        ul.addWidget(self.count)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(bar)
        lay.addLayout(buttons)
        lay.addWidget(split, 1)

        QShortcut(QKeySequence.StandardKey.New, self, activated=self.add_unit)
        QShortcut(QKeySequence("Ctrl+H"), self, activated=self.history_current)
        QShortcut(QKeySequence.StandardKey.Refresh, self, activated=self.refresh)
        self._load_groups()
        self.search.search.connect(lambda _t: self.refresh())
        self.group.currentIndexChanged.connect(lambda _i: self.refresh())
        self.active.currentIndexChanged.connect(lambda _i: self.refresh())
        self.model.sort_requested.connect(self._sorted)
        self.table.activated_row.connect(lambda _r: self.edit_current())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        ctx.bus.subscribe({"units", "tasks", "plans"}, lambda _t, _p: self.refresh())
        self.refresh()

    def _button(self, lay: QHBoxLayout, text: str, slot) -> QPushButton:  # noqa: ANN001
        b = QPushButton(text)
        b.clicked.connect(slot)
        lay.addWidget(b)
        return b

    def _load_groups(self) -> None:
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("Mọi nhóm", None)
        for g in U.group_names(self.ctx.db):
            self.group.addItem(g, g)
        self.group.setCurrentIndex(max(self.group.findData(current), 0))
        self.group.blockSignals(False)

    def _sorted(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.refresh()

    # ---- data ----------------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.table.current_row()
        ids = U.search_units(self.ctx.db, self.search.text(), self.group.currentData(), self.active.currentData(),
                             self._sort[0], self._sort[1], today=clock.today())
        self.model.set_ids(ids)
        self.count.setText(f"{len(ids)} đơn vị")
        if current is not None and current.id in ids:
            self.table.selectRow(ids.index(current.id))
        elif ids:
            self.table.selectRow(0)
        self._show_detail()

    def _fetch_tasks(self, ids: list[int]) -> list[Any]:
        return A.get_assignments(self.ctx.db, ids, clock.today())

    def _show_detail(self) -> None:
        u = self.table.current_row()
        if u is None:
            self.detail_title.setText("")
            self.tasks_model.set_ids([])
            self.members_model.set_ids([])
            return
        unit_ids = history_unit_ids(self.ctx.db, u.id)
        merged = len(unit_ids) - 1
        title = f"<b>{u.name}</b>"
        if merged:
            title += f" — gồm cả lịch sử của {merged} đơn vị đã sáp nhập vào"
        self.detail_title.setText(title)
        ids = A.search_assignments(self.ctx.db, A.AssignmentFilter(unit_ids=unit_ids), clock.today())
        self.tasks_model.set_ids(ids)
        self.detail.setTabText(0, f"Nhiệm vụ được giao ({len(ids)})")
        mem = [m.id for m in members(self.ctx.db, u.id)] if u.is_group else []
        self.members_model.set_ids(mem)
        self.detail.setTabText(1, f"Đơn vị thành viên ({len(mem)})")
        self.detail.setTabEnabled(1, u.is_group)

    # ---- actions -------------------------------------------------------------------------
    def _after_change(self, unit_id: int | None = None) -> None:
        self._load_groups()
        self.ctx.bus.publish("units", [unit_id] if unit_id else None)
        self.ctx.bus.publish("expected", None)  # the regime follows unit changes

    def add_unit(self) -> None:
        from gui.dialogs.unit_edit import UnitDialog

        dlg = UnitDialog(self.ctx.db, None, self)
        if dlg.exec() and dlg.saved:
            self._after_change(dlg.saved.id)
            self.select_unit(dlg.saved.id)

    def edit_current(self) -> None:
        from gui.dialogs.unit_edit import UnitDialog

        u = self.table.current_row()
        if u is None:
            return
        dlg = UnitDialog(self.ctx.db, u.id, self)
        if dlg.exec() and dlg.saved:
            self._after_change(u.id)

    def deactivate_current(self) -> None:
        from gui.dialogs.unit_deactivate import DeactivateDialog

        u = self.table.current_row()
        if u is not None and DeactivateDialog(self.ctx.db, u.id, self).exec():
            self._after_change(u.id)

    def merge_current(self) -> None:
        from gui.dialogs.unit_merge import MergeDialog

        u = self.table.current_row()
        if u is None:
            return
        dlg = MergeDialog(self.ctx.db, u.id, self)
        if dlg.exec() and dlg.result_:
            r = dlg.result_
            self._after_change(u.id)
            self.ctx.bus.publish("tasks", None)
            self.window().statusBar().showMessage(
                f"Đã sáp nhập {r.source.name} vào {r.target.name}; chuyển {r.moved} nhiệm vụ chưa hoàn thành.", 8000)

    def delete_current(self) -> None:
        u = self.table.current_row()
        if u is None or not confirm(self, f"Xóa hẳn đơn vị “{u.name}”? (Chỉ xóa được đơn vị chưa có dữ liệu nào.)"):
            return
        try:
            U.delete_unit(self.ctx.db, u.id, u.version)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self._after_change(None)

    def history_current(self) -> None:
        from gui.dialogs.history import show_history

        u = self.table.current_row()
        if u is not None:
            show_history(self, self.ctx.db, "unit", u.id, f"{u.code} — {u.name}")

    def import_excel(self) -> None:
        from gui.dialogs.plan_import import ImportDialog

        ImportDialog(self.ctx, None, self).exec()

    def select_unit(self, unit_id: int) -> None:
        ids = self.model.ids()
        if unit_id not in ids:
            self.search.setText("")
            self.active.setCurrentIndex(2)
            self.refresh()
            ids = self.model.ids()
        if unit_id in ids:
            self.table.selectRow(ids.index(unit_id))
