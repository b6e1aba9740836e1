"""Add or edit a unit; a group unit also shows and edits its member units.

The form remembers the version it was filled from: saving after someone else changed the
unit is refused (ConcurrentEdit) and nothing is overwritten.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
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
from services import units as U
from services.unit_merge import members, set_members
from services.units import UnitData, UnitRow


class UnitDialog(QDialog):
    def __init__(self, db: Database, unit_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.unit: UnitRow | None = U.get_unit(db, unit_id) if unit_id else None
        self.saved: UnitRow | None = None
        u = self.unit
        self.setWindowTitle(f"Sửa đơn vị — {u.code}" if u else "Thêm đơn vị")
        self.setMinimumWidth(620)

        self.code = QLineEdit(u.code if u else "")
        self.code.setObjectName("code")
        self.code.setPlaceholderText("chữ không dấu, số, dấu - . _  (ví dụ SNV, UBND-CL)")
        self.name = QLineEdit(u.name if u else "")
        self.name.setObjectName("name")
        self.short_name = QLineEdit(u.short_name if u else "")
        self.group = QComboBox()
        self.group.setObjectName("group")
        self.group.setEditable(True)
        self.group.addItems(U.group_names(db))
        self.group.setCurrentText(u.group if u else "Sở, ban, ngành")
        self.parent_group = QComboBox()
        self.parent_group.setObjectName("parent_group")
        self.parent_group.addItem("— không thuộc nhóm nào —", None)
        for g in U.get_units(db, U.search_units(db, groups_only=True, active=None)):
            if not u or g.id != u.id:
                self.parent_group.addItem(g.name, g.id)
        self.parent_group.setCurrentIndex(max(self.parent_group.findData(u.parent_id if u else None), 0))
        self.is_group = QCheckBox("Là nhóm đơn vị (ví dụ “Các sở, ban, ngành”): giao việc cho nhóm là giao cho "
                                  "từng thành viên")
        self.is_group.setObjectName("is_group")
        self.is_group.setChecked(bool(u and u.is_group))
        self.owes = QCheckBox("Phải nộp báo cáo định kỳ")
        self.owes.setObjectName("owes_reports")
        self.owes.setChecked(u.owes_reports if u else True)
        self.contact = QLineEdit(u.contact_person if u else "")
        self.phone = QLineEdit(u.phone if u else "")
        self.email = QLineEdit(u.email if u else "")
        self.active_from = DateField(u.active_from if u else None, "Hoạt động từ")
        self.active_to = DateField(u.active_to if u else None, "Hoạt động đến ngày")
        self.notes = QPlainTextEdit(u.notes if u else "")
        self.notes.setFixedHeight(60)

        form = QFormLayout()
        form.addRow("&Mã đơn vị:", self.code)
        form.addRow("&Tên đơn vị:", self.name)
        form.addRow("Tên &viết tắt:", self.short_name)
        form.addRow("&Nhóm (loại):", self.group)
        form.addRow("Thuộc nhóm đơn &vị:", self.parent_group)
        form.addRow("", self.is_group)
        form.addRow("", self.owes)
        form.addRow("Người &liên hệ:", self.contact)
        form.addRow("Điện t&hoại:", self.phone)
        form.addRow("Thư điện tử:", self.email)
        form.addRow("Hoạt động từ ngày:", self.active_from)
        form.addRow("Hoạt động đến ngày:", self.active_to)
        form.addRow("Ghi chú:", self.notes)

        self.members_box = QGroupBox("Đơn vị thành viên (đánh dấu để đưa vào nhóm)")
        self.members = QListWidget()
        self.members.setObjectName("members")
        mlay = QVBoxLayout(self.members_box)
        mlay.addWidget(self.members)
        self._member_ids: set[int] = set()
        if u and u.is_group:
            self._member_ids = {m.id for m in members(db, u.id)}
        for x in U.list_units(db, active_only=True, today=clock.today()):
            if x.is_group or (u and x.id == u.id):
                continue
            item = QListWidgetItem(f"{x.code} — {x.name}" + (f"   (đang thuộc: {x.parent_name})"
                                                             if x.parent_id and x.parent_id != (u.id if u else None)
                                                             else ""))
            item.setData(Qt.ItemDataRole.UserRole, x.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if x.id in self._member_ids else Qt.CheckState.Unchecked)
            self.members.addItem(item)
        self.members_box.setVisible(bool(u and u.is_group))
        self.is_group.toggled.connect(lambda on: self.members_box.setVisible(on and self.unit is not None))

        buttons = dialog_buttons(self, "&Lưu", QDialogButtonBox.StandardButton.Save)
        if u:
            hist = QPushButton("Lịch &sử thay đổi…")
            hist.clicked.connect(self._history)
            buttons.addButton(hist, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.members_box, 1)
        lay.addWidget(buttons)

    def checked_members(self) -> set[int]:
        out = set()
        for i in range(self.members.count()):
            item = self.members.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.add(item.data(Qt.ItemDataRole.UserRole))
        return out

    def form_data(self) -> UnitData:
        return UnitData(
            code=self.code.text(), name=self.name.text(), short_name=self.short_name.text(),
            group=self.group.currentText(), parent_id=self.parent_group.currentData(),
            is_group=self.is_group.isChecked(), contact_person=self.contact.text(), phone=self.phone.text(),
            email=self.email.text(), active_from=self.active_from.date(), active_to=self.active_to.date(),
            owes_reports=self.owes.isChecked(), notes=self.notes.toPlainText(),
            sort_order=self.unit.sort_order if self.unit else None,
        )

    def accept(self) -> None:
        try:
            data = self.form_data()
            if self.unit is None:
                self.saved = U.create_unit(self.db, data)
            else:
                # Members first: the group must not lose "is group" while it still has members.
                wanted = self.checked_members()
                if self.unit.is_group and wanted != self._member_ids:
                    self.unit = set_members(self.db, self.unit.id, sorted(wanted), self.unit.version)
                    self._member_ids = wanted
                self.saved = U.update_unit(self.db, self.unit.id, data, self.unit.version)
        except Exception as e:  # noqa: BLE001 - shown to the user; the dialog stays open
            show_error(self, e)
            return
        super().accept()

    def _history(self) -> None:
        from gui.dialogs.history import show_history

        show_history(self, self.db, "unit", self.unit.id, f"{self.unit.code} — {self.unit.name}")
