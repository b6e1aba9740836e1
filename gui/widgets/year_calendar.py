"""A year at a glance: twelve small month grids coloured by services.calendar_service's
year view — public holidays and Tết, extra days off, swapped working days, deadlines —
with the reason or the reports due as each day's tooltip."""
from __future__ import annotations

import calendar as pycal
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.calendar_service import YearView

COLORS = {"holiday": "#f4b6b0", "override": "#f9cf8f", "work": "#b9e3b0", "deadline": "#a9c8f0"}
LEGEND = [("holiday", "Lễ, Tết, nghỉ bù"), ("override", "Nghỉ thêm"), ("work", "Làm bù"),
          ("deadline", "Hạn cuối nộp báo cáo")]
HEADERS = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]


class MonthGrid(QTableWidget):
    """One month, Monday first; `day_clicked(date)`."""

    day_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(6, 7, parent)
        self.year, self.month = 2000, 1
        self.setHorizontalHeaderLabels(HEADERS)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setMinimumSectionSize(20)
        self.verticalHeader().setMinimumSectionSize(16)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumSize(100, 105)
        self.cellClicked.connect(self._clicked)
        self.cells: dict[date, QTableWidgetItem] = {}

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(170, 155)  # small by default: the lists beside the year need room too

    def show_month(self, year: int, month: int) -> None:
        self.year, self.month = year, month
        self.clearContents()
        self.cells = {}
        for r, week in enumerate(pycal.Calendar(firstweekday=0).monthdayscalendar(year, month)):
            for c, day in enumerate(week):
                if not day:
                    continue
                item = QTableWidgetItem(str(day))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if c >= 5:
                    item.setForeground(QBrush(QColor("#9a9a9a")))
                self.setItem(r, c, item)
                self.cells[date(year, month, day)] = item

    def mark(self, d: date, key: str, tip: str) -> None:
        item = self.cells.get(d)
        if item is None:
            return
        item.setBackground(QBrush(QColor(COLORS[key])))
        if key in ("deadline", "work"):
            item.setForeground(QBrush(QColor("black")))
        if key == "deadline":
            f = QFont(item.font())
            f.setBold(True)
            item.setFont(f)
        old = item.toolTip()
        item.setToolTip(f"{old}\n{tip}" if old else f"{d.strftime('%d/%m/%Y')}: {tip}")

    def _clicked(self, row: int, col: int) -> None:
        item = self.item(row, col)
        if item is not None:
            self.day_clicked.emit(date(self.year, self.month, int(item.text())))


class YearCalendar(QWidget):
    """`day_clicked(date)` when a day is clicked (the settings tab offers to add an override)."""

    day_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: YearView | None = None
        self.months: list[MonthGrid] = []
        self.titles: list[QLabel] = []
        grid = QGridLayout()
        grid.setSpacing(6)
        for m in range(12):
            cal = MonthGrid(self)
            cal.setObjectName(f"month_{m + 1}")
            cal.day_clicked.connect(self.day_clicked)
            title = QLabel()
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            title.setStyleSheet("font-weight: bold;")
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(title)
            box.addWidget(cal, 1)
            grid.addLayout(box, m // 4, m % 4)
            self.months.append(cal)
            self.titles.append(title)
        # One wrapping line of coloured squares, so a narrow window still fits.
        legend = QLabel("  ".join(f'<span style="background:{COLORS[k]}">&nbsp;&nbsp;&nbsp;&nbsp;</span> {text}'
                                  for k, text in LEGEND) + "  · T7, CN: chữ xám")
        legend.setWordWrap(True)
        self.setToolTip("Rê chuột lên một ngày để xem lý do nghỉ hoặc báo cáo đến hạn; bấm để thêm ngày điều chỉnh.")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(legend)
        lay.addLayout(grid, 1)

    def show_year(self, view: YearView) -> None:
        self.view = view
        for m, (cal, title) in enumerate(zip(self.months, self.titles, strict=True), start=1):
            cal.show_month(view.year, m)
            title.setText(f"Tháng {m}/{view.year}")
        for d in view.days_off:
            if d.kind != "weekend":
                self._month(d.day).mark(d.day, "override" if d.kind == "override" else "holiday", d.name)
        for o in view.working_overrides:
            self._month(o.day).mark(o.day, "work", f"Làm việc bù{': ' + o.note if o.note else ''}")
        for dl in view.deadlines:
            self._month(dl.day).mark(dl.day, "deadline", f"Hạn cuối {dl.report_type.lower()} {dl.period_label}"
                                     + (f" ({dl.due_wording})" if dl.due_wording else ""))

    def _month(self, d: date) -> MonthGrid:
        return self.months[d.month - 1]

    def day_color(self, d: date) -> str:
        """The background shown for a day, "#rrggbb" or "" (tests check the colours)."""
        item = self._month(d).cells.get(d)
        if item is None or item.background().style() == Qt.BrushStyle.NoBrush:
            return ""
        return item.background().color().name()
