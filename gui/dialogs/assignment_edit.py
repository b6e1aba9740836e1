"""One unit's part in a task: progress, completion date, result, difficulties; deadline
extensions (new date, approver, reason — the original date stays); evidence files."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
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
from gui.messages import confirm, show_error
from gui.widgets.date_field import DateField
from models.db import Database
from services import assignments as A
from services import plans as P
from services import task_status as ts
from services.dates import format_date
from services.errors import ValidationError


class ExtensionDialog(QDialog):
    """Asks for the new due date, who approved it and why."""

    def __init__(self, current_due: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gia hạn thời hạn")
        self.new_due = DateField(None, "Hạn mới")
        self.new_due.setObjectName("new_due")
        self.approver = QLineEdit()
        self.approver.setObjectName("approver")
        self.approver.setPlaceholderText("ví dụ: Phó Chủ tịch UBND tỉnh (Công văn số …)")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setFixedHeight(70)
        form = QFormLayout(self)
        form.addRow("Hạn hiện tại:", QLabel(current_due))
        form.addRow("&Hạn mới:", self.new_due)
        form.addRow("&Người / cơ quan cho phép:", self.approver)
        form.addRow("&Lý do:", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Gia hạn")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        form.addRow(buttons)


class AssignmentDialog(QDialog):
    def __init__(self, db: Database, assignment_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.row = A.get_assignment(db, assignment_id, clock.today())
        self.version = self.row.version  # the version this form was filled from
        self.saved: A.AssignmentRow | None = None
        self.changed = False  # an extension or file was saved even if the dialog is cancelled
        r = self.row
        self.setWindowTitle(f"Tiến độ — {r.task_code} — {r.unit_code}")
        self.setMinimumWidth(720)

        head = QLabel()
        head.setObjectName("head")
        head.setWordWrap(True)
        via = f" (giao qua nhóm {r.via_unit_name})" if r.via_unit_name else ""
        head.setText(f"<b>{r.task_code}</b>. {r.task_text}<br>Đơn vị: <b>{r.unit_name}</b> — {r.role}{via}")
        self.status = QLabel()
        self.status.setObjectName("status")
        self.progress = QComboBox()
        self.progress.setObjectName("progress")
        for key, label in ts.PROGRESS_LABELS.items():
            self.progress.addItem(label, key)
        self.progress.setCurrentIndex(max(self.progress.findData(r.progress), 0))
        self.completion = DateField(r.completion_date, "Ngày hoàn thành")
        self.completion.setObjectName("completion")
        self.result = QPlainTextEdit(r.result_text)
        self.result.setObjectName("result")
        self.result.setFixedHeight(80)
        self.difficulties = QPlainTextEdit(r.difficulties)
        self.difficulties.setFixedHeight(50)
        self.progress.currentIndexChanged.connect(self._progress_changed)

        form = QFormLayout()
        form.addRow("Tình trạng:", self.status)
        form.addRow("&Tiến độ:", self.progress)
        form.addRow("Ngày &hoàn thành:", self.completion)
        form.addRow("&Kết quả thực hiện:", self.result)
        form.addRow("Khó khăn, vướng mắc:", self.difficulties)

        ext_box = QGroupBox("Gia hạn (thời hạn ban đầu được giữ để thống kê)")
        self.extensions = QListWidget()
        self.extensions.setObjectName("extensions")
        self.extensions.setMaximumHeight(80)
        self.btn_extend = QPushButton("&Gia hạn…")
        self.btn_extend.clicked.connect(self.extend)
        el = QVBoxLayout(ext_box)
        el.addWidget(self.extensions)
        row = QHBoxLayout()
        row.addWidget(self.btn_extend)
        row.addStretch(1)
        el.addLayout(row)

        ev_box = QGroupBox("Tài liệu minh chứng")
        self.evidence = QListWidget()
        self.evidence.setObjectName("evidence")
        self.evidence.setMaximumHeight(80)
        self.evidence.itemDoubleClicked.connect(lambda _i: self._open_file())
        vl = QVBoxLayout(ev_box)
        vl.addWidget(self.evidence)
        row = QHBoxLayout()
        for text, slot in (("Thêm &tệp…", self._add_files), ("&Mở", self._open_file), ("&Bỏ tệp", self._remove_file)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        vl.addLayout(row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Lưu")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đó&ng")
        hist = QPushButton("Lịch &sử thay đổi…")
        hist.clicked.connect(self._history)
        buttons.addButton(hist, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addLayout(form)
        lay.addWidget(ext_box)
        lay.addWidget(ev_box)
        lay.addWidget(buttons)
        self._show_row()
        self._show_files()
        self._progress_changed()

    def _show_row(self) -> None:
        r = self.row
        self.status.setText(f"<span style='background:{r.status_color}'>&nbsp;{r.status_label}&nbsp;</span>"
                            f" — thời hạn: {r.due_text}")
        self.extensions.clear()
        for e in r.extensions:
            self.extensions.addItem(f"{format_date(e.new_due)} — {e.approver}: {e.reason}")
        if not r.extensions:
            self.extensions.addItem("Chưa gia hạn.")
        self.btn_extend.setEnabled(r.effective_due is not None)

    def _progress_changed(self) -> None:
        done = self.progress.currentData() == "xong"
        self.completion.setEnabled(done)
        if done and not self.completion.text():
            self.completion.set_date(clock.today())

    def extend(self) -> None:
        dlg = ExtensionDialog(self.row.due_text, self)
        while dlg.exec():
            try:
                new_due = dlg.new_due.date()
                if new_due is None:
                    raise ValidationError("Chưa nhập hạn mới.")
                self.row = A.add_extension(self.db, self.row.id, new_due, dlg.approver.text(),
                                           dlg.reason.toPlainText(), self.version)
            except Exception as e:  # noqa: BLE001 - shown to the user; ask again
                show_error(self, e)
                continue
            self.version = self.row.version  # our own change: the form stays current
            self.changed = True
            self._show_row()
            return

    def _show_files(self) -> None:
        self.evidence.clear()
        for f in A.list_evidence(self.db, self.row.id):
            item = QListWidgetItem(f"{f.name}  ({max(f.size // 1024, 1)} KB)")
            item.setData(Qt.ItemDataRole.UserRole, f.id)
            self.evidence.addItem(item)

    def add_files(self, paths: list[str]) -> None:
        A.add_evidence(self.db, self.row.id, paths)
        self.changed = True
        self._show_files()

    def _add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Chọn tài liệu minh chứng", str(Path.home()))
        if paths:
            try:
                self.add_files(paths)
            except Exception as e:  # noqa: BLE001
                show_error(self, e)

    def _open_file(self) -> None:
        item = self.evidence.currentItem()
        if item is not None:
            try:
                path = P.attachment_path(self.db, item.data(Qt.ItemDataRole.UserRole))
            except Exception as e:  # noqa: BLE001
                show_error(self, e)
                return
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _remove_file(self) -> None:
        item = self.evidence.currentItem()
        if item is not None and confirm(self, f"Bỏ tệp “{item.text()}”?"):
            P.remove_attachment(self.db, item.data(Qt.ItemDataRole.UserRole))
            self.changed = True
            self._show_files()

    def accept(self) -> None:
        try:
            done = self.progress.currentData() == "xong"
            self.saved = A.update_progress(
                self.db, self.row.id, self.progress.currentData(), self.completion.date() if done else None,
                self.result.toPlainText(), self.version, self.difficulties.toPlainText(), today=clock.today())
        except Exception as e:  # noqa: BLE001 - shown to the user; the dialog stays open
            show_error(self, e)
            return
        self.changed = True
        super().accept()

    def _history(self) -> None:
        from gui.dialogs.history import show_history

        show_history(self, self.db, "assignment", self.row.id, f"{self.row.task_code} — {self.row.unit_name}")
