"""The overdue tasks behind the dashboard's figure, with a way to the plans page."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from gui.widgets.table import Column, DataTable, LazyTableModel
from services.dashboard import OverdueTask

COLUMNS = [
    Column("task_code", "Mã", 70, sortable=False), Column("task_text", "Nhiệm vụ", 340, sortable=False),
    Column("unit_name", "Đơn vị", 200, sortable=False), Column("due", "Hạn", 85, sortable=False),
    Column("days_overdue", "Quá hạn (ngày)", 95, sortable=False, align=Qt.AlignmentFlag.AlignCenter),
    Column("progress", "Tình trạng", 170, sortable=False),
]


class OverdueTasksDialog(QDialog):
    def __init__(self, tasks: list[OverdueTask], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nhiệm vụ quá hạn")
        self.resize(980, 420)
        model = LazyTableModel(COLUMNS, lambda ids: [], self)
        model.set_rows(tasks, id_attr="assignment_id")
        self.table = DataTable("overdue_tasks", model, self, "Nhiệm vụ quá hạn")
        self.table.setSortingEnabled(False)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"<b>{len(tasks)}</b> phần việc của đơn vị đã quá hạn (theo hạn sau gia hạn) "
                             "mà chưa hoàn thành:"))
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        self.plans = buttons.addButton("Mở trang &Kế hoạch && nhiệm vụ", QDialogButtonBox.ButtonRole.ActionRole)
        self.plans.clicked.connect(self._to_plans)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _to_plans(self) -> None:
        win = self.parent().window() if self.parent() else None
        self.accept()
        if win is not None and hasattr(win, "show_page_key"):
            win.show_page_key("plans")
