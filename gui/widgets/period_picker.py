"""Choosing a reporting period: kind (tháng, quý, 6 tháng, 9 tháng, năm), year and which one.
Gives the period name ("2026-11", "2026-H1", "2026") that services parse."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QSpinBox, QWidget

from services.periods import HALF, KIND_LABELS, MONTH, NINE_MONTHS, QUARTER, ROMAN, YEAR, Period

KINDS = (MONTH, QUARTER, HALF, NINE_MONTHS, YEAR)


def _choices(kind: str) -> list[tuple[str, int]]:
    if kind == MONTH:
        return [(f"Tháng {m}", m) for m in range(1, 13)]
    if kind == QUARTER:
        return [(f"Quý {ROMAN[q]}", q) for q in range(1, 5)]
    if kind == HALF:
        return [("6 tháng đầu năm", 1), ("6 tháng cuối năm", 2)]
    return []


class PeriodPicker(QWidget):
    changed = Signal(str)  # the period name

    def __init__(self, period: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        self.kind.setObjectName("period_kind")
        for k in KINDS:
            self.kind.addItem(KIND_LABELS[k], k)
        self.which = QComboBox()
        self.which.setObjectName("period_which")
        self.year = QSpinBox()
        self.year.setObjectName("period_year")
        self.year.setRange(2000, 2100)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.kind)
        lay.addWidget(self.which)
        lay.addWidget(self.year)
        self._quiet = False
        self.set_period(period)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.which.currentIndexChanged.connect(lambda _i: self._emit())
        self.year.valueChanged.connect(lambda _v: self._emit())

    def set_period(self, name: str) -> None:
        p = Period.parse(name)
        self._quiet = True
        self.kind.setCurrentIndex(max(self.kind.findData(p.kind), 0))
        self._fill(p.kind)
        self.which.setCurrentIndex(max(self.which.findData(p.index), 0))
        self.year.setValue(p.year)
        self._quiet = False

    def period(self) -> str:
        kind = self.kind.currentData()
        index = self.which.currentData() if self.which.count() else 1
        return Period.of_kind(kind, self.year.value(), int(index or 1)).name

    def _fill(self, kind: str) -> None:
        self.which.clear()
        for label, value in _choices(kind):
            self.which.addItem(label, value)
        self.which.setVisible(bool(self.which.count()))

    def _kind_changed(self, _i: int) -> None:
        self._quiet = True
        self._fill(self.kind.currentData())
        self._quiet = False
        self._emit()

    def _emit(self) -> None:
        if not self._quiet:
            self.changed.emit(self.period())
