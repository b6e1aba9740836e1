"""Excuse expected reports (miễn nộp) with a reason, or take the excuse back."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from gui.context import AppContext
from gui.messages import show_error
from services import incoming
from services.tracking import ExpectedRow


class ExcuseDialog(QDialog):
    def __init__(self, ctx: AppContext, rows: list[ExpectedRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows = rows
        self.setWindowTitle("Miễn nộp báo cáo")
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"Miễn nộp {len(rows)} báo cáo sau (không tính vào tỷ lệ nộp báo cáo):"))
        lst = QListWidget()
        lst.addItems([f"{r.unit_name} — {r.report_type} {r.period_label}" for r in rows])
        lst.setMaximumHeight(140)
        lay.addWidget(lst)
        label = QLabel("&Lý do miễn (bắt buộc):")
        lay.addWidget(label)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("ví dụ: Đơn vị đã sáp nhập vào Sở Nội vụ từ ngày 01/3/2025")
        self.reason.setTabChangesFocus(True)
        label.setBuddy(self.reason)
        lay.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Miễn nộp")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def save(self) -> None:
        try:
            n = incoming.excuse(self.ctx.db, [r.id for r in self.rows], self.reason.toPlainText())
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.ctx.bus.publish("reports", {"excused": n})
        self.accept()
