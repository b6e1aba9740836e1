"""Mục tiêu tab: every target with its latest figure, the target, the status (coloured) and
a trend chart of the selected target; values and assessments are entered from here."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.context import AppContext
from gui.messages import show_error
from gui.tasks import Task
from gui.widgets.numbers import number_text
from gui.widgets.table import Column, DataTable, LazyTableModel
from gui.widgets.trend_chart import TrendChart
from services.targets import (
    MET,
    NOT_MET,
    STATUS_COLORS,
    WATCHING,
    TargetProgress,
    status_counts,
    target_progress,
)

RIGHT = Qt.AlignmentFlag.AlignRight


def _status_color(r: TargetProgress) -> str | None:
    return STATUS_COLORS.get(r.status)


COLUMNS = [  # the status comes early: it must stay visible beside the chart
    Column("code", "Mã", 75),
    Column("name", "Chỉ tiêu", 230),
    Column("target_text", "Mục tiêu", 140),
    Column("latest_value", "Mới nhất", 70, fmt=number_text, align=RIGHT),
    Column("status_label", "Đánh giá", 100, color=_status_color),
    Column("gap", "Còn thiếu", 70, fmt=number_text, align=RIGHT),
    Column("latest_label", "Năm số liệu", 80),
    Column("target_year", "Năm mục tiêu", 90, fmt=lambda v: str(v or "")),
]


class TargetsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[TargetProgress] = []
        self._sort: tuple[str | None, bool] = (None, False)

        self.year = QComboBox()
        for label, year in (("Mục tiêu đến năm 2030", 2030), ("Mục tiêu đến năm 2045", 2045), ("Tất cả mục tiêu", None)):
            self.year.addItem(label, year)
        self.summary = QLabel()
        self.summary.setObjectName("targets_summary")
        self.enter_btn = QPushButton("Cập nhật &số liệu…")
        self.assess_btn = QPushButton("Đá&nh giá…")
        self.edit_btn = QPushButton("&Sửa chỉ tiêu…")
        self.export_btn = QPushButton("&Xuất Excel…")
        bar = QHBoxLayout()
        bar.addWidget(self.year)
        bar.addWidget(self.summary, 1)
        for b in (self.enter_btn, self.assess_btn, self.edit_btn, self.export_btn):
            bar.addWidget(b)

        self.model = LazyTableModel(COLUMNS, lambda ids: [self.rows[i] for i in ids])
        self.table = DataTable("targets", self.model, title="Tiến độ thực hiện các mục tiêu")
        self.chart = TrendChart()
        self.detail = QLabel()
        self.detail.setObjectName("target_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.chart, 3)
        rl.addWidget(self.detail, 1)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([820, 380])  # the table's status column must stay on screen
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(split, 1)

        act = QAction("Cập nhật số liệu", self)
        act.setShortcut(QKeySequence("Ctrl+N"))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(self.enter_values)
        self.addAction(act)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.model.sort_requested.connect(self._sort_by)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show(cur.row()))
        self.table.activated_row.connect(lambda _r: self.enter_values())
        self.enter_btn.clicked.connect(self.enter_values)
        self.assess_btn.clicked.connect(self.assess)
        self.edit_btn.clicked.connect(self.edit)
        self.export_btn.clicked.connect(self.export)
        self.refresh()

    # ---- data ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.table.current_row()
        keep = current.indicator_id if current else None
        try:
            self.rows = target_progress(self.ctx.db, self.year.currentData(), sort=self._sort[0],
                                        descending=self._sort[1])
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            self.rows = []
        self.model.set_ids(list(range(len(self.rows))))
        n = status_counts(self.rows)
        self.summary.setText(f"{len(self.rows)} mục tiêu: <b style='color:#1e7b34'>{n[MET]} đạt</b> · "
                             f"<b style='color:#a61b29'>{n[NOT_MET]} chưa đạt</b> · "
                             f"<b style='color:#8a6d00'>{n[WATCHING]} đang theo dõi</b>")
        row = next((i for i, r in enumerate(self.rows) if r.indicator_id == keep), 0 if self.rows else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._show(row)

    def _sort_by(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.refresh()

    def selected(self) -> TargetProgress | None:
        return self.table.current_row()

    def _show(self, row: int) -> None:
        r = self.rows[row] if 0 <= row < len(self.rows) else None
        self.assess_btn.setEnabled(r is not None and r.qualitative)
        if r is None:
            self.chart.show_series("", [], None)
            self.detail.setText("")
            return
        self.chart.show_series(f"{r.code}: số liệu theo năm", [(t.label, t.value) for t in r.trend],
                               r.target_value, reverse=r.rank, uom=r.uom)
        latest = (f"{number_text(r.latest_value)} {r.uom} (năm {r.latest_label})" if r.latest_value is not None
                  else "chưa có số liệu")
        lines = [f"<b>{r.code} — {r.name}</b>", r.description, f"Mục tiêu: {r.target_text}"
                 + (f" đến năm {r.target_year}" if r.target_year else ""),
                 f"Số liệu mới nhất: {latest}", f"Đánh giá: <b>{r.status_label}</b>"]
        if r.rank:
            lines.append("<i>Chỉ tiêu thứ hạng: hạng càng nhỏ càng tốt.</i>")
        if r.status_note:
            lines.append(f"Ghi chú: {r.status_note}")
        self.detail.setText("<br>".join(x for x in lines if x))

    # ---- actions -------------------------------------------------------------------------------
    def enter_values(self) -> None:
        from gui.dialogs.indicator_values import ValueEntryDialog

        r = self.selected()
        if r is None:
            return
        dlg = ValueEntryDialog(self.ctx.db, [r.indicator_id], unit_id=None,
                               period=r.latest_period or str(date.today().year), allow_province=True, parent=self)
        dlg.exec()
        if dlg.saved:
            self.ctx.bus.publish("indicators", [r.indicator_id])

    def assess(self) -> None:
        from gui.dialogs.target_status import TargetStatusDialog

        r = self.selected()
        if r is None:
            return
        if not r.qualitative:
            QMessageBox.information(self, "Đánh giá", "Mục tiêu định lượng được đánh giá tự động theo "
                                    "số liệu mới nhất; hãy cập nhật số liệu.")
            return
        dlg = TargetStatusDialog(self.ctx.db, r, self)
        if dlg.exec():
            self.ctx.bus.publish("indicators", [r.indicator_id])

    def edit(self) -> None:
        from gui.dialogs.indicator_edit import IndicatorDialog

        r = self.selected()
        if r is None:
            return
        dlg = IndicatorDialog(self.ctx.db, r.indicator_id, self)
        if dlg.exec():
            self.ctx.bus.publish("indicators", [r.indicator_id])

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Xuất tiến độ mục tiêu", "tien_do_muc_tieu.xlsx", "Excel (*.xlsx)")
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> Task:
        from services.indicator_xlsx import export_progress

        year = self.year.currentData()
        return self.ctx.runner.run(lambda _p, _c: export_progress(self.ctx.db, path, year), "Đang xuất Excel…",
                            lambda _r, e: show_error(self, e) if e else None, self)
