"""Cài đặt › Loại báo cáo: the reporting regime — each type with its period, data window,
due wording and computed rule, who owes it and its stand-in setting."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from gui import clock
from gui.context import AppContext
from gui.messages import confirm, show_error
from gui.widgets.table import Column, DataTable, LazyTableModel
from services import report_types as rts

COLUMNS = [
    Column("code", "Mã", 80, sortable=False), Column("name", "Tên", 140, sortable=False),
    Column("kind_label", "Kỳ", 70, sortable=False), Column("period_filter", "Chỉ các kỳ", 70, sortable=False),
    Column("due_wording", "Quy định hạn nộp", 200, sortable=False),
    Column("rule_text", "Cách tính hạn cuối", 280, sortable=False),
    Column("stand_in_text", "Thay thế", 240, sortable=False),
    Column("owed_text", "Đơn vị phải nộp", 150, sortable=False),
    Column("window_text", "Số liệu", 300, sortable=False),
    Column("start_period", "Từ tháng", 70, sortable=False),
    Column("active", "Áp dụng", 60, sortable=False), Column("expected_count", "Phải nộp", 70, sortable=False),
]


def describe(t: rts.ReportTypeInfo) -> str:
    """The selected type in full sentences, under the table."""
    lines = [f"<b>{t.name}</b> ({t.code}) — kỳ: {t.kind_label.lower()}"
             + (f", chỉ các kỳ {t.period_filter}" if t.period_filter else "")
             + (f", theo dõi từ tháng {t.start_period}" if t.start_period else "")
             + ("" if t.active else " — <i>đã ngừng áp dụng</i>"),
             f"Số liệu: {t.window_text}.",
             f"Quy định: “{t.due_wording or '(chưa ghi)'}” → {t.rule_text}.",
             f"Đơn vị phải nộp: {t.owed_text}. {t.stand_in_text + '.' if t.stand_in_text else ''}",
             f"Đã tạo {t.expected_count} báo cáo phải nộp."]
    return "<br>".join(lines)


class ReportTypesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = LazyTableModel(COLUMNS, lambda ids: [], self)
        self.table = DataTable("report_types", self.model, self, "Loại báo cáo")
        self.table.setSortingEnabled(False)
        self.table.activated_row.connect(lambda r: r and self.edit(r.id))
        buttons = QHBoxLayout()
        for text, slot in (("&Thêm loại báo cáo…", self.add), ("&Sửa…", self.edit_current),
                           ("&Xóa", self.delete_current)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        note = QLabel("“Trước ngày D” → hạn cuối là ngày D − 1; “chậm nhất / đến hết ngày D” → ngày D. Hạn cuối "
                      "rơi vào Thứ Bảy, Chủ nhật, ngày lễ, Tết được lùi sang ngày làm việc tiếp theo "
                      "(Bộ luật Dân sự 2015, Điều 148 khoản 5). Lưu một loại báo cáo sẽ tạo lại danh sách "
                      "báo cáo phải nộp, giữ nguyên các báo cáo đã nhận.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.detail = QLabel()
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("background: #f6f8fa; border: 1px solid #d0d7de; padding: 6px;")
        lay = QVBoxLayout(self)
        lay.addLayout(buttons)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.detail)
        lay.addWidget(note)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_detail())
        self.refresh()

    def _show_detail(self) -> None:
        row = self.table.current_row()
        self.detail.setText(describe(row) if row else "Chọn một loại báo cáo để xem đầy đủ quy định.")

    def refresh(self) -> None:
        try:
            self.model.set_rows(rts.list_report_types(self.ctx.db))
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        if self.model.rowCount():
            self.table.selectRow(0)
        self._show_detail()

    def add(self) -> None:
        self.edit(None)

    def edit_current(self) -> None:
        row = self.table.current_row()
        if row is not None:
            self.edit(row.id)

    def edit(self, type_id: int | None) -> None:
        from gui.dialogs.report_type import ReportTypeDialog

        if ReportTypeDialog(self.ctx, type_id, self).exec():
            self.refresh()

    def delete_current(self) -> None:
        row = self.table.current_row()
        if row is None or not confirm(self, f"Xóa loại báo cáo “{row.name}” và {row.expected_count} báo cáo "
                                            "phải nộp của nó?"):
            return
        db, today = self.ctx.db, clock.today()

        def work(progress, cancelled):  # noqa: ANN001, ANN202
            return rts.delete_report_type(db, row.id, row.version, today, progress=progress, cancelled=cancelled)

        def done(result, error):  # noqa: ANN001, ANN202
            if error is not None:
                show_error(self, error)
                return
            self.ctx.bus.publish("regime", None)
            self.ctx.bus.publish("expected", result)
            self.refresh()

        self.ctx.runner.run(work, "Đang xóa loại báo cáo…", done, self)
