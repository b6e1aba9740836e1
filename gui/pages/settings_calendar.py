"""Cài đặt › Lịch làm việc: the year view (days off, deadlines) and the editable table of
extra days off and swapped working days announced each year."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui import clock
from gui.context import AppContext
from gui.messages import confirm, show_error
from gui.widgets.table import Column, DataTable, LazyTableModel
from gui.widgets.year_calendar import YearCalendar
from services import calendar_service as cs

DAY = dict(sortable=False)
HOLIDAY_COLUMNS = [Column("day", "Ngày", 85, **DAY), Column("weekday", "Thứ", 70, **DAY),
                   Column("name", "Lý do nghỉ", 260, **DAY)]
DEADLINE_COLUMNS = [Column("day", "Hạn cuối", 85, **DAY), Column("report_type", "Báo cáo", 120, **DAY),
                    Column("period_label", "Kỳ", 140, **DAY), Column("nominal", "Theo quy định", 95, **DAY),
                    Column("due_wording", "Quy định", 190, **DAY), Column("units", "Đơn vị", 55, **DAY),
                    Column("received", "Đã nộp", 55, **DAY)]
OVERRIDE_COLUMNS = [Column("day", "Ngày", 85, **DAY), Column("weekday", "Thứ", 70, **DAY),
                    Column("kind_label", "Loại", 110, **DAY), Column("note", "Ghi chú", 320, **DAY)]


class CalendarTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.calendar = YearCalendar(self)
        self.calendar.day_clicked.connect(self._day_clicked)
        self.holiday_model = LazyTableModel(HOLIDAY_COLUMNS, lambda ids: [], self)
        self.holidays = DataTable("calendar_holidays", self.holiday_model, self, "Ngày nghỉ")
        self.deadline_model = LazyTableModel(DEADLINE_COLUMNS, lambda ids: [], self)
        self.deadlines = DataTable("calendar_deadlines", self.deadline_model, self, "Hạn nộp báo cáo")
        self.override_model = LazyTableModel(OVERRIDE_COLUMNS, lambda ids: [], self)
        self.overrides = DataTable("calendar_overrides", self.override_model, self, "Ngày điều chỉnh")
        for t in (self.holidays, self.deadlines, self.overrides):
            t.setSortingEnabled(False)
        self.overrides.activated_row.connect(lambda r: r and self.edit(r))

        top = QHBoxLayout()
        lab = QLabel("&Năm:")
        lab.setBuddy(self.year)
        top.addWidget(lab)
        top.addWidget(self.year)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top.addWidget(self.summary, 1)
        for text, slot in (("&Thêm ngày…", lambda: self.add()), ("&Sửa…", self.edit_current),
                           ("&Xóa", self.delete_current)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            top.addWidget(b)
        lists = QTabWidget()
        lists.addTab(self.overrides, "Điều chỉnh")
        lists.addTab(self.holidays, "Lễ, Tết")
        lists.addTab(self.deadlines, "Hạn nộp")
        self.lists = lists
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.calendar)
        split.addWidget(lists)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)  # the calendar keeps its minimum, the lists get the rest
        note = QLabel("Ngày lễ, Tết âm lịch, Giỗ Tổ và nghỉ bù lấy từ gói holidays; hằng năm Chính phủ thông báo "
                      "ngày nghỉ thêm và ngày làm bù: nhập ở đây để hạn nộp được tính lại. Bấm vào một ngày "
                      "trên lịch để thêm ngày điều chỉnh.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addWidget(note)
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        try:
            view = cs.year_view(self.ctx.db, self.year.value())
            overrides = cs.list_overrides(self.ctx.db, self.year.value())
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.calendar.show_year(view)
        holidays = view.holidays()
        self.holiday_model.set_rows(holidays, id_attr="day")
        self.deadline_model.set_rows(view.deadlines, id_attr="day")
        self.override_model.set_rows(overrides)
        working = sum(1 for d in _days(view.year) if d not in {x.day for x in view.days_off})
        self.summary.setText(f"{working} ngày làm việc, {len(holidays)} ngày nghỉ lễ, Tết và điều chỉnh "
                             f"(ngoài Thứ Bảy, Chủ nhật), {len(view.deadlines)} hạn nộp báo cáo.")

    def _day_clicked(self, d: date) -> None:
        existing = next((o for o in self.override_model.all_rows() if o.day == d), None)
        if existing is not None:
            self.edit(existing)
        elif confirm(self, f"Thêm ngày điều chỉnh cho ngày {d.strftime('%d/%m/%Y')}?"):
            self.add(d)

    def add(self, day: date | None = None) -> None:
        from gui.dialogs.override_day import OverrideDialog

        if OverrideDialog(self.ctx, None, self, day=day).exec():
            self.refresh()

    def edit_current(self) -> None:
        row = self.overrides.current_row()
        if row is not None:
            self.edit(row)

    def edit(self, row: cs.OverrideInfo) -> None:
        from gui.dialogs.override_day import OverrideDialog

        if OverrideDialog(self.ctx, row, self).exec():
            self.refresh()

    def delete_current(self) -> None:
        row = self.overrides.current_row()
        if row is None or not confirm(self, f"Xóa ngày điều chỉnh {row.day.strftime('%d/%m/%Y')} ({row.kind_label})?"):
            return
        db, today = self.ctx.db, clock.today()

        def work(progress, cancelled):  # noqa: ANN001, ANN202
            return cs.delete_override(db, row.day, today, progress=progress, cancelled=cancelled)

        def done(result, error):  # noqa: ANN001, ANN202
            if error is not None:
                show_error(self, error)
                return
            self.ctx.bus.publish("calendar", result)
            self.ctx.bus.publish("expected", result)
            self.refresh()

        self.ctx.runner.run(work, "Đang xóa và tính lại hạn nộp…", done, self)


def _days(year: int) -> list[date]:
    start = date(year, 1, 1).toordinal()
    return [date.fromordinal(o) for o in range(start, date(year, 12, 31).toordinal() + 1)]
