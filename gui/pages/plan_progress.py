"""Progress follow-up of a plan's assignments (filter by unit, class, overdue only, text; SQL
sorting; colour and words per class) and the per-unit summary of class counts. Both read
the "sắp đến hạn" threshold from the settings; it can be changed here."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui import clock
from gui.context import AppContext
from gui.widgets.search import SearchBox
from gui.widgets.table import Column, DataTable, LazyTableModel
from services import assignments as A
from services import task_status as ts
from services import units as U
from services.settings import get_int, set_setting
from services.unit_merge import history_unit_ids

CENTER = Qt.AlignmentFlag.AlignCenter
PROGRESS_COLUMNS = [
    Column("task_code", "Mã NV", 65), Column("task_text", "Nhiệm vụ", 250, sortable=False),
    Column("unit_name", "Đơn vị", 185), Column("role", "Vai trò", 70),
    Column("due_text", "Thời hạn", 90), Column("progress_label", "Tiến độ", 105),
    Column("status_label", "Tình trạng", 170, color=lambda r: r.status_color),
    Column("completion_date", "Ngày hoàn thành", 112, align=CENTER),
    Column("via_unit_name", "Giao qua nhóm", 150, sortable=False), Column("section", "Mục", 55),
    Column("result_text", "Kết quả", 300, sortable=False),
]
# Header key → service sort key (status is derived, sorted in class order).
SORT_KEYS = {"task_code": "task", "unit_name": "unit", "section": "section", "role": "role",
             "completion_date": "completion_date", "due_text": "due", "progress_label": "progress",
             "status_label": "status"}
SUMMARY_COLUMNS = [
    Column("code", "Mã", 75), Column("name", "Đơn vị", 200), Column("total", "Tổng", 55, align=CENTER),
    Column("overdue", "Quá hạn chưa xong", 125, align=CENTER,
           color=lambda r: ts.COLORS[ts.CHUA_QUA_HAN] if r.overdue else None),
] + [Column(k, ts.SHORT_LABELS[k], 96 if len(ts.SHORT_LABELS[k]) < 13 else 114, align=CENTER,
            color=lambda r, k=k: ts.COLORS[k] if r.counts[k] else None) for k in ts.CLASSES]


class ProgressPanel(QWidget):
    """Filtered list of assignments of one plan (or all plans)."""

    open_assignment = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id: int | None = None
        self._sort: tuple[str, bool] = ("task", False)
        self.unit = QComboBox()
        self.unit.setObjectName("unit_filter")
        self.unit.setMinimumWidth(220)
        self.unit.setMaximumWidth(340)
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.status.addItem("Mọi tình trạng", None)
        for k in ts.CLASSES:
            self.status.addItem(ts.LABELS[k], k)
        self.overdue = QCheckBox("Chỉ &quá hạn chưa xong")
        self.overdue.setObjectName("overdue_only")
        self.search = SearchBox("Tìm nhiệm vụ, đơn vị (không cần dấu)…", self)
        self.search.setObjectName("progress_search")
        bar = QHBoxLayout()
        for label, w in (("Đơn &vị:", self.unit), ("Tình t&rạng:", self.status)):
            lab = QLabel(label)
            lab.setBuddy(w)
            bar.addWidget(lab)
            bar.addWidget(w)
        bar.addWidget(self.overdue)
        bar.addWidget(self.search, 1)
        self.model = LazyTableModel(PROGRESS_COLUMNS, self._fetch, self)
        self.table = DataTable("plan_progress", self.model, self, "Theo dõi tiến độ nhiệm vụ")
        self.count = QLabel()
        self.count.setObjectName("progress_count")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count)
        self.load_units()
        for w in (self.unit, self.status):
            w.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue.toggled.connect(lambda _b: self.refresh())
        self.search.search.connect(lambda _t: self.refresh())
        self.model.sort_requested.connect(self._sorted)
        self.table.activated_row.connect(lambda r: r is not None and self.open_assignment.emit(r.id))

    def load_units(self) -> None:
        current = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem("Mọi đơn vị", None)
        for u in U.list_units(self.ctx.db, active_only=False):
            self.unit.addItem(f"{u.code} — {u.name}", u.id)
        self.unit.setCurrentIndex(max(self.unit.findData(current), 0))
        self.unit.blockSignals(False)

    def _sorted(self, key: str, descending: bool) -> None:
        self._sort = (SORT_KEYS.get(key, "task"), descending)
        self.refresh()

    def _fetch(self, ids: list[int]) -> list[Any]:
        return A.get_assignments(self.ctx.db, ids, clock.today())

    def set_plan(self, plan_id: int | None) -> None:
        self.plan_id = plan_id
        self.refresh()

    def refresh(self) -> None:
        unit_id = self.unit.currentData()
        status = self.status.currentData()
        flt = A.AssignmentFilter(plan_id=self.plan_id, query=self.search.text(),
                                 unit_ids=history_unit_ids(self.ctx.db, unit_id) if unit_id else None,
                                 statuses={status} if status else None, overdue_only=self.overdue.isChecked())
        ids = A.search_assignments(self.ctx.db, flt, clock.today(), self._sort[0], self._sort[1])
        self.model.set_ids(ids)
        self.count.setText(f"{len(ids)} phần việc (đơn vị × nhiệm vụ)")


class SummaryPanel(QWidget):
    """Per-unit count of each class for the selected plan, with the threshold setting."""

    threshold_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id: int | None = None
        self._sort: tuple[str, bool] = ("", False)
        self.days = QSpinBox()
        self.days.setObjectName("due_soon_days")
        self.days.setRange(0, 90)
        self.days.setSuffix(" ngày")
        self.days.setValue(get_int(ctx.db, "due_soon_days"))
        self.days.editingFinished.connect(self._save_days)
        self.all_plans = QCheckBox("Tính trên &mọi kế hoạch")
        self.all_plans.setObjectName("all_plans")
        self.all_plans.toggled.connect(lambda _b: self.refresh())
        bar = QHBoxLayout()
        lab = QLabel("“Sắp đến hạn” khi còn &không quá:")
        lab.setBuddy(self.days)
        bar.addWidget(lab)
        bar.addWidget(self.days)
        bar.addWidget(self.all_plans)
        bar.addStretch(1)
        self.model = LazyTableModel(SUMMARY_COLUMNS, lambda ids: ids, self)
        self.table = DataTable("plan_unit_summary", self.model, self, "Tổng hợp tình trạng nhiệm vụ theo đơn vị")
        legend = QLabel(f"{ts.SHORT_LEGEND} Mỗi đơn vị được tính theo từng nhiệm vụ được giao; “Quá hạn chưa "
                        "xong” = đang thực hiện quá hạn + chưa thực hiện quá hạn.")
        legend.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(legend)
        self.model.sort_requested.connect(self._sorted)

    def _save_days(self) -> None:
        if self.days.value() != get_int(self.ctx.db, "due_soon_days"):
            set_setting(self.ctx.db, "due_soon_days", str(self.days.value()))
            self.threshold_changed.emit(self.days.value())

    def _sorted(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.refresh()

    def set_plan(self, plan_id: int | None) -> None:
        self.plan_id = plan_id
        self.refresh()

    def refresh(self) -> None:
        rows = A.unit_summary(self.ctx.db, clock.today(), None if self.all_plans.isChecked() else self.plan_id)
        key, desc = self._sort
        if key:  # counts are derived per row, so this small table is ordered here, not in SQL
            rows.sort(key=lambda r: getattr(r, key), reverse=desc)
        self.model.set_rows(rows, id_attr="unit_id")
