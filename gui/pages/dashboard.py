"""Tổng quan page: the chosen period at a glance — counts and rates, units that have not
sent or sent late, deadlines in the next days, overdue tasks, and two charts. Every figure
opens its list (the Báo cáo đến page filtered, or the overdue tasks)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from gui import clock
from gui.context import AppContext
from gui.messages import show_error
from gui.widgets.report_charts import RatesByPeriodChart, UnitTimelinessChart, month_span
from gui.widgets.table import Column, DataTable, LazyTableModel
from services import dashboard as dash
from services import timeliness as tl
from services.settings import get_int

CENTER = Qt.AlignmentFlag.AlignCenter
CARD_STYLE = """
QPushButton {{ background: {bg}; border: 1px solid #b8c2cc; border-radius: 6px; padding: 6px 4px;
              text-align: center; font-size: 9pt; }}
QPushButton:hover {{ border: 2px solid #4a7ebb; }}
"""


class Card(QPushButton):
    """A figure with its caption; clicking it opens the figure's list."""

    def __init__(self, key: str, caption: str, color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"card_{key}")
        self.caption = caption
        self.value = ""
        self.setStyleSheet(CARD_STYLE.format(bg=color))
        self.setMinimumHeight(50)
        # Cards share the row equally and may shrink below their text's width: the page
        # must not force the navigation list narrower on a 1366-pixel screen.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(40)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_value(self, value: str, tip: str = "") -> None:
        self.value = value
        self.setText(f"{value}\n{self.caption}")
        f = self.font()
        f.setPointSize(10)
        self.setFont(f)
        self.setToolTip(tip or f"{self.caption}: bấm để xem danh sách")


def _small_table(name: str, columns: list[Column], parent: QWidget, title: str) -> tuple[DataTable, LazyTableModel]:
    model = LazyTableModel(columns, lambda ids: [], parent)
    table = DataTable(name, model, parent, title)
    table.setSortingEnabled(False)
    table.setMinimumHeight(90)
    return table, model


class DashboardPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: dash.Dashboard | None = None
        self._stale = True
        self._chosen = False  # the user picked a period: keep it across refreshes

        self.period = QComboBox()
        self.period.setObjectName("period")
        self.period.setMinimumWidth(160)
        self.period.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.period.setMinimumContentsLength(16)
        self.as_of = QLabel()
        refresh = QPushButton("Làm mới")
        refresh.setToolTip("Làm mới số liệu (F5)")
        refresh.clicked.connect(self.refresh)
        remind = QPushButton("Đôn đốc…")
        remind.setToolTip("Đơn vị cần đôn đốc, thư nhắc và nhật ký đôn đốc (Ctrl+R)")
        remind.setObjectName("remind")
        remind.clicked.connect(self.open_reminders)
        top = QHBoxLayout()
        lab = QLabel("&Kỳ báo cáo:")
        lab.setBuddy(self.period)
        for w in (lab, self.period, self.as_of):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(remind)
        top.addWidget(refresh)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.deadline.setWordWrap(True)

        specs = [
            ("total", "Phải nộp", "#f4f6f8", None), ("received", "Đã nộp", "#e3eefa", "received"),
            (tl.ON_TIME, "Đúng hạn", tl.STATUS_COLORS[tl.ON_TIME], tl.ON_TIME),
            (tl.LATE, "Trễ hạn", tl.STATUS_COLORS[tl.LATE], tl.LATE),
            (tl.MISSING, "Chưa nộp", tl.STATUS_COLORS[tl.MISSING], tl.MISSING),
            (tl.NOT_DUE, "Chưa đến hạn", tl.STATUS_COLORS[tl.NOT_DUE], tl.NOT_DUE),
            (tl.EXCUSED, "Miễn", tl.STATUS_COLORS[tl.EXCUSED], tl.EXCUSED),
            ("completeness", "Tỷ lệ đầy đủ", "#eef4ea", "received"),
            ("timeliness", "Tỷ lệ đúng hạn", "#eef4ea", tl.ON_TIME),
            ("tasks", "Nhiệm vụ quá hạn", "#fbe9e7", "tasks"),
            ("reminders", "Đã đôn đốc", "#f4f6f8", "reminders"),
        ]
        self.cards: dict[str, Card] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        self.card_grid = grid
        self._card_columns = 0
        for key, caption, color, target in specs:
            card = Card(key, caption, color, self)
            card.clicked.connect(lambda _c=False, t=target: self.open_list(t))
            self.cards[key] = card
        self._place_cards(len(specs))

        days = lambda n: f"{n} ngày"  # noqa: E731 - a column format
        self.missing_table, self.missing_model = _small_table("dash_missing", [
            Column("unit_name", "Đơn vị", 190), Column("days", "Quá hạn", 65, fmt=days, align=CENTER),
            Column("contact", "Liên hệ", 260)], self, "Đơn vị chưa nộp")
        self.late_table, self.late_model = _small_table("dash_late", [
            Column("unit_name", "Đơn vị", 190), Column("days", "Trễ", 60, fmt=days, align=CENTER),
            Column("received_date", "Ngày nhận", 85, align=CENTER)], self, "Đơn vị nộp trễ")
        self.upcoming_table, self.upcoming_model = _small_table("dash_upcoming", [
            Column("day", "Hạn cuối", 80, align=CENTER), Column("period_label", "Kỳ báo cáo", 130),
            Column("received", "Đã nộp", 55, align=CENTER), Column("owed", "Phải nộp", 60, align=CENTER)],
            self, "Hạn nộp sắp tới")
        pct = lambda key: (lambda c: tl.percent(getattr(c, key)))  # noqa: E731 - column formats
        self.group_table, self.group_model = _small_table("dash_groups", [
            Column("label", "Nhóm đơn vị", 150), Column("counts", "Đầy đủ", 60, fmt=pct("completeness"), align=CENTER),
            Column("counts", "Đúng hạn", 65, fmt=pct("timeliness"), align=CENTER)], self, "Tỷ lệ theo nhóm")
        self.group_table.activated_row.connect(lambda r: r and self.open_list(None, group=r.key))
        self.missing_table.activated_row.connect(
            lambda r: r and self.open_list(tl.MISSING, unit_id=r.unit_id))
        self.late_table.activated_row.connect(lambda r: r and self.open_list(tl.LATE, unit_id=r.unit_id))
        self.upcoming_table.activated_row.connect(lambda r: r and self.open_list(tl.NOT_DUE, month_key=r.month_key))
        self.upcoming_title = QLabel()
        lists = QHBoxLayout()
        for title, table in ((QLabel("<b>Đơn vị chưa nộp</b>"), self.missing_table),
                             (QLabel("<b>Đơn vị nộp trễ</b>"), self.late_table),
                             (QLabel("<b>Tỷ lệ theo nhóm</b>"), self.group_table),
                             (self.upcoming_title, self.upcoming_table)):
            title.setWordWrap(True)  # four lists side by side must still fit a small window
            table.setToolTip("Nhấn đúp (hoặc Enter) để mở danh sách")
            box = QVBoxLayout()
            box.addWidget(title)
            box.addWidget(table)
            lists.addLayout(box, 1)

        self.chart_periods = RatesByPeriodChart(self)
        self.chart_units = UnitTimelinessChart(self)
        self.chart_periods.period_clicked.connect(lambda mk: self.open_list(None, month_key=mk))
        self.chart_units.unit_clicked.connect(lambda uid, st: self.open_list(st, unit_id=uid, all_periods=True))
        units_scroll = QScrollArea()
        units_scroll.setWidgetResizable(True)
        units_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        units_scroll.setWidget(self.chart_units)
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.chart_periods)
        charts.addWidget(units_scroll)
        charts.setSizes([520, 620])

        lists_w = QWidget()
        lists_w.setLayout(lists)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(lists_w)
        body.addWidget(charts)
        body.setStretchFactor(1, 3)
        body.setSizes([170, 560])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.addLayout(top)
        lay.addWidget(self.deadline)
        lay.addLayout(grid)
        lay.addWidget(body, 1)

        QShortcut(QKeySequence.StandardKey.Refresh, self, activated=self.refresh)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.open_reminders)
        self._load_periods()
        self.period.currentIndexChanged.connect(self._period_chosen)
        ctx.bus.subscribe({"reports", "expected", "calendar", "regime", "units", "tasks", "plans",
                           "reminders", "settings"}, self._changed)
        self.refresh()

    def _place_cards(self, columns: int) -> None:
        """One row of cards on a wide page, two rows when narrow (captions stay readable)."""
        if columns == self._card_columns:
            return
        self._card_columns = columns
        for i, card in enumerate(self.cards.values()):
            self.card_grid.removeWidget(card)
            self.card_grid.addWidget(card, i // columns, i % columns)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self._place_cards(len(self.cards) if event.size().width() >= 1150 else (len(self.cards) + 1) // 2)
        super().resizeEvent(event)

    # ---- data ---------------------------------------------------------------------------
    def _period_chosen(self, _index: int) -> None:
        self._chosen = True
        self.refresh()

    def _load_periods(self) -> None:
        keep = self.period.currentData()
        self.period.blockSignals(True)
        self.period.clear()
        for c in dash.period_choices(self.ctx.db):
            self.period.addItem(c.label, c.month_key)
        # Follow the current period until the user picks one (new periods appear at start-up).
        want = keep if self._chosen else dash.default_period(self.ctx.db, clock.today())
        self.period.setCurrentIndex(max(self.period.findData(want), 0))
        self.period.blockSignals(False)

    def _changed(self, topic: str, _payload: object) -> None:
        if not isValid(self):  # the bus outlives pages dropped when another database opens
            return
        if topic in ("expected", "regime", "calendar", "database"):
            self._load_periods()
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # refreshed when shown: hidden pages cost nothing

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._stale = False
        mk = self.period.currentData()
        today = clock.today()
        self.as_of.setText(f"tính đến ngày {today.strftime('%d/%m/%Y')}")
        if mk is None:
            self.deadline.setText("Chưa có báo cáo phải nộp: hãy khai báo loại báo cáo trong Cài đặt.")
            return
        try:
            d = dash.dashboard(self.ctx.db, mk, today, get_int(self.ctx.db, "upcoming_days") or dash.UPCOMING_DAYS)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.data = d
        self._show(d)

    def _show(self, d: dash.Dashboard) -> None:
        c = d.counts
        self.deadline.setText(f"<b>{d.period_label}</b> — {d.deadline_text}")
        values = {"total": (str(c.total), f"{c.owed} báo cáo phải nộp, {c.excused} được miễn"),
                  "received": (str(c.received), "Đã nhận (đúng hạn và trễ hạn)"),
                  tl.ON_TIME: (str(c.on_time), ""), tl.LATE: (str(c.late), ""), tl.MISSING: (str(c.missing), ""),
                  tl.NOT_DUE: (str(c.not_due), ""), tl.EXCUSED: (str(c.excused), ""),
                  "completeness": (tl.percent(c.completeness),
                                   f"Đã nộp ÷ phải nộp đã đến hạn: {c.received}/{c.judged} (không tính miễn)"),
                  "timeliness": (tl.percent(c.timeliness),
                                 f"Đúng hạn ÷ phải nộp đã đến hạn: {c.on_time}/{c.judged} (không tính miễn)"),
                  "tasks": (str(len(d.overdue_tasks)), "Nhiệm vụ (theo đơn vị) đã quá hạn mà chưa hoàn thành"),
                  "reminders": (str(d.reminders_sent), "Số lượt đôn đốc đã ghi nhận cho kỳ này")}
        for key, (v, tip) in values.items():
            self.cards[key].set_value(v, tip)
        self.missing_model.set_rows(list(d.missing))
        self.late_model.set_rows(list(d.late))
        self.upcoming_model.set_rows(list(d.upcoming), id_attr="report_type_id")
        self.group_model.set_rows(list(d.by_group), id_attr="key")
        self.upcoming_title.setText(f"<b>Hạn nộp trong {d.upcoming_days} ngày tới</b>")
        self.chart_periods.show_rates(d.by_period)
        self.chart_units.show_units(d.by_unit, month_span(d.history_keys))

    # ---- click-through ------------------------------------------------------------------
    def open_list(self, target: str | None, month_key: str | None = None, unit_id: int | None = None,
                  all_periods: bool = False, group: str | None = None) -> None:
        """Show the list behind a figure: the follow-up filtered on the Báo cáo đến page,
        the register for received reports, or the overdue tasks."""
        if target == "tasks":
            self.open_overdue_tasks()
            return
        if target == "reminders":
            self.open_reminders()
            return
        mk = None if all_periods else (month_key or self.period.currentData())
        win = self.window()
        if not hasattr(win, "show_page_key"):
            return
        page = win.show_page_key("incoming")
        if target == "received":
            page.show_filtered(month_key=mk, unit_id=unit_id, register=True, group=group)
        else:
            page.show_filtered(month_key=mk, status=target, unit_id=unit_id, group=group)

    def open_overdue_tasks(self) -> None:
        from gui.dialogs.overdue_tasks import OverdueTasksDialog

        OverdueTasksDialog(list(self.data.overdue_tasks) if self.data else [], self).exec()

    def open_reminders(self) -> None:
        from gui.dialogs.reminders import RemindersDialog

        mk = self.period.currentData()
        if mk:
            RemindersDialog(self.ctx, mk, self).exec()
