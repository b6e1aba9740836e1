"""Add or edit a task of a plan: code, section, text, due date or "thường xuyên", the lead
unit with its role and the cooperating units (a group unit = each of its members)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui import clock
from gui.messages import show_error
from gui.widgets.buttons import dialog_buttons
from gui.widgets.date_field import DateField
from models.db import Database
from services import plans as P
from services import units as U
from services.text import fold


class TaskDialog(QDialog):
    def __init__(self, db: Database, plan_id: int, task_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.plan_id = plan_id
        self.task = P.get_task(db, task_id) if task_id else None
        self.saved: P.TaskRow | None = None
        t = self.task
        self.setWindowTitle(f"Sửa nhiệm vụ {t.code}" if t else "Thêm nhiệm vụ")
        self.setMinimumSize(700, 640)

        self.code = QLineEdit(t.code if t else "")
        self.code.setObjectName("code")
        self.code.setPlaceholderText("ví dụ IV.1.a")
        self.section = QLineEdit(t.section if t else "")
        self.section.setPlaceholderText("để trống: lấy từ mã (IV.1.a → IV.1)")
        self.text = QPlainTextEdit(t.text if t else "")
        self.text.setObjectName("text")
        self.text.setFixedHeight(90)
        self.due = DateField(t.due_date if t else None, "Thời hạn")
        self.due.setObjectName("due")
        self.recurring = QCheckBox("Thường xuyên")
        self.recurring.setObjectName("recurring")
        self.recurring.setChecked(bool(t and t.recurring))
        due_row = QHBoxLayout()
        due_row.addWidget(self.due)
        due_row.addWidget(self.recurring)
        due_row.addStretch(1)

        units = U.list_units(db, active_only=True, today=clock.today())
        extra = {i for i in ([t.lead_unit_id] + list(t.cooperating_ids) if t else []) if i}
        known = {u.id for u in units}
        units += [u for u in U.get_units(db, sorted(extra - known))]  # stopped units still on the task
        self.lead = QComboBox()
        self.lead.setObjectName("lead")
        self.lead.addItem("— chọn đơn vị —", None)
        for u in units:
            self.lead.addItem(f"{u.code} — {u.name}" + (" (nhóm)" if u.is_group else ""), u.id)
        self.lead.setCurrentIndex(max(self.lead.findData(t.lead_unit_id if t else None), 0))
        self.role = QComboBox()
        self.role.setObjectName("role")
        self.role.addItems(list(P.ROLES))
        self.role.setCurrentText(t.lead_role if t else "chủ trì")
        lead_row = QHBoxLayout()
        lead_row.addWidget(self.lead, 1)
        lead_row.addWidget(self.role)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Lọc danh sách (không cần gõ dấu)…")
        self.filter.textChanged.connect(self._filter)
        self.coop = QListWidget()
        self.coop.setObjectName("cooperating")
        chosen = set(t.cooperating_ids) if t else set()
        for u in units:
            item = QListWidgetItem(f"{u.code} — {u.name}" + ("  (nhóm: giao cho từng thành viên)" if u.is_group else ""))
            item.setData(Qt.ItemDataRole.UserRole, u.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, fold(f"{u.code} {u.name}"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if u.id in chosen else Qt.CheckState.Unchecked)
            self.coop.addItem(item)

        form = QFormLayout()
        form.addRow("&Mã nhiệm vụ:", self.code)
        form.addRow("M&ục:", self.section)
        form.addRow("&Nội dung:", self.text)
        for text, row, buddy in (("&Thời hạn:", due_row, self.due), ("Đơn vị &chủ trì / vai trò:", lead_row, self.lead)):
            label = QLabel(text)  # a row holding a layout gets no buddy by itself
            label.setBuddy(buddy)
            form.addRow(label, row)
        form.addRow("Đơn vị &phối hợp:", self.filter)
        form.addRow("", self.coop)
        buttons = dialog_buttons(self, "&Lưu", QDialogButtonBox.StandardButton.Save)
        if t:
            hist = QPushButton("Lịch &sử thay đổi…")
            hist.clicked.connect(self._history)
            buttons.addButton(hist, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addLayout(form, 1)
        lay.addWidget(buttons)

    def _filter(self, text: str) -> None:
        q = fold(text)
        for i in range(self.coop.count()):
            item = self.coop.item(i)
            item.setHidden(bool(q) and q not in item.data(Qt.ItemDataRole.UserRole + 1))

    def set_cooperating(self, unit_ids: set[int]) -> None:
        for i in range(self.coop.count()):
            item = self.coop.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in unit_ids
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def cooperating(self) -> list[int]:
        return [self.coop.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.coop.count())
                if self.coop.item(i).checkState() == Qt.CheckState.Checked]

    def form_data(self) -> P.TaskData:
        return P.TaskData(plan_id=self.plan_id, code=self.code.text(), text=self.text.toPlainText(),
                          section=self.section.text(), due_date=self.due.date(),
                          recurring=self.recurring.isChecked(), lead_unit_id=self.lead.currentData(),
                          lead_role=self.role.currentText(), cooperating_ids=self.cooperating(),
                          sort_order=self.task.sort_order if self.task else None)

    def accept(self) -> None:
        try:
            data = self.form_data()
            if self.task is None:
                self.saved = P.create_task(self.db, data)
            else:
                self.saved = P.update_task(self.db, self.task.id, data, self.task.version)
        except Exception as e:  # noqa: BLE001 - shown to the user; the dialog stays open
            show_error(self, e)
            return
        super().accept()

    def _history(self) -> None:
        from gui.dialogs.history import show_history

        show_history(self, self.db, "task", self.task.id, f"Nhiệm vụ {self.task.code}")
