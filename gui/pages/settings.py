"""Cài đặt page: Cơ quan (the secretariat's header data, signer, recipients), Loại báo cáo
(the reporting regime), Lịch làm việc (year view and overrides) and Tùy chọn."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from gui.context import AppContext
from gui.messages import show_error
from gui.pages.settings_calendar import CalendarTab
from gui.pages.settings_report_types import ReportTypesTab
from services import settings
from services.incoming import unit_choices

AGENCY_FIELDS = [  # field, label, placeholder
    ("parent_name", "Cơ quan chủ &quản:", "UBND TỈNH …"),
    ("name", "Cơ quan &ban hành:", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"),
    ("abbreviation", "&Viết tắt (số ký hiệu):", "SKHCN"),
    ("place", "Địa &danh (ghi ngày tháng):", "Hải Dương"),
    ("signer_authority", "&Quyền hạn ký:", "KT. GIÁM ĐỐC"),
    ("signer_title", "&Chức vụ người ký:", "PHÓ GIÁM ĐỐC"),
    ("signer_name", "Họ tên người &ký:", ""),
    ("drafting_unit", "Đơn vị soạn &thảo (Lưu: VT, …):", "QLKH"),
]
OPTIONS = [  # key, label, min, max, suffix
    ("due_soon_days", "Nhiệm vụ “sắp đến hạn” trong vòng:", 0, 90, " ngày"),
    ("reminder_lead_days", "Đôn đốc trước hạn nộp báo cáo:", 0, 30, " ngày"),
    ("upcoming_days", "Tổng quan: hạn nộp sắp tới trong vòng:", 1, 90, " ngày"),
]


class AgencyTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info = settings.AgencyInfo()
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label, hint in AGENCY_FIELDS:
            e = QLineEdit()
            e.setObjectName(key)
            e.setPlaceholderText(hint)
            self.edits[key] = e
            form.addRow(label, e)
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit.setMinimumContentsLength(20)
        form.addRow("Đơn vị &tham mưu:", self.unit)
        self.recipients = QPlainTextEdit()
        self.recipients.setObjectName("recipients")
        self.recipients.setPlaceholderText("Mỗi dòng một nơi nhận, ví dụ: UBND tỉnh (để báo cáo);")
        self.recipients.setTabChangesFocus(True)
        form.addRow("&Nơi nhận báo cáo:", self.recipients)
        save = QPushButton("&Lưu thông tin cơ quan (Ctrl+S)")
        save.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.status = QLabel()
        row = QHBoxLayout()
        row.addWidget(save)
        row.addWidget(self.status, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(row)
        lay.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        self.info = settings.get_agency(self.ctx.db)
        for key, e in self.edits.items():
            e.setText(getattr(self.info, key))
        self.recipients.setPlainText(self.info.report_recipients)
        self.unit.clear()
        self.unit.addItem("(chưa chọn)", None)
        for u in unit_choices(self.ctx.db):
            self.unit.addItem(f"{u.name} ({u.code})", u.id)
        self.unit.setCurrentIndex(max(self.unit.findData(self.info.unit_id), 0))

    def save(self) -> None:
        from services.text import nfc

        values = {k: nfc(e.text()) for k, e in self.edits.items()}
        new = replace(self.info, **values, report_recipients=nfc(self.recipients.toPlainText()),
                      unit_id=self.unit.currentData())
        try:
            self.info = settings.save_agency(self.ctx.db, new)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.status.setText("Đã lưu.")
        self.ctx.bus.publish("settings", "agency")


class OptionsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        for key, label, lo, hi, suffix in OPTIONS:
            sb = QSpinBox()
            sb.setObjectName(key)
            sb.setRange(lo, hi)
            sb.setSuffix(suffix)
            self.spins[key] = sb
            form.addRow(label, sb)
        self.user = QLineEdit()
        self.user.setObjectName("user_name")
        self.user.setPlaceholderText("tên ghi kèm số liệu nhập tay (để trống: tên đăng nhập máy)")
        form.addRow("&Người dùng:", self.user)
        save = QPushButton("&Lưu tùy chọn")
        save.clicked.connect(self.save)
        self.status = QLabel()
        row = QHBoxLayout()
        row.addWidget(save)
        row.addWidget(self.status, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(row)
        lay.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        values = settings.all_settings(self.ctx.db)
        for key, sb in self.spins.items():
            try:
                sb.setValue(int(values.get(key) or settings.DEFAULTS.get(key, "0")))
            except ValueError:
                sb.setValue(int(settings.DEFAULTS.get(key, "0")))
        self.user.setText(values.get("user_name", ""))

    def save(self) -> None:
        try:
            for key, sb in self.spins.items():
                settings.set_setting(self.ctx.db, key, str(sb.value()))
            settings.set_setting(self.ctx.db, "user_name", self.user.text().strip())
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)
            return
        self.status.setText("Đã lưu.")
        self.ctx.bus.publish("settings", "options")


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.agency = AgencyTab(ctx, self)
        self.report_types = ReportTypesTab(ctx, self)
        self.calendar = CalendarTab(ctx, self)
        self.options = OptionsTab(ctx, self)
        self.tabs.addTab(self.agency, "&Cơ quan")
        self.tabs.addTab(self.report_types, "&Loại báo cáo")
        self.tabs.addTab(self.calendar, "Lịch làm &việc")
        self.tabs.addTab(self.options, "&Tùy chọn")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.tabs)
        ctx.bus.subscribe({"regime", "expected", "calendar", "units", "settings"}, self._changed)

    def _changed(self, topic: str, _payload: object) -> None:
        if not isValid(self):  # the bus outlives pages dropped when another database opens
            return
        if topic in ("regime", "expected", "units", "database"):
            self.report_types.refresh()
        if topic in ("calendar", "expected", "regime", "database"):
            self.calendar.refresh()
        if topic in ("units", "database"):
            self.agency.refresh()

    def refresh(self) -> None:
        for tab in (self.agency, self.report_types, self.calendar, self.options):
            tab.refresh()
