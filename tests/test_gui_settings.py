"""Cài đặt page with pytest-qt: report types (wording read as you type, saving regenerates),
calendar overrides from the year view, agency data and options."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox
from sqlalchemy import select

from gui.dialogs.incoming_report import to_qdate
from gui.dialogs.override_day import OverrideDialog
from gui.dialogs.report_type import ReportTypeDialog
from gui.main_window import MainWindow
from models import Agency, ExpectedReport, HolidayOverride, ReportType, Unit
from services import settings

TODAY = date(2026, 12, 6)


@pytest.fixture(autouse=True)
def boxes(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setenv("SECDESK_TODAY", TODAY.isoformat())
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    yield shown
    assert shown == [], f"unexpected message box: {shown}"


def _window(qtbot, db, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    win = MainWindow(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    return win


def _save(qtbot, dlg) -> None:  # noqa: ANN001
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result() == QDialog.DialogCode.Accepted, timeout=15000)


def _last_days(db, period: str) -> set[date]:  # noqa: ANN001
    with db.session() as s:
        return set(s.scalars(select(ExpectedReport.last_on_time_day).where(ExpectedReport.period == period,
                                                                           ExpectedReport.obsolete.is_(False))))


def test_edit_the_monthly_rule_from_its_wording(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    page = win.show_page_key("settings")
    tab = page.report_types
    assert [r.code for r in tab.model.all_rows()] == ["BC-THANG", "BC-6T", "BC-NAM"]
    assert "Được thay bằng báo cáo 6 tháng, báo cáo năm" in tab.model.row(0).stand_in_text
    monthly = tab.model.row(0)
    dlg = ReportTypeDialog(win.ctx, monthly.id, win)
    qtbot.addWidget(dlg)
    dlg.wording.clear()
    qtbot.keyClicks(dlg.wording, "cham nhat ngay 20 hang thang")  # read as the user types
    assert (dlg.due_day.value(), dlg.inclusive.currentData()) == (20, True)
    assert "hết ngày 20" in dlg.rule_hint.text()
    preview = {r.period: r.last_on_time_day for r in dlg.preview_model.all_rows()}
    assert preview["2027-01"] == date(2027, 1, 20)
    _save(qtbot, dlg)
    assert _last_days(demo_db, "2026-11") == {date(2026, 11, 20)}  # every unit, received or not
    assert "hết ngày 20" in tab.model.row(0).rule_text  # the tab refreshed from the bus
    with demo_db.session() as s:
        assert s.get(ReportType, monthly.id).due_wording == "cham nhat ngay 20 hang thang"


def test_add_a_quarterly_type_owed_by_a_group(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    dlg = ReportTypeDialog(win.ctx, None, win)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.code, "BC-QUY")
    dlg.name.setText("Báo cáo quý")
    dlg.kind.setCurrentIndex(dlg.kind.findData("quarter"))
    dlg.wording.setText("trước ngày 20 tháng cuối quý")
    dlg._read_wording(dlg.wording.text())
    dlg.start.setText("2026-01")
    dlg.some_units.setChecked(True)
    with demo_db.session() as s:
        group = s.scalar(select(Unit).where(Unit.code == "BAODAI"))
        members = set(s.scalars(select(Unit.id).where(Unit.parent_id == group.id)))
    for i in range(dlg.units.count()):
        if dlg.units.item(i).data(Qt.ItemDataRole.UserRole) == group.id:
            dlg.units.item(i).setCheckState(Qt.CheckState.Checked)
    _save(qtbot, dlg)
    with demo_db.session() as s:
        tid = s.scalar(select(ReportType.id).where(ReportType.code == "BC-QUY"))
        rows = s.execute(select(ExpectedReport.unit_id, ExpectedReport.period, ExpectedReport.last_on_time_day)
                         .where(ExpectedReport.report_type_id == tid)).all()
    assert {u for u, _p, _d in rows} == members and len(members) == 2
    # Up to the period that has started by next month (January 2027).
    assert {p for _u, p, _d in rows} == {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"}
    assert {d for _u, p, d in rows if p == "2026-Q1"} == {date(2026, 3, 19)}


def test_bad_report_type_is_refused_and_the_dialog_stays(qtbot, demo_db, tmp_path: Path, boxes) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    dlg = ReportTypeDialog(win.ctx, None, win)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.code, "BC-THANG")  # already used
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(boxes), timeout=10000)
    text = boxes.pop()
    assert "Mã: đã có loại báo cáo mã BC-THANG" in text and "Tên: không được để trống" in text
    assert dlg.result() != QDialog.DialogCode.Accepted


def test_override_from_the_year_view_moves_deadlines(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    page = win.show_page_key("settings")
    cal = page.calendar
    assert cal.year.value() == 2026
    assert cal.calendar.day_color(date(2026, 2, 17)) == "#f4b6b0"  # Tết
    assert cal.calendar.day_color(date(2026, 11, 17)) == "#a9c8f0"  # November's deadline
    assert cal.calendar.day_color(date(2026, 11, 18)) == ""
    dlg = OverrideDialog(win.ctx, None, cal, day=date(2026, 11, 17))
    qtbot.addWidget(dlg)
    assert "Thứ Ba" in dlg.info.text() and "ngày làm việc" in dlg.info.text()
    dlg.note.setText("Nghỉ thêm theo thông báo của tỉnh")
    _save(qtbot, dlg)
    with demo_db.session() as s:
        row = s.get(HolidayOverride, date(2026, 11, 17))
        assert (row.kind, row.note) == ("off", "Nghỉ thêm theo thông báo của tỉnh")
    assert _last_days(demo_db, "2026-11") == {date(2026, 11, 18)}
    cal.refresh()
    assert cal.calendar.day_color(date(2026, 11, 17)) == "#f9cf8f"
    assert cal.calendar.day_color(date(2026, 11, 18)) == "#a9c8f0"
    assert [o.day for o in cal.override_model.all_rows()] == [date(2026, 11, 17)]
    # Change it into a Saturday made a working day, via the edit form.
    edit = OverrideDialog(win.ctx, cal.override_model.row(0), cal)
    qtbot.addWidget(edit)
    edit.day.setDate(to_qdate(date(2026, 10, 17)))
    edit.kind.setCurrentIndex(edit.kind.findData("work"))
    _save(qtbot, edit)
    assert _last_days(demo_db, "2026-11") == {date(2026, 11, 17)}
    assert _last_days(demo_db, "2026-10") == {date(2026, 10, 17)}
    cal.refresh()
    assert cal.calendar.day_color(date(2026, 10, 17)) == "#a9c8f0"  # a deadline on a working Saturday
    cal.year.setValue(2027)
    assert cal.deadline_model.rowCount() == 12


def test_agency_and_options(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    page = win.show_page_key("settings")
    ag = page.agency
    assert ag.edits["abbreviation"].text() == "SKHCN"
    ag.edits["place"].setText("Hải Phòng")
    ag.edits["signer_name"].setText("Nguyễn Thị Lan")
    ag.recipients.setPlainText("UBND thành phố (để báo cáo);\nLưu: VT;")
    ag.save()
    with demo_db.session() as s:
        a = s.get(Agency, 1)
        assert (a.place, a.signer_name, a.version) == ("Hải Phòng", "Nguyễn Thị Lan", 2)
        assert a.report_recipients.splitlines() == ["UBND thành phố (để báo cáo);", "Lưu: VT;"]
    opts = page.options
    opts.spins["upcoming_days"].setValue(30)
    opts.spins["due_soon_days"].setValue(10)
    opts.save()
    assert settings.get_int(demo_db, "upcoming_days") == 30 and settings.get_int(demo_db, "due_soon_days") == 10
    dash = win.show_page_key("dashboard")
    assert "30 ngày" in dash.upcoming_title.text()
