"""Trend chart of one indicator (QtCharts): the figures per period, the target as a dashed
line, and for ranks a reversed axis so "better" is always up."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from gui.widgets.numbers import number_text


class TrendChart(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trend_chart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.points: list[tuple[str, float | None]] = []
        self.show_series("", [], None)

    def show_series(self, title: str, points: Sequence[tuple[str, float | None]], target: float | None,
                    reverse: bool = False, uom: str = "") -> None:
        """Draw `points` (label, value or None); `target` as a dashed line; `reverse` for ranks."""
        self.points = list(points)
        chart = QChart()
        chart.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        chart.setLocalizeNumbers(True)  # "11,1", not "11.1"
        chart.setTitle(title)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        labels = [p[0] for p in self.points]
        if not labels:
            chart.setTitle(title + ("\n" if title else "") + "Chưa có số liệu để vẽ biểu đồ.")
            self.setChart(chart)
            return
        line = QLineSeries()
        line.setName("Số liệu" + (f" ({uom})" if uom else ""))
        dots = QScatterSeries()
        dots.setMarkerSize(8)
        dots.setColor(QColor("#1f5f99"))
        line.setPen(QPen(QColor("#1f5f99"), 2))
        values = [v for _l, v in self.points if v is not None]
        for i, (_label, v) in enumerate(self.points):
            if v is not None:
                line.append(i, v)
                dots.append(i, v)
        dots.setPointLabelsVisible(True)
        dots.setPointLabelsFormat("@yPoint")
        chart.addSeries(line)
        chart.addSeries(dots)
        chart.legend().markers(dots)[0].setVisible(False)
        goal = None
        if target is not None:
            goal = QLineSeries()
            goal.setName(f"Mục tiêu: {number_text(target)}")
            goal.setPen(QPen(QColor("#c0392b"), 2, Qt.PenStyle.DashLine))
            goal.append(0, target)
            goal.append(max(len(labels) - 1, 0), target)
            chart.addSeries(goal)
            values.append(target)
        x = QBarCategoryAxis()
        x.append(labels)
        y = QValueAxis()
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
        pad = (hi - lo) * 0.15 or abs(hi) * 0.15 or 1.0
        bottom = max(lo - pad, 0.0) if lo >= 0 else lo - pad  # counts and ranks never go below 0
        y.setRange(bottom, hi + pad)
        y.applyNiceNumbers()  # round tick values (20, 22, 24…) instead of 18.8, 21.4…
        y.setLabelFormat("%.4g")
        y.setReverse(reverse)  # rank 1 is the best: draw it at the top
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for s in (line, dots, goal):
            if s is not None:
                s.attachAxis(x)
                s.attachAxis(y)
        self.setChart(chart)
