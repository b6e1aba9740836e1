"""Add or edit an indicator of the catalogue (code, name, unit of measure, aggregation,
owner unit, optional target: numeric, rank "top N" or qualitative with a status)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.messages import show_error
from gui.widgets.buttons import dialog_buttons
from gui.widgets.numbers import number_text, parse_number
from models.db import Database
from services.aggregates import AGGREGATION_LABELS, AGGREGATIONS
from services.errors import ValidationError
from services.indicators import (
    FAMILY_LABELS,
    IndicatorData,
    get_indicator,
    save_indicator,
    unit_choices,
)
from services.targets import (
    COMPARISON_LABELS,
    STATUS_LABELS,
    WATCHING,
    is_rank,
)

NO_TARGET, NUMERIC, RANK, QUALITATIVE = "none", "numeric", "rank", "qualitative"
KIND_LABELS = {
    NO_TARGET: "Không đặt mục tiêu",
    NUMERIC: "Số lượng, tỉ lệ (so sánh với giá trị mục tiêu)",
    RANK: "Thứ hạng (“tốp N”: hạng càng nhỏ càng tốt)",
    QUALITATIVE: "Định tính (đánh giá đạt / chưa đạt)",
}


def target_kind(d: IndicatorData) -> str:
    if d.target_value is None:
        return QUALITATIVE if d.family == "target" or d.status else NO_TARGET
    return RANK if is_rank(d.uom) and d.comparison in ("<=", "<") else NUMERIC


class IndicatorDialog(QDialog):
    def __init__(self, db: Database, indicator_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.saved: IndicatorData | None = None
        self.data = get_indicator(db, indicator_id) if indicator_id else IndicatorData(code="", name="")
        self.setWindowTitle("Sửa chỉ tiêu" if indicator_id else "Thêm chỉ tiêu")
        self.setMinimumWidth(560)
        d = self.data

        self.code = QLineEdit(d.code)
        self.name = QLineEdit(d.name)
        self.description = QPlainTextEdit(d.description)
        self.description.setFixedHeight(60)
        self.uom = QLineEdit(d.uom)
        self.uom.setPlaceholderText("tin, bài; cuộc; %; thứ hạng…")
        self.family = self._combo(FAMILY_LABELS, d.family)
        self.aggregation = self._combo({a: AGGREGATION_LABELS[a] for a in AGGREGATIONS}, d.aggregation)
        self.owner = QComboBox()
        self.owner.addItem("— không —", None)
        for u in unit_choices(db):
            self.owner.addItem(f"{u.code} — {u.name}", u.id)
        self.owner.setCurrentIndex(max(self.owner.findData(d.owner_unit_id), 0))
        self.kind = self._combo(KIND_LABELS, target_kind(d))
        self.comparison = self._combo(COMPARISON_LABELS, d.comparison or ">=")
        self.target_value = QLineEdit(number_text(d.target_value))
        self.target_value.setPlaceholderText("ví dụ 30 hoặc 0,8")
        self.target_year = QSpinBox()
        self.target_year.setRange(1999, 2100)
        self.target_year.setSpecialValueText("—")
        self.target_year.setValue(d.target_year or 1999)
        self.status = self._combo(STATUS_LABELS, d.status or WATCHING)
        self.status_note = QPlainTextEdit(d.status_note)
        self.status_note.setFixedHeight(50)
        self.sort_order = QSpinBox()
        self.sort_order.setRange(0, 100000)
        self.sort_order.setValue(d.sort_order)

        form = QFormLayout()
        form.addRow("&Mã:", self.code)
        form.addRow("&Tên chỉ tiêu:", self.name)
        form.addRow("Nội dung (theo kế hoạch):", self.description)
        form.addRow("Đơn vị &tính:", self.uom)
        form.addRow("&Nhóm:", self.family)
        form.addRow("Cách tổng &hợp:", self.aggregation)
        form.addRow("Đơn vị theo &dõi:", self.owner)
        form.addRow("&Loại mục tiêu:", self.kind)
        form.addRow("So sánh:", self.comparison)
        form.addRow("&Giá trị mục tiêu:", self.target_value)
        form.addRow("Năm mục tiêu:", self.target_year)
        form.addRow("Đánh giá (định tính):", self.status)
        form.addRow("Ghi chú đánh giá:", self.status_note)
        form.addRow("Thứ tự hiển thị:", self.sort_order)
        self.form = form
        buttons = dialog_buttons(self, "&Lưu", QDialogButtonBox.StandardButton.Save)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    @staticmethod
    def _combo(options: dict[str, str], current: str) -> QComboBox:
        box = QComboBox()
        for key, label in options.items():
            box.addItem(label, key)
        box.setCurrentIndex(max(box.findData(current), 0))
        return box

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        numeric = kind in (NUMERIC, RANK)
        for w in (self.comparison, self.target_value):
            self.form.setRowVisible(w, numeric)
        self.form.setRowVisible(self.target_year, kind != NO_TARGET)
        for w in (self.status, self.status_note):
            self.form.setRowVisible(w, kind == QUALITATIVE)
        if kind == RANK:
            # "Top 20" means rank ≤ 20; the unit of measure is what marks a rank.
            self.comparison.setCurrentIndex(self.comparison.findData("<="))
            if not is_rank(self.uom.text()):
                self.uom.setText("thứ hạng")
        self.comparison.setEnabled(kind == NUMERIC)

    def form_data(self) -> IndicatorData:
        kind = self.kind.currentData()
        try:
            value = parse_number(self.target_value.text()) if kind in (NUMERIC, RANK) else None
        except ValueError:
            raise ValidationError(f"Giá trị mục tiêu không phải là số: “{self.target_value.text()}”.") from None
        if kind in (NUMERIC, RANK) and value is None:
            raise ValidationError("Chưa nhập giá trị mục tiêu (hoặc chọn loại “Định tính” / “Không đặt mục tiêu”).")
        year = self.target_year.value()
        return IndicatorData(
            code=self.code.text(), name=self.name.text(), uom=self.uom.text(),
            aggregation=self.aggregation.currentData(), family=self.family.currentData(),
            description=self.description.toPlainText(), owner_unit_id=self.owner.currentData(),
            target_value=value, comparison=self.comparison.currentData() if value is not None else "",
            target_year=None if kind == NO_TARGET or year < 2000 else year,
            status=self.status.currentData() if kind == QUALITATIVE else "",
            status_note=self.status_note.toPlainText() if kind == QUALITATIVE else "",
            sort_order=self.sort_order.value(), id=self.data.id, version=self.data.version,
        )

    def accept(self) -> None:
        try:
            self.saved = save_indicator(self.db, self.form_data())
        except Exception as e:  # noqa: BLE001 - shown to the user; the dialog stays open
            show_error(self, e)
            return
        super().accept()
