"""Add or edit a directive document / plan: symbol, type, date, issuer, title, attached files."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.messages import confirm, show_error
from gui.widgets.buttons import dialog_buttons
from gui.widgets.date_field import DateField
from models.db import Database
from services import plans as P

DOC_TYPES = ["Kế hoạch", "Nghị quyết", "Chương trình", "Quyết định", "Chỉ thị", "Kết luận", "Công văn",
             "Thông báo"]


class DocumentDialog(QDialog):
    def __init__(self, db: Database, doc_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.doc = P.get_document(db, doc_id) if doc_id else None
        self.saved: P.DocumentRow | None = None
        self._pending: list[str] = []  # files chosen before a new document exists
        d = self.doc
        self.setWindowTitle("Sửa văn bản, kế hoạch" if d else "Thêm văn bản, kế hoạch")
        self.setMinimumWidth(640)

        self.symbol = QLineEdit(d.symbol if d else "")
        self.symbol.setObjectName("symbol")
        self.symbol.setPlaceholderText("ví dụ 57-NQ/TW, 45/KH-UBND")
        self.doc_type = QComboBox()
        self.doc_type.setEditable(True)
        self.doc_type.addItems(DOC_TYPES)
        self.doc_type.setCurrentText(d.doc_type if d else "Kế hoạch")
        self.doc_date = DateField(d.doc_date if d else None, "Ngày ban hành")
        self.doc_date.setObjectName("doc_date")
        self.issuer = QLineEdit(d.issuer if d else "")
        self.issuer.setObjectName("issuer")
        self.title_edit = QPlainTextEdit(d.title if d else "")
        self.title_edit.setObjectName("title")
        self.title_edit.setFixedHeight(70)
        self.is_plan = QCheckBox("Là kế hoạch (có nhiệm vụ giao cho các đơn vị)")
        self.is_plan.setChecked(d.is_plan if d else True)
        self.start_period = QLineEdit(d.start_period if d else "")
        self.start_period.setPlaceholderText("tháng bắt đầu theo dõi, ví dụ 2025-03")
        self.notes = QPlainTextEdit(d.notes if d else "")
        self.notes.setFixedHeight(50)
        self.files = QListWidget()
        self.files.setObjectName("files")
        self.files.setMaximumHeight(90)
        self.files.itemDoubleClicked.connect(lambda _i: self._open_file())
        file_buttons = QHBoxLayout()
        for text, slot in (("Đính &kèm tệp…", self._add_files), ("&Mở tệp", self._open_file),
                           ("&Bỏ tệp", self._remove_file)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            file_buttons.addWidget(b)
        file_buttons.addStretch(1)

        form = QFormLayout()
        form.addRow("Số, &ký hiệu:", self.symbol)
        form.addRow("&Loại văn bản:", self.doc_type)
        form.addRow("&Ngày ban hành:", self.doc_date)
        form.addRow("Cơ quan &ban hành:", self.issuer)
        form.addRow("&Trích yếu:", self.title_edit)
        form.addRow("", self.is_plan)
        form.addRow("Bắt đầu theo dõi:", self.start_period)
        form.addRow("Ghi chú:", self.notes)
        form.addRow("Tệp đính kèm:", self.files)
        form.addRow("", file_buttons)
        buttons = dialog_buttons(self, "&Lưu", QDialogButtonBox.StandardButton.Save)
        if d:
            hist = QPushButton("Lịch &sử thay đổi…")
            hist.clicked.connect(lambda: self._history())
            buttons.addButton(hist, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self._show_files()

    def _show_files(self) -> None:
        self.files.clear()
        for f in (self.doc.files if self.doc else ()):
            item = QListWidgetItem(f"{f.name}  ({max(f.size // 1024, 1)} KB)")
            item.setData(Qt.ItemDataRole.UserRole, f.id)
            self.files.addItem(item)
        for p in self._pending:
            item = QListWidgetItem(f"{Path(p).name}  (sẽ lưu)")
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.files.addItem(item)

    def add_files(self, paths: list[str]) -> None:
        """Attach now (existing document) or on save (new one)."""
        if self.doc is None:
            self._pending += paths
        else:
            P.add_document_files(self.db, self.doc.id, paths)
            self.doc = P.get_document(self.db, self.doc.id)
        self._show_files()

    def _add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Chọn tệp đính kèm", str(Path.home()))
        if paths:
            try:
                self.add_files(paths)
            except Exception as e:  # noqa: BLE001 - shown to the user
                show_error(self, e)

    def _open_file(self) -> None:
        item = self.files.currentItem()
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        try:
            path = P.attachment_path(self.db, key) if isinstance(key, int) else Path(key)
        except Exception as e:  # noqa: BLE001
            show_error(self, e)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _remove_file(self) -> None:
        item = self.files.currentItem()
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(key, int):
            if not confirm(self, f"Bỏ tệp “{item.text()}” khỏi văn bản?"):
                return
            P.remove_attachment(self.db, key)
            self.doc = P.get_document(self.db, self.doc.id)
        else:
            self._pending.remove(key)
        self._show_files()

    def form_data(self) -> P.DocumentData:
        return P.DocumentData(title=self.title_edit.toPlainText(), symbol=self.symbol.text(),
                              doc_type=self.doc_type.currentText(), doc_date=self.doc_date.date(),
                              issuer=self.issuer.text(), is_plan=self.is_plan.isChecked(),
                              start_period=self.start_period.text(), notes=self.notes.toPlainText())

    def accept(self) -> None:
        try:
            data = self.form_data()
            if self.doc is None:
                self.saved = P.create_document(self.db, data, self._pending)
            else:
                self.saved = P.update_document(self.db, self.doc.id, data, self.doc.version)
        except Exception as e:  # noqa: BLE001 - shown to the user; the dialog stays open
            show_error(self, e)
            return
        super().accept()

    def _history(self) -> None:
        from gui.dialogs.history import show_history

        show_history(self, self.db, "directive_document", self.doc.id, self.doc.label[:80])
