"""Enter indicator values by hand for one unit (or the province) and one period.

The form shows what is stored for that unit × period and where it came from (a report or
a user); saving writes only the changed values, each checked against what the form showed
(someone else may have imported a report meanwhile), and an emptied box clears a value.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.messages import show_error
from gui.widgets.numbers import number_text, parse_number
from models.db import Database
from services.errors import Problem, ValidationError
from services.indicators import (
    IndicatorRow,
    ValueEntry,
    ValuesSaved,
    list_indicators,
    list_values,
    set_values,
    unit_choices,
)
from services.periods import HALF, KIND_LABELS, MONTH, NINE_MONTHS, QUARTER, YEAR, Period

PROVINCE = -1  # combo data for "province-wide figure" (stored with no unit)
INDEX_LABELS = {
    MONTH: [f"Tháng {m}" for m in range(1, 13)],
    QUARTER: ["Quý I", "Quý II", "Quý III", "Quý IV"],
    HALF: ["6 tháng đầu năm", "6 tháng cuối năm"],
}


class ValueEntryDialog(QDialog):
    def __init__(self, db: Database, indicator_ids: list[int] | None = None, unit_id: int | None = None,
                 period: str | None = None, allow_province: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.saved: list[ValuesSaved] = []
        self.loaded: dict[int, float] = {}
        self.setWindowTitle("Nhập số liệu chỉ tiêu")
        self.setMinimumWidth(860)
        rows = list_indicators(db, family=None if indicator_ids else "activity")
        self.indicators: list[IndicatorRow] = [r for r in rows if not indicator_ids or r.id in indicator_ids]

        self.unit = QComboBox()
        if allow_province:
            self.unit.addItem("Toàn tỉnh (số liệu chung, không theo đơn vị)", PROVINCE)
        for u in unit_choices(db):
            if not u.is_group:  # group figures roll up from their members
                self.unit.addItem(f"{u.code} — {u.name}", u.id)
        if unit_id is None and not allow_province:  # start with the first unit that reports
            unit_id = next((u.id for u in unit_choices(db) if u.owes_reports and not u.is_group), None)
        self.unit.setCurrentIndex(max(self.unit.findData(PROVINCE if unit_id is None else unit_id), 0))
        p = Period.parse(period) if period else Period.month(date.today().year, date.today().month)
        self.kind = QComboBox()
        for k in (MONTH, QUARTER, HALF, NINE_MONTHS, YEAR):
            self.kind.addItem(KIND_LABELS[k], k)
        self.kind.setCurrentIndex(self.kind.findData(p.kind))
        self.index = QComboBox()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(p.year)
        self._fill_index(p.index - 1)

        head = QFormLayout()
        head.addRow("Đơn &vị:", self.unit)
        when = QHBoxLayout()
        for w in (self.kind, self.index, QLabel("năm"), self.year):
            when.addWidget(w)
        when.addStretch(1)
        when_label = QLabel("&Kỳ:")
        when_label.setBuddy(self.kind)
        head.addRow(when_label, when)

        self.editors: dict[str, QLineEdit] = {}
        self.sources: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(4, 1)
        for row, ind in enumerate(self.indicators):
            edit = QLineEdit()
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setFixedWidth(120)
            src = QLabel()
            src.setStyleSheet("color: #666;")
            name = QLabel(ind.name)
            name.setToolTip(ind.code)
            name.setBuddy(edit)
            grid.addWidget(QLabel(ind.code), row, 0)
            grid.addWidget(name, row, 1)
            grid.addWidget(edit, row, 2)
            grid.addWidget(QLabel(ind.uom), row, 3)
            grid.addWidget(src, row, 4)
            self.editors[ind.code] = edit
            self.sources[ind.code] = src
        box = QGroupBox("Số liệu (để trống = không có số liệu; xóa số để bỏ số liệu đã nhập)")
        box.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)
        scroll.setMinimumHeight(min(60 + 34 * len(self.indicators), 460))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Lưu")
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đó&ng")
        self.save_next = QPushButton("Lưu, sang đơn vị &tiếp theo")
        buttons.addButton(self.save_next, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_next.setVisible(not allow_province)  # province figures: one "unit" only
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_next.clicked.connect(self.save_and_next)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(scroll, 1)
        lay.addWidget(buttons)

        self.kind.currentIndexChanged.connect(lambda _i: (self._fill_index(0), self.load()))
        for sig in (self.unit.currentIndexChanged, self.index.currentIndexChanged, self.year.valueChanged):
            sig.connect(lambda _v: self.load())
        self.load()

    # ---- state ---------------------------------------------------------------------------------
    def _fill_index(self, current: int) -> None:
        labels = INDEX_LABELS.get(self.kind.currentData(), [])
        self.index.blockSignals(True)
        self.index.clear()
        self.index.addItems(labels)
        self.index.setCurrentIndex(min(max(current, 0), max(len(labels) - 1, 0)))
        self.index.setVisible(bool(labels))
        self.index.blockSignals(False)

    def period(self) -> str:
        kind = self.kind.currentData()
        return Period.of_kind(kind, self.year.value(), self.index.currentIndex() + 1 if kind in INDEX_LABELS else 1).name

    def unit_id(self) -> int | None:
        u = self.unit.currentData()
        return None if u == PROVINCE else u

    def load(self) -> None:
        """Show what is stored for the chosen unit × period, with its source."""
        unit = self.unit_id()
        stored = {v.indicator_id: v for v in list_values(self.db, unit_id=unit, period=self.period(),
                                                           province=unit is None)}
        self.loaded = {i: v.value for i, v in stored.items()}
        for ind in self.indicators:
            v = stored.get(ind.id)
            self.editors[ind.code].setText(number_text(v.value) if v else "")
            self.sources[ind.code].setText(f"Nguồn: {v.source_label}" if v else "")

    def entries(self) -> list[ValueEntry]:
        """Changed boxes only; every unreadable number is reported at once."""
        out, problems = [], []
        unit, period = self.unit_id(), self.period()
        for ind in self.indicators:
            text = self.editors[ind.code].text()
            try:
                value = parse_number(text)
            except ValueError:
                problems.append(Problem(f"“{text}” không phải là số.", column=ind.code))
                continue
            old = self.loaded.get(ind.id)
            if value != old:
                out.append(ValueEntry(ind.id, unit, period, value, check=True, old=old))
        if problems:
            raise ValidationError("Có ô không đọc được số: " + "; ".join(str(p) for p in problems), problems)
        return out

    def save(self) -> bool:
        try:
            entries = self.entries()
            if entries:
                self.saved.append(set_values(self.db, entries))
        except Exception as e:  # noqa: BLE001 - shown to the user; the form keeps what was typed
            show_error(self, e)
            return False
        self.load()
        return True

    def accept(self) -> None:
        if self.save():
            super().accept()

    def save_and_next(self) -> None:
        if self.save() and self.unit.currentIndex() < self.unit.count() - 1:
            self.unit.setCurrentIndex(self.unit.currentIndex() + 1)
            first = next(iter(self.editors.values()), None)
            if first is not None:
                first.setFocus()
                first.selectAll()
