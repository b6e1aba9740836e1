"""Audit history of any record: who changed what, when, old → new (services.record_history).

Reusable: `show_history(parent, db, "unit", unit_id, "Đơn vị SNV")`.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.db import Database
from services.record_history import record_history


class HistoryDialog(QDialog):
    def __init__(self, db: Database, table: str, row_id: int, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Lịch sử thay đổi — {title}" if title else "Lịch sử thay đổi")
        self.resize(860, 460)
        entries = record_history(db, table, row_id)
        self.table = QTableWidget(len(entries), 4, self)
        self.table.setObjectName("history_table")
        self.table.setHorizontalHeaderLabels(["Thời điểm", "Người thực hiện", "Thao tác", "Nội dung thay đổi"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        for i, e in enumerate(reversed(entries)):  # newest first
            values = [e.at.strftime("%d/%m/%Y %H:%M") if e.at else "", e.user, e.action, e.text]
            for j, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                self.table.setItem(i, j, item)
        head = self.table.horizontalHeader()
        for j, w in enumerate((125, 110, 120)):
            self.table.setColumnWidth(j, w)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        lay = QVBoxLayout(self)
        if not entries:
            lay.addWidget(QLabel("Chưa có thay đổi nào được ghi lại cho bản ghi này."))
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đó&ng")
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        super().showEvent(event)
        self.table.resizeRowsToContents()  # now that the text column has its real width


def show_history(parent: QWidget | None, db: Database, table: str, row_id: int, title: str = "") -> None:
    HistoryDialog(db, table, row_id, title, parent).exec()
