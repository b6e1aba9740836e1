"""Search box that waits for the user to stop typing before searching (no query per key)."""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLineEdit, QWidget


class SearchBox(QLineEdit):
    search = Signal(str)

    def __init__(self, placeholder: str = "Tìm kiếm (không cần gõ dấu)… Ctrl+F", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(lambda: self.search.emit(self.text()))
        self.textChanged.connect(lambda _t: self._timer.start())
        if parent is not None:
            QShortcut(QKeySequence.StandardKey.Find, parent, activated=self.setFocus)

    def flush(self) -> None:
        """Search now (tests, Enter)."""
        self._timer.stop()
        self.search.emit(self.text())
