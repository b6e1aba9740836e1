"""The dashboard's two QtCharts: reporting rates by period, and on time / late / missing
by unit. Clicking a bar emits which period or which unit (and status) was clicked."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

from services import timeliness as tl
from services.dashboard import UnitBar

COLORS = {"completeness": "#4a7ebb", "timeliness": "#6aa84f", tl.ON_TIME: "#6aa84f", tl.LATE: "#f1a33c",
          tl.MISSING: "#d9534f"}


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    f = QFont(chart.titleFont())
    f.setBold(True)
    chart.setTitleFont(f)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def short_month(month_key: str) -> str:
    """"2026-11" → "11/26" (axis labels must stay short)."""
    y, m = month_key.split("-")
    return f"{int(m)}/{y[2:]}"


def axis_months(keys: Sequence[str]) -> list[str]:
    """Month labels short enough for narrow bars ("T12", "T1", "T2"…); the years go in the
    axis title (see `month_span`)."""
    return [f"T{int(k[5:])}" for k in keys]


def month_span(keys: Sequence[str]) -> str:
    """"tháng 12/2025 – 11/2026" for the axis title."""
    if not keys:
        return ""
    first, last = keys[0], keys[-1]
    a, b = f"{int(first[5:])}/{first[:4]}", f"{int(last[5:])}/{last[:4]}"
    return f"tháng {a}" if first == last else f"tháng {a} – {b}"


class RatesByPeriodChart(QChartView):
    """Completeness and timeliness (%) per period; `period_clicked(month_key)`."""

    period_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chart_periods")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        self.keys: list[str] = []
        self.sets: list[QBarSet] = []
        self.show_rates([])

    def show_rates(self, rows: Sequence[tl.RateRow]) -> None:
        self.keys = [r.key for r in rows]
        chart = _chart("Tỷ lệ nộp báo cáo theo kỳ (%)")
        if not rows:
            chart.setTitle(chart.title() + "\nChưa có kỳ nào để so sánh.")
            self.setChart(chart)
            return
        series = QBarSeries()
        self.sets = []
        for key, name in (("completeness", "Đầy đủ"), ("timeliness", "Đúng hạn")):
            s = QBarSet(name)
            s.setColor(QColor(COLORS[key]))
            for r in rows:
                v = getattr(r.counts, key)
                s.append(round(v * 100, 1) if v is not None else 0)
            s.clicked.connect(lambda i: self.period_clicked.emit(self.keys[i]))
            series.append(s)
            self.sets.append(s)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(axis_months(self.keys))
        x.setTitleText(month_span(self.keys))
        f = QFont(x.labelsFont())
        f.setPointSizeF(7.5 if len(self.keys) > 8 else 9)
        x.setLabelsFont(f)
        y = QValueAxis()
        y.setRange(0, 100)
        y.setLabelFormat("%d")
        y.setTickCount(6)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        self.setChart(chart)


class UnitTimelinessChart(QChartView):
    """Stacked on time / late / missing per unit (horizontal bars, names readable);
    `unit_clicked(unit_id, status)`. With many units only the ones with the most late and
    missing reports are drawn (the title says so): 350 bars help nobody."""

    unit_clicked = Signal(int, str)
    MAX_UNITS = 32

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chart_units")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        self.units: list[UnitBar] = []
        self.sets: dict[str, QBarSet] = {}
        self.show_units([], "")

    def show_units(self, units: Sequence[UnitBar], span: str) -> None:
        title = f"Đúng hạn, trễ hạn, chưa nộp theo đơn vị ({span})" if span else "Theo đơn vị"
        shown = list(units)
        if len(shown) > self.MAX_UNITS:
            worst = sorted(shown, key=lambda u: (-(u.late + u.missing), -u.missing, u.code))[:self.MAX_UNITS]
            keep = {u.unit_id for u in worst}
            shown = [u for u in shown if u.unit_id in keep]
            title += f"\n{self.MAX_UNITS} đơn vị nhiều báo cáo trễ hạn, chưa nộp nhất / {len(units)}"
        # Horizontal bars list from the bottom up: reverse so the first unit is on top.
        self.units = list(reversed(shown))
        chart = _chart(title)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)  # the chart scrolls: keep it in sight
        if not units:
            chart.setTitle(chart.title() + "\nChưa có số liệu.")
            self.setChart(chart)
            return
        series = QHorizontalStackedBarSeries()
        self.sets = {}
        for status in (tl.ON_TIME, tl.LATE, tl.MISSING):
            s = QBarSet(tl.STATUS_LABELS[status])
            s.setColor(QColor(COLORS[status]))
            attr = {tl.ON_TIME: "on_time", tl.LATE: "late", tl.MISSING: "missing"}[status]
            for u in self.units:
                s.append(getattr(u, attr))
            s.clicked.connect(lambda i, st=status: self.unit_clicked.emit(self.units[i].unit_id, st))
            series.append(s)
            self.sets[status] = s
        series.setBarWidth(0.75)
        chart.addSeries(series)
        # Enough height per unit for its name; the dashboard puts the chart in a scroll area.
        self.setMinimumHeight(max(200, 25 * len(self.units) + 130))
        y = QBarCategoryAxis()
        y.append([_short(u.name) for u in self.units])
        f = QFont(y.labelsFont())
        f.setPointSizeF(7.5)
        y.setLabelsFont(f)
        x = QValueAxis()
        top = max((u.on_time + u.late + u.missing for u in self.units), default=1)
        x.setRange(0, max(top, 1))
        x.setLabelFormat("%d")
        x.setTickCount(min(top, 6) + 1)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x)
        series.attachAxis(y)
        self.setChart(chart)


def _short(name: str, n: int = 34) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"
