"""Báo cáo đến page: the follow-up of expected reports (Tình hình nộp: deadline, received,
status) and the register of incoming reports (Sổ báo cáo đến), with one filter bar
(period, unit, group, status, diacritic-free search, also in summaries). Register, edit,
excuse (miễn) and chase from here; files dropped on the page open the register form."""
from __future__ import annotations

import importlib.util
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from gui import clock
from gui.context import AppContext
from gui.messages import confirm, show_error
from gui.widgets.file_drop import local_files
from gui.widgets.search import SearchBox
from gui.widgets.table import Column, DataTable, LazyTableModel
from services import dashboard, incoming, incoming_list, tracking
from services import timeliness as tl

CENTER = Qt.AlignmentFlag.AlignCenter


def _status_color(row: Any) -> str | None:
    return tl.STATUS_COLORS.get(row.status)


EXPECTED_COLUMNS = [
    Column("unit_name", "Đơn vị", 220), Column("group", "Nhóm", 110), Column("report_type", "Loại báo cáo", 110),
    Column("period_label", "Kỳ", 130), Column("last_on_time_day", "Hạn cuối", 80, align=CENTER),
    Column("received_date", "Ngày nhận", 80, align=CENTER),
    Column("status_text", "Tình trạng", 190, color=_status_color),
    Column("doc_number", "Số, ký hiệu", 110, sortable=False),
    Column("due_wording", "Quy định về hạn nộp", 170, sortable=False),
    Column("summary", "Tóm tắt", 300, sortable=False),
]
INCOMING_COLUMNS = [
    Column("received_date", "Ngày nhận", 80, align=CENTER), Column("unit_name", "Đơn vị", 220),
    Column("report_type", "Loại báo cáo", 110), Column("period_label", "Kỳ", 130),
    Column("status_text", "Tình trạng", 150, color=_status_color),
    Column("doc_number", "Số, ký hiệu", 110), Column("doc_date", "Ngày văn bản", 85, align=CENTER),
    Column("channel_label", "Hình thức", 110),
    Column("files", "Tệp", 40, align=CENTER, sortable=False, fmt=lambda n: str(n) if n else ""),
    Column("summary", "Tóm tắt", 320),
]


class IncomingPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAcceptDrops(True)
        self._sort: dict[str, tuple[str, bool]] = {"expected": ("", False), "incoming": ("", False)}
        self._stale: set[int] = set()
        self._counts = ""
        self._period_chosen = False

        self.period = QComboBox()
        self.period.setObjectName("period")
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.group = QComboBox()
        self.group.setObjectName("group")
        self.status = QComboBox()
        self.status.setObjectName("status")
        self.status.addItem("Mọi tình trạng", None)
        for key in tl.STATUSES:
            self.status.addItem(tl.STATUS_LABELS[key], key)
        self.status.addItem(incoming_list.UNLINKED_LABEL, incoming_list.UNLINKED)
        self.search = SearchBox(parent=self)
        self.search.setObjectName("search")
        bar = QHBoxLayout()
        for label, w, grow in (("&Kỳ:", self.period, 3), ("Đơn &vị:", self.unit, 3), ("&Nhóm:", self.group, 2),
                               ("&Tình trạng:", self.status, 2)):
            # Long unit names must not make the page wide: combos share the row instead.
            w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(5)
            lab = QLabel(label)
            lab.setBuddy(w)
            bar.addWidget(lab)
            bar.addWidget(w, grow)
        self.search.setMinimumWidth(220)
        self.search.setMaximumWidth(360)

        self.expected_model = LazyTableModel(EXPECTED_COLUMNS, self._fetch_expected, self)
        self.expected_table = DataTable("report_followup", self.expected_model, self, "Tình hình nộp báo cáo")
        self.incoming_model = LazyTableModel(INCOMING_COLUMNS, self._fetch_incoming, self)
        self.incoming_table = DataTable("report_register", self.incoming_model, self, "Sổ báo cáo đến")
        self.expected_table.setSelectionMode(DataTable.SelectionMode.ExtendedSelection)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.expected_table, "Tình hình &nộp báo cáo")
        self.tabs.addTab(self.incoming_table, "&Sổ báo cáo đến")
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)

        # A toolbar, not a row of buttons: on a narrow window the rest goes to its » menu.
        buttons = QToolBar()
        buttons.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.btn_new = self._button(buttons, "&Ghi nhận báo cáo đến…", self.register_new, "Ctrl+N")
        self.btn_edit = self._button(buttons, "Sửa…", self.edit_current, "Enter")
        self.btn_excuse = self._button(buttons, "&Miễn nộp…", self.excuse_selected)
        self.btn_unexcuse = self._button(buttons, "&Bỏ miễn", self.unexcuse_selected)
        self.btn_delete = self._button(buttons, "&Xóa báo cáo đến", self.delete_current)
        self.btn_remind = self._button(buttons, "Đôn đốc…", self.open_reminders, "Ctrl+R")
        self._forms_buttons(buttons)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.register_new)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.open_reminders)
        QShortcut(QKeySequence.StandardKey.Refresh, self, activated=self.refresh)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        second = QHBoxLayout()  # the actions and the search box share the second row
        second.addWidget(buttons, 1)
        second.addWidget(self.search)
        lay.addLayout(bar)
        lay.addLayout(second)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.summary)

        self._load_choices()
        for combo in (self.period, self.unit, self.group, self.status):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.period.activated.connect(lambda _i: setattr(self, "_period_chosen", True))
        self.search.search.connect(lambda _t: self.refresh())
        self.tabs.currentChanged.connect(self._tab_changed)
        self.expected_model.sort_requested.connect(lambda k, d: self._sorted("expected", k, d))
        self.incoming_model.sort_requested.connect(lambda k, d: self._sorted("incoming", k, d))
        self.expected_table.activated_row.connect(lambda _r: self.edit_current())
        self.incoming_table.activated_row.connect(lambda _r: self.edit_current())
        ctx.bus.subscribe({"reports", "expected", "units", "calendar", "regime"}, self._changed)
        self.refresh()

    def _button(self, bar: QToolBar, text: str, slot, keys: str = "") -> QAction:  # noqa: ANN001
        act = bar.addAction(text)
        act.triggered.connect(lambda _c=False: slot())
        if keys:
            act.setToolTip(f"{text.replace('&', '')} ({keys})")
        return act

    def _forms_buttons(self, bar: QToolBar) -> None:
        """Excel forms (another module): shown once their dialogs exist."""
        for module, func, text in (("gui.dialogs.forms_export", "open_forms_export", "Xuất &biểu mẫu…"),
                                   ("gui.dialogs.forms_import", "open_forms_import", "Nhập biểu &mẫu…")):
            if importlib.util.find_spec(module) is None:
                continue

            def run(_checked: bool = False, module: str = module, func: str = func) -> None:
                getattr(importlib.import_module(module), func)(self, self.ctx)

            self._button(bar, text, run)

    # ---- filters ---------------------------------------------------------------------
    def _load_choices(self) -> None:
        db = self.ctx.db
        keep = (self.period.currentData(), self.unit.currentData(), self.group.currentData())
        for combo in (self.period, self.unit, self.group):
            combo.blockSignals(True)
            combo.clear()
        self.period.addItem("Tất cả các kỳ", None)
        for c in dashboard.period_choices(db):
            self.period.addItem(c.label, c.month_key)
        self.unit.addItem("Tất cả đơn vị", None)
        for u in incoming.unit_choices(db):
            self.unit.addItem(f"{u.name} ({u.code})", u.id)
        self.group.addItem("Tất cả nhóm", None)
        for g in incoming.group_choices(db):
            self.group.addItem(g, g)
        # Follow the current period until the user picks one (new periods appear at start-up).
        current = keep[0] if self._period_chosen else dashboard.default_period(db, clock.today())
        for combo, value in ((self.period, current), (self.unit, keep[1]), (self.group, keep[2])):
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)

    def current_filter(self) -> tracking.ReportFilter:
        return tracking.ReportFilter(month_key=self.period.currentData(), unit_id=self.unit.currentData(),
                                     group=self.group.currentData(), status=self.status.currentData(),
                                     query=self.search.text())

    def show_filtered(self, month_key: str | None = None, status: str | None = None, unit_id: int | None = None,
                      register: bool = False, group: str | None = None) -> None:
        """Set the filters (used by the dashboard's click-through) and show the list."""
        self._period_chosen = True
        for combo, value in ((self.period, month_key), (self.status, status), (self.unit, unit_id),
                             (self.group, group)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.tabs.blockSignals(True)  # one query for the list shown, in refresh()
        self.tabs.setCurrentIndex(1 if register else 0)
        self.tabs.blockSignals(False)
        self.refresh()

    # ---- data --------------------------------------------------------------------------
    def _fetch_expected(self, ids: list[int]) -> list[tracking.ExpectedRow]:
        return tracking.fetch(self.ctx.db, ids, clock.today())

    def _fetch_incoming(self, ids: list[int]) -> list[incoming_list.IncomingRow]:
        return incoming_list.fetch(self.ctx.db, ids)

    def _sorted(self, which: str, key: str, descending: bool) -> None:
        self._sort[which] = (key, descending)
        self.refresh()

    def _changed(self, topic: str, _payload: object) -> None:
        if not isValid(self):  # the bus outlives pages dropped when another database opens
            return
        if topic in ("expected", "units", "regime", "database"):
            self._load_choices()
        self.refresh()

    def refresh(self) -> None:
        """Re-query the list on screen and the counts; the other tab re-queries when shown
        (each list of 50,000 rows costs a query: don't run the one nobody looks at)."""
        f, today = self.current_filter(), clock.today()
        try:
            self._load_tab(self.tabs.currentIndex(), f)
            c = tl.counts(self.ctx.db, today, [f.month_key] if f.month_key else None, f.unit_id, f.group)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self._stale = {0, 1} - {self.tabs.currentIndex()}
        self._counts = (f"Theo kỳ, đơn vị, nhóm đã chọn: phải nộp {c.total} · đúng hạn {c.on_time} · "
                        f"trễ hạn {c.late} · chưa nộp {c.missing} · chưa đến hạn {c.not_due} · miễn {c.excused}"
                        f" — tỷ lệ đầy đủ <b>{tl.percent(c.completeness)}</b>, "
                        f"đúng hạn <b>{tl.percent(c.timeliness)}</b>.")
        self._show_summary()

    def _load_tab(self, index: int, f: tracking.ReportFilter | None = None) -> None:
        f = f or self.current_filter()
        if index == 0:
            key, desc = self._sort["expected"]
            self.expected_model.set_ids(tracking.list_ids(self.ctx.db, f, clock.today(), key, desc))
        else:
            key, desc = self._sort["incoming"]
            self.incoming_model.set_ids(incoming_list.search_ids(self.ctx.db, f, key, desc))

    def _tab_changed(self, index: int) -> None:
        if index in self._stale:
            self._stale.discard(index)
            try:
                self._load_tab(index)
            except Exception as e:  # noqa: BLE001 - shown to the user
                show_error(self, e)
        self._show_summary()

    def _show_summary(self) -> None:
        if self.tabs.currentIndex() == 0:
            head = f"<b>{self.expected_model.rowCount()}</b> báo cáo phải nộp theo bộ lọc."
        else:
            head = f"<b>{self.incoming_model.rowCount()}</b> báo cáo đã nhận theo bộ lọc."
        self.summary.setText(f"{head} {self._counts}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        follow = self.tabs.currentIndex() == 0
        self.btn_excuse.setEnabled(follow)
        self.btn_unexcuse.setEnabled(follow)
        self.btn_delete.setEnabled(not follow)

    # ---- actions -----------------------------------------------------------------------
    def _open_dialog(self, **kw) -> bool:  # noqa: ANN003
        from gui.dialogs.incoming_report import IncomingDialog

        try:
            dlg = IncomingDialog(self.ctx, self, today=clock.today(), **kw)
        except Exception as e:  # noqa: BLE001 - e.g. the report was deleted meanwhile
            show_error(self, e)
            return False
        return dlg.exec() == IncomingDialog.DialogCode.Accepted

    def register_new(self, files: list[str] | None = None) -> None:
        row = self.expected_table.current_row() if self.tabs.currentIndex() == 0 else None
        kw: dict = {"files": files or []}
        if row is not None and row.incoming_id is None:
            kw.update(unit_id=row.unit_id, period=row.period, report_type_id=row.report_type_id)
        elif self.unit.currentData() is not None:
            kw.update(unit_id=self.unit.currentData())
        self._open_dialog(**kw)

    def edit_current(self) -> None:
        if self.tabs.currentIndex() == 0:
            row = self.expected_table.current_row()
            if row is None:
                return
            if row.incoming_id is None:
                self._open_dialog(unit_id=row.unit_id, period=row.period, report_type_id=row.report_type_id)
            else:
                self._open_dialog(incoming_id=row.incoming_id)
        else:
            row = self.incoming_table.current_row()
            if row is not None:
                self._open_dialog(incoming_id=row.id)

    def excuse_selected(self) -> None:
        from gui.dialogs.excuse import ExcuseDialog

        rows = [r for r in self.expected_table.selected_rows() if r is not None and not r.excused]
        if rows:
            ExcuseDialog(self.ctx, rows, self).exec()

    def unexcuse_selected(self) -> None:
        rows = [r for r in self.expected_table.selected_rows() if r is not None and r.excused]
        if not rows or not confirm(self, f"Bỏ miễn nộp cho {len(rows)} báo cáo đã chọn?"):
            return
        try:
            incoming.unexcuse(self.ctx.db, [r.id for r in rows])
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.ctx.bus.publish("reports", [r.id for r in rows])

    def delete_current(self) -> None:
        row = self.incoming_table.current_row()
        if row is None or not confirm(self, f"Xóa báo cáo đến {row.doc_number or '(không số)'} của "
                                            f"{row.unit_name}, {row.period_label}? Tệp đính kèm của báo cáo "
                                            "cũng bị xóa khỏi danh sách."):
            return
        try:
            incoming.delete_incoming(self.ctx.db, row.id, row.version)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.ctx.bus.publish("reports", [row.id])

    def open_reminders(self) -> None:
        from gui.dialogs.reminders import RemindersDialog

        mk = self.period.currentData() or dashboard.default_period(self.ctx.db, clock.today())
        if mk:
            RemindersDialog(self.ctx, mk, self).exec()

    # ---- drag and drop -------------------------------------------------------------------
    def dragEnterEvent(self, e: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if local_files(e.mimeData()):
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = local_files(e.mimeData())
        if files:
            e.acceptProposedAction()
            self.register_new(files)
