"""Add or edit a report type: period kind, data cut-off window, due rule with its wording
(read into day / inclusive / month as you type), who owes it, the stand-in setting, and a
preview of the next deadlines. Saving regenerates the expected reports in the background."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
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
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui import clock
from gui.context import AppContext
from gui.dialogs.incoming_report import date_edit, from_qdate
from gui.messages import show_error
from gui.widgets.table import Column, DataTable, LazyTableModel
from services import deadlines
from services import report_types as rts
from services.periods import KIND_LABELS, KINDS, ONCE

FILTER_HINTS = {"half": "H1 hoặc H2 (để trống: cả hai)", "quarter": "Q1, Q2, Q3, Q4 (để trống: cả bốn)",
                "month": "ví dụ 03, 06 (để trống: mọi tháng)"}
PREVIEW_COLUMNS = [
    Column("label", "Kỳ", 160, sortable=False), Column("window_start", "Số liệu từ", 85, sortable=False),
    Column("window_end", "đến", 85, sortable=False), Column("nominal_due", "Hạn theo quy định", 120, sortable=False),
    Column("last_on_time_day", "Hạn cuối (sau ngày nghỉ)", 160, sortable=False),
]


class ReportTypeDialog(QDialog):
    def __init__(self, ctx: AppContext, type_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved_id: int | None = None
        info = rts.get_report_type(ctx.db, type_id) if type_id else None
        self.data = info.to_input() if info else rts.ReportTypeInput(
            code="", name="", start_period=clock.today().strftime("%Y-%m"))
        d = self.data
        self.setWindowTitle("Sửa loại báo cáo" if info else "Thêm loại báo cáo")
        self.setMinimumWidth(700)

        self.code = QLineEdit(d.code)
        self.code.setObjectName("code")
        self.name = QLineEdit(d.name)
        self.name.setObjectName("name")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for k in KINDS:
            self.kind.addItem(KIND_LABELS[k], k)
        self.kind.setCurrentIndex(max(self.kind.findData(d.period_kind), 0))
        self.filter = QLineEdit(d.period_filter)
        self.cutoff = QSpinBox()
        self.cutoff.setRange(0, 28)
        self.cutoff.setSpecialValueText("theo kỳ dương lịch")
        self.cutoff.setValue(d.cutoff_day or 0)
        self.window_text = QLabel()
        self.window_text.setStyleSheet("color: #555;")
        self.wording = QLineEdit(d.due_wording)
        self.wording.setObjectName("wording")
        self.wording.setPlaceholderText("chép nguyên văn, ví dụ: trước ngày 18 hằng tháng")
        self.rule_hint = QLabel()
        self.rule_hint.setObjectName("rule_hint")
        self.rule_hint.setWordWrap(True)
        self.due_day = QSpinBox()
        self.due_day.setObjectName("due_day")
        self.due_day.setRange(1, 31)
        self.due_day.setValue(d.due_day)
        self.inclusive = QComboBox()
        self.inclusive.setObjectName("inclusive")
        self.inclusive.addItem("“trước ngày D”: hạn cuối là ngày D − 1", False)
        self.inclusive.addItem("“chậm nhất / đến hết ngày D”: hạn cuối là ngày D", True)
        self.inclusive.setCurrentIndex(1 if d.due_inclusive else 0)
        self.offset = QSpinBox()
        self.offset.setRange(0, 12)
        self.offset.setSpecialValueText("tháng cuối kỳ")
        self.offset.setSuffix(" tháng sau kỳ")
        self.offset.setValue(d.due_month_offset)
        self.once_due = date_edit(d.once_due or clock.today())
        self.start = QLineEdit(d.start_period)
        self.start.setPlaceholderText("2025-03")
        self.end = QLineEdit(d.end_period)
        self.end.setPlaceholderText("để trống: không kết thúc")
        self.active = QCheckBox("Đang áp dụng (bỏ chọn để ngừng theo dõi mà vẫn giữ lịch sử)")
        self.active.setChecked(d.active)
        self.sort_order = QSpinBox()
        self.sort_order.setRange(0, 999)
        self.sort_order.setValue(d.sort_order)

        self.stands_in = QComboBox()
        self.stands_in.setObjectName("stands_in")
        self.stands_in.addItem("(không thay cho báo cáo nào)", None)
        for t in rts.list_report_types(ctx.db):
            if t.id != type_id:
                self.stands_in.addItem(t.name, t.id)
        self.stands_in.setCurrentIndex(max(self.stands_in.findData(d.stands_in_for_id), 0))
        self.stand_in_on = QCheckBox("Bật: trong tháng cuối kỳ, báo cáo này thay cho báo cáo đã chọn "
                                     "(ví dụ báo cáo 6 tháng thay báo cáo tháng 6)")
        self.stand_in_on.setObjectName("stand_in_on")
        self.stand_in_on.setChecked(d.stand_in_enabled)

        self.all_units = QRadioButton("Tất cả đơn vị có chế độ báo cáo")
        self.some_units = QRadioButton("Chỉ các đơn vị hoặc nhóm đơn vị đã chọn (nhóm: mọi đơn vị thành viên)")
        group = QButtonGroup(self)
        group.addButton(self.all_units)
        group.addButton(self.some_units)
        (self.all_units if d.owed_by_all else self.some_units).setChecked(True)
        self.units = QListWidget()
        self.units.setObjectName("units")
        for c in rts.owner_choices(ctx.db):
            item = QListWidgetItem(("" if c.is_group or c.parent_id is None else "    ") + c.label)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if c.id in d.unit_ids else Qt.CheckState.Unchecked)
            if c.is_group:
                f = item.font()
                f.setBold(True)
                item.setFont(f)
            self.units.addItem(item)

        self.preview_model = LazyTableModel(PREVIEW_COLUMNS, lambda ids: [], self)
        self.preview = DataTable("report_type_preview", self.preview_model, self, "Hạn nộp sắp tới")
        self.preview.setSortingEnabled(False)

        rule = QFormLayout()
        rule.addRow("&Mã:", self.code)
        rule.addRow("&Tên:", self.name)
        rule.addRow("&Loại kỳ:", self.kind)
        rule.addRow("Chỉ các &kỳ:", self.filter)
        rule.addRow("Ngày &chốt số liệu:", self.cutoff)
        rule.addRow("", self.window_text)
        rule.addRow("&Quy định hạn nộp:", self.wording)
        rule.addRow("", self.rule_hint)
        due_row = QHBoxLayout()
        for w in (QLabel("ngày"), self.due_day, self.inclusive, self.offset):
            due_row.addWidget(w)
        rule.addRow("Hạn nộp:", due_row)
        rule.addRow("Hạn nộp (báo cáo &một lần):", self.once_due)
        rule.addRow("Theo dõi &từ tháng:", self.start)
        rule.addRow("Đến tháng:", self.end)
        rule.addRow("Thay &thế cho:", self.stands_in)
        rule.addRow("", self.stand_in_on)
        rule.addRow("", self.active)
        rule.addRow("Thứ tự hiển thị:", self.sort_order)
        rule_w = QWidget()
        rule_w.setLayout(rule)
        units_w = QWidget()
        ul = QVBoxLayout(units_w)
        ul.addWidget(self.all_units)
        ul.addWidget(self.some_units)
        ul.addWidget(self.units, 1)
        prev_w = QWidget()
        pl = QVBoxLayout(prev_w)
        pl.addWidget(QLabel("Các kỳ sắp tới theo quy định đang nhập (đã tính ngày nghỉ lễ, Tết, nghỉ bù):"))
        pl.addWidget(self.preview, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(rule_w, "Chế độ báo cáo")
        self.tabs.addTab(units_w, "Đơn vị phải nộp")
        self.tabs.addTab(prev_w, "Xem trước hạn nộp")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Lưu")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.buttons)

        self.wording.textEdited.connect(self._read_wording)
        for w in (self.kind, self.inclusive):
            w.currentIndexChanged.connect(lambda _i: self._refresh())
        for w in (self.cutoff, self.due_day, self.offset):
            w.valueChanged.connect(lambda _v: self._refresh())
        self.filter.textChanged.connect(lambda _t: self._refresh())
        self.once_due.dateChanged.connect(lambda _d: self._refresh())
        self.all_units.toggled.connect(lambda on: self.units.setEnabled(not on))
        self.units.setEnabled(not d.owed_by_all)
        self._refresh()

    # ---- live feedback -------------------------------------------------------------------
    def _read_wording(self, text: str) -> None:
        """Fill day, inclusive and month from the wording (the user may still change them)."""
        rule = rts.suggest_due_rule(text, self.kind.currentData(), self.filter.text())
        if rule is None:
            self.rule_hint.setText("Chưa đọc được ngày từ quy định: hãy chọn ngày và cách tính bên dưới."
                                   if text.strip() else "")
            self.rule_hint.setStyleSheet("color: #a15c00;")
            return
        for w, v in ((self.due_day, rule.due_day), (self.offset, rule.month_offset)):
            w.blockSignals(True)
            w.setValue(v)
            w.blockSignals(False)
        self.inclusive.blockSignals(True)
        self.inclusive.setCurrentIndex(1 if rule.inclusive else 0)
        self.inclusive.blockSignals(False)
        self._refresh()

    def _refresh(self) -> None:
        kind = self.kind.currentData()
        once = kind == ONCE
        for w in (self.due_day, self.inclusive, self.offset, self.cutoff, self.start, self.end):
            w.setEnabled(not once)
        self.once_due.setEnabled(once)
        self.filter.setEnabled(kind in FILTER_HINTS)
        self.filter.setPlaceholderText(FILTER_HINTS.get(kind, "không dùng cho loại kỳ này"))
        self.window_text.setText("Số liệu: " + rts.window_text(kind, self.cutoff.value() or None))
        if not once:
            self.rule_hint.setText("→ " + rts.rule_text(self.due_day.value(), self.inclusive.currentData(),
                                                        self.offset.value()))
            self.rule_hint.setStyleSheet("color: #1f5f99;")
        try:
            rows = deadlines.preview(self.ctx.db, self.current_input(), clock.today())
        except Exception:  # noqa: BLE001 - half-typed input: no preview yet
            rows = []
        self.preview_model.set_rows(rows, id_attr="period")

    def current_input(self) -> rts.ReportTypeInput:
        checked = [self.units.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.units.count())
                   if self.units.item(i).checkState() == Qt.CheckState.Checked]
        return rts.ReportTypeInput(
            code=self.code.text(), name=self.name.text(), period_kind=self.kind.currentData(),
            period_filter=self.filter.text() if self.filter.isEnabled() else "",
            cutoff_day=self.cutoff.value() or None, due_wording=self.wording.text(), due_day=self.due_day.value(),
            due_month_offset=self.offset.value(), due_inclusive=bool(self.inclusive.currentData()),
            once_due=from_qdate(self.once_due.date()) if self.kind.currentData() == ONCE else None,
            owed_by_all=self.all_units.isChecked(), unit_ids=checked,
            stands_in_for_id=self.stands_in.currentData(), stand_in_enabled=self.stand_in_on.isChecked(),
            start_period=self.start.text(), end_period=self.end.text(), active=self.active.isChecked(),
            sort_order=self.sort_order.value(), id=self.data.id, version=self.data.version)

    # ---- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        data, db, today = self.current_input(), self.ctx.db, clock.today()

        def work(progress, cancelled):  # noqa: ANN001, ANN202
            return rts.save_report_type(db, data, today, progress=progress, cancelled=cancelled)

        self.buttons.setEnabled(False)
        self.ctx.runner.run(work, "Đang lưu và tạo lại danh sách báo cáo phải nộp…", self._saved, self)

    def _saved(self, result: rts.SavedType | None, error: BaseException | None) -> None:
        self.buttons.setEnabled(True)
        if error is not None:
            show_error(self, error)
            return
        self.saved_id = result.id if result else None
        self.ctx.bus.publish("regime", result)
        self.ctx.bus.publish("expected", result.regen if result else None)
        self.accept()
