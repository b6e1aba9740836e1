"""A date box that accepts what officers type (18/2/2026, 18-02-2026, 2026-02-18) and may be
left empty; reading it uses services.dates, the same rules as the Excel imports."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QWidget

from services.dates import DateError, format_date, parse_date
from services.errors import Problem, ValidationError


class DateField(QLineEdit):
    def __init__(self, value: date | None = None, label: str = "Ngày", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.setPlaceholderText("ngày/tháng/năm")
        self.setToolTip("Ví dụ 18/2/2026, 18-02-2026 hoặc 2026-02-18; để trống nếu không có.")
        self.setMinimumWidth(130)
        self.setMaximumWidth(180)
        self.set_date(value)

    def set_date(self, value: date | None) -> None:
        self.setText(format_date(value))

    def date(self) -> date | None:
        """The date typed, None when empty; ValidationError naming the field otherwise."""
        try:
            return parse_date(self.text())
        except DateError as e:
            raise ValidationError(f"{self.label}: {e}", [Problem(str(e), column=self.label)]) from None
