"""Danh mục tab: the indicator catalogue — search, filter by family, add, edit, delete,
enter values for the selected indicator, and its stored values with their sources."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.context import AppContext
from gui.messages import confirm, show_error
from gui.widgets.numbers import number_text
from gui.widgets.search import SearchBox
from gui.widgets.table import Column, DataTable, LazyTableModel
from services.indicators import (
    FAMILY_LABELS,
    IndicatorRow,
    ValueRow,
    delete_indicator,
    list_indicators,
    list_values,
)

RIGHT = Qt.AlignmentFlag.AlignRight
COLUMNS = [
    Column("code", "Mã", 90), Column("name", "Tên chỉ tiêu", 300), Column("uom", "Đơn vị tính", 110),
    Column("aggregation_label", "Cách tổng hợp", 120), Column("family_label", "Nhóm", 160),
    Column("target_text", "Mục tiêu", 110, sortable=False), Column("target_year", "Năm MT", 60, fmt=lambda v: str(v or "")),
    Column("status_label", "Đánh giá (định tính)", 130, sortable=False), Column("owner", "Theo dõi", 80, sortable=False),
    Column("values_count", "Số liệu", 70, align=RIGHT),
]
VALUE_COLUMNS = [
    Column("period_label", "Kỳ", 80), Column("unit_code", "Đơn vị", 100, fmt=lambda v: v or "Toàn tỉnh"),
    Column("value", "Giá trị", 90, fmt=number_text, align=RIGHT), Column("source_label", "Nguồn", 200),
    Column("entered_at", "Ghi lúc", 130, fmt=lambda d: d.strftime("%d/%m/%Y %H:%M") if d else ""),
]


class CatalogueTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[IndicatorRow] = []
        self.values: list[ValueRow] = []
        self._sort = ("sort_order", False)

        self.search = SearchBox(parent=self)
        self.family = QComboBox()
        self.family.addItem("Tất cả các nhóm", None)
        for key, label in FAMILY_LABELS.items():
            self.family.addItem(label, key)
        self.add_btn = QPushButton("&Thêm…")
        self.edit_btn = QPushButton("&Sửa…")
        self.delete_btn = QPushButton("&Xóa")
        self.values_btn = QPushButton("Nhập &số liệu…")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.family)
        for b in (self.add_btn, self.edit_btn, self.delete_btn, self.values_btn):
            bar.addWidget(b)

        self.model = LazyTableModel(COLUMNS, lambda ids: [self.rows[i] for i in ids])
        self.table = DataTable("indicator_catalogue", self.model, title="Danh mục chỉ tiêu")
        self.values_title = QLabel()
        self.values_model = LazyTableModel(VALUE_COLUMNS, lambda ids: [self.values[i] for i in ids])
        self.values_table = DataTable("indicator_values", self.values_model, title="Số liệu đã ghi")
        self.values_table.setSortingEnabled(False)
        low = QWidget()
        ll = QVBoxLayout(low)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.values_title)
        ll.addWidget(self.values_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(low)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(split, 1)

        for text, keys, slot in (("Thêm chỉ tiêu", "Ctrl+N", self.add), ("Xóa chỉ tiêu", "Delete", self.delete)):
            act = QAction(text, self)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
        self.search.search.connect(lambda _q: self.refresh())
        self.family.currentIndexChanged.connect(lambda _i: self.refresh())
        self.model.sort_requested.connect(self._sort_by)
        self.table.activated_row.connect(lambda _r: self.edit())
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show_values(cur.row()))
        self.add_btn.clicked.connect(self.add)
        self.edit_btn.clicked.connect(self.edit)
        self.delete_btn.clicked.connect(self.delete)
        self.values_btn.clicked.connect(self.enter_values)
        self.refresh()

    def refresh(self) -> None:
        current = self.table.current_row()
        try:
            self.rows = list_indicators(self.ctx.db, self.family.currentData(), self.search.text(), *self._sort)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            self.rows = []
        self.model.set_ids(list(range(len(self.rows))))
        row = next((i for i, r in enumerate(self.rows) if current and r.id == current.id), 0 if self.rows else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._show_values(row)

    def _sort_by(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.refresh()

    def selected(self) -> IndicatorRow | None:
        return self.table.current_row()

    def _show_values(self, row: int) -> None:
        r = self.rows[row] if 0 <= row < len(self.rows) else None
        self.values = list_values(self.ctx.db, indicator_id=r.id, limit=500) if r else []
        self.values_model.set_ids(list(range(len(self.values))))
        if r is None:
            self.values_title.setText("")
            return
        more = " (500 số liệu gần nhất)" if r.values_count > 500 else ""
        self.values_title.setText(f"<b>Số liệu đã ghi của {r.code}</b>: {r.values_count}{more}")

    # ---- actions -------------------------------------------------------------------------------
    def add(self) -> None:
        self._open(None)

    def edit(self) -> None:
        r = self.selected()
        if r is not None:
            self._open(r.id)

    def _open(self, indicator_id: int | None) -> None:
        from gui.dialogs.indicator_edit import IndicatorDialog

        dlg = IndicatorDialog(self.ctx.db, indicator_id, self)
        if dlg.exec() and dlg.saved:
            self.ctx.bus.publish("indicators", [dlg.saved.id])

    def delete(self) -> None:
        r = self.selected()
        if r is None or not confirm(self, f"Xóa chỉ tiêu {r.code} — {r.name}?"):
            return
        try:
            delete_indicator(self.ctx.db, r.id, r.version)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.ctx.bus.publish("indicators", [r.id])

    def enter_values(self) -> None:
        from gui.dialogs.indicator_values import ValueEntryDialog

        r = self.selected()
        if r is None:
            return
        last = self.values[0] if self.values else None  # start where the latest value was entered
        dlg = ValueEntryDialog(self.ctx.db, [r.id], unit_id=last.unit_id if last else None,
                               period=last.period if last else None, allow_province=True, parent=self)
        dlg.exec()
        if dlg.saved:
            self.ctx.bus.publish("indicators", [r.id])
