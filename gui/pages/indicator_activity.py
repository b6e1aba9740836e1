"""Hoạt động tab: one indicator as a table of units (or groups, or unit categories) × periods
of a chosen kind and year, with a total column and a totals row; below, every activity
indicator for the latest period with data against the period before."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.context import AppContext
from gui.messages import show_error
from gui.tasks import Task
from gui.widgets.numbers import number_text
from gui.widgets.table import Column, DataTable, LazyTableModel
from services import aggregates as ag
from services.indicators import list_indicators, unit_choices
from services.periods import HALF, KIND_LABELS, MONTH, NINE_MONTHS, QUARTER, YEAR

RIGHT = Qt.AlignmentFlag.AlignRight
ROW_LABELS = {ag.ROWS_GROUP: "Theo nhóm đơn vị", ag.ROWS_CATEGORY: "Theo loại đơn vị", ag.ROWS_UNIT: "Từng đơn vị"}
TOTAL_BG = "#e8eef5"


@dataclass(frozen=True)
class GridRow:
    """A table row as the view shows it: code, name, one figure per column, total."""

    id: int
    code: str
    name: str
    cells: tuple[float | None, ...]
    total: float | None
    is_total: bool = False

    def __getattr__(self, key: str) -> float | None:  # "c0", "c1"… → the column's figure
        if key.startswith("c") and key[1:].isdigit():
            i = int(key[1:])
            return self.cells[i] if i < len(self.cells) else None
        raise AttributeError(key)


def _total_bg(r: GridRow) -> str | None:
    return TOTAL_BG if r.is_total else None


def _change(v: float | None) -> str:
    return "" if v is None else ("+" if v > 0 else "") + number_text(v)


COMPARE_COLUMNS = [
    Column("code", "Mã", 80), Column("name", "Chỉ tiêu", 300), Column("uom", "Đơn vị tính", 90),
    Column("value", "Kỳ này", 90, fmt=number_text, align=RIGHT),
    Column("previous", "Kỳ trước", 90, fmt=number_text, align=RIGHT),
    Column("change", "Tăng/giảm", 90, fmt=_change, align=RIGHT),
    Column("change_pct", "%", 70, fmt=lambda v: "" if v is None else f"{v:+.1f}%".replace(".", ","), align=RIGHT),
]


class ActivityTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: ag.PeriodTable | None = None
        self.grid: list[GridRow] = []
        self.compare_period: str | None = None
        self._sort: tuple[str | None, bool] = (None, False)

        self.indicator = QComboBox()
        self.indicator.setMinimumWidth(260)
        self.kind = QComboBox()
        for k in (MONTH, QUARTER, HALF, NINE_MONTHS, YEAR):
            self.kind.addItem(KIND_LABELS[k], k)
        self.kind.setCurrentIndex(1)  # quarters: a year fits on screen
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.rows = QComboBox()
        for key, label in ROW_LABELS.items():
            self.rows.addItem(label, key)
        self.group = QComboBox()
        self.enter_btn = QPushButton("&Nhập số liệu…")
        self.export_btn = QPushButton("&Xuất Excel…")
        bar = QHBoxLayout()
        for label, w in (("Chỉ tiêu:", self.indicator), ("Kỳ:", self.kind), ("Năm:", self.year),
                         ("Hàng:", self.rows), ("Nhóm:", self.group)):
            lab = QLabel(label)
            lab.setBuddy(w)
            bar.addWidget(lab)
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.enter_btn)
        bar.addWidget(self.export_btn)
        self.note = QLabel()
        self.note.setObjectName("activity_note")

        # Period columns are set per query; a view needs at least one column from the start.
        self.model = LazyTableModel([Column("code", "Mã", 90), Column("name", "Đơn vị", 280)],
                                    lambda ids: [self.grid[i] for i in ids])
        self.table = DataTable("activity", self.model, title="Hoạt động")
        self.compare_title = QLabel()
        self.compare_rows: list[ag.ActivityTotal] = []
        self.compare_model = LazyTableModel(COMPARE_COLUMNS, lambda ids: [self.compare_rows[i] for i in ids])
        self.compare = DataTable("activity_compare", self.compare_model, title="So sánh với kỳ trước")
        self.compare.setSortingEnabled(False)
        low = QWidget()
        ll = QVBoxLayout(low)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.compare_title)
        ll.addWidget(self.compare)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(low)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.note)
        lay.addWidget(split, 1)

        act = QAction("Nhập số liệu", self)
        act.setShortcut(QKeySequence("Ctrl+N"))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(self.enter_values)
        self.addAction(act)
        self._fill_choices()
        for box in (self.indicator, self.kind, self.rows, self.group):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.model.sort_requested.connect(self._sort_by)
        self.enter_btn.clicked.connect(self.enter_values)
        self.export_btn.clicked.connect(self.export)
        self.refresh()

    def _fill_choices(self) -> None:
        for box in (self.indicator, self.group):
            box.blockSignals(True)
        current = self.indicator.currentData()
        self.indicator.clear()
        for r in sorted(list_indicators(self.ctx.db), key=lambda r: (r.family != "activity", r.sort_order)):
            self.indicator.addItem(f"{r.code} — {r.name}", r.id)
        self.indicator.setCurrentIndex(max(self.indicator.findData(current), 0))
        group = self.group.currentData()
        self.group.clear()
        self.group.addItem("Tất cả", None)
        for u in unit_choices(self.ctx.db):
            if u.is_group:
                self.group.addItem(u.code, u.id)
                self.group.setItemData(self.group.count() - 1, u.name, Qt.ItemDataRole.ToolTipRole)
        self.group.setCurrentIndex(max(self.group.findData(group), 0))
        for box in (self.indicator, self.group):
            box.blockSignals(False)

    def periods(self) -> list:
        return ag.table_periods(self.kind.currentData(), self.year.value())

    # ---- data ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        ind = self.indicator.currentData()
        rows = self.rows.currentData()
        self.group.setEnabled(rows == ag.ROWS_UNIT)
        group = self.group.currentData() if rows == ag.ROWS_UNIT else None
        if ind is None:
            return
        try:
            t = ag.unit_period_table(self.ctx.db, ind, self.periods(), rows, group, *self._sort)
            self.compare_rows, self.compare_period = self._comparison(t, group)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.result = t
        many = len(t.labels) > 6  # twelve months must fit beside the unit names
        cols = [Column("code", "Mã", 80, color=_total_bg),
                Column("name", "Đơn vị", 200 if many else 280, color=_total_bg)]
        cols += [Column(f"c{i}", label, 62 if many else 90, fmt=number_text, align=RIGHT, color=_total_bg)
                 for i, label in enumerate(t.labels)]
        cols.append(Column("total", "Tổng" if t.aggregation == "sum" else "Cả kỳ", 90, fmt=number_text,
                           align=RIGHT, color=_total_bg))
        extra = [t.province] if t.province else []
        self.grid = [GridRow(n, r.code, r.name, r.values, r.total) for n, r in enumerate(t.rows)]
        self.grid += [GridRow(len(self.grid) + n, r.code, r.name, r.values, r.total, True)
                      for n, r in enumerate([*extra, t.totals])]
        self.model.columns = cols
        self.model.set_ids(list(range(len(self.grid))))
        for i, c in enumerate(cols):
            self.table.setColumnWidth(i, c.width)
        agg = ag.AGGREGATION_LABELS.get(t.aggregation, t.aggregation).lower()
        self.note.setText(f"Đơn vị tính: {t.uom or '—'} · Cách tổng hợp: {agg} (theo tháng và qua các đơn vị)"
                          f" · {len(t.rows)} dòng")
        self.compare_model.set_ids(list(range(len(self.compare_rows))))
        p = ag.as_period(self.compare_period) if self.compare_period else None
        scope = self.group.currentText() if group else "toàn tỉnh"
        self.compare_title.setText(f"<b>Các chỉ tiêu hoạt động {p.label()} so với {p.previous().label()}</b>"
                                   f" — {scope}" if p else "")

    def _comparison(self, t: ag.PeriodTable, group: int | None) -> tuple[list[ag.ActivityTotal], str | None]:
        """The latest column with figures, compared with the period before it."""
        latest = next((p for p, v in zip(reversed(t.periods), reversed(t.totals.values), strict=True)
                       if v is not None), None)
        if latest is None:
            return [], None
        return ag.activity_totals(self.ctx.db, latest, group), latest

    def _sort_by(self, key: str, descending: bool) -> None:
        if key.startswith("c") and key[1:].isdigit() and self.result:
            key = self.result.periods[int(key[1:])]
        self._sort = (key, descending)
        self.refresh()

    # ---- actions -------------------------------------------------------------------------------
    def enter_values(self) -> None:
        from gui.dialogs.indicator_values import ValueEntryDialog

        period = self.compare_period
        if period and ag.as_period(period).kind != MONTH:
            period = ag.as_period(period).months()[-1]
        dlg = ValueEntryDialog(self.ctx.db, None, period=period, parent=self)
        dlg.exec()
        if dlg.saved:
            self.ctx.bus.publish("indicators", None)

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Xuất bảng hoạt động", "hoat_dong.xlsx", "Excel (*.xlsx)")
        if path:
            self.export_to(path)

    def export_to(self, path: str, all_activity: bool = True) -> Task:
        """Every activity indicator (one sheet each) with the table's periods and rows."""
        from services.indicator_xlsx import export_tables

        ids = [r.id for r in list_indicators(self.ctx.db, family="activity")] if all_activity \
            else [self.indicator.currentData()]
        rows = self.rows.currentData()
        group = self.group.currentData() if rows == ag.ROWS_UNIT else None
        periods = self.periods()
        return self.ctx.runner.run(lambda p, c: export_tables(self.ctx.db, path, ids, periods, rows, group, p, c),
                            "Đang xuất Excel…", lambda _r, e: show_error(self, e) if e else None, self)
