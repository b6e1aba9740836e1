"""Shown for a page whose module is not there yet (honest, not a fake page)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        label = QLabel(f"<h2>{title}</h2><p>Chức năng này chưa có trong phiên bản hiện tại.</p>")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(label)
