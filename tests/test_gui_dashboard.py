"""Tổng quan page with pytest-qt: the figures of the current and a past period, every figure
clicking through to its list, charts, refresh on the bus, reminders."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import select

from gui.dialogs.overdue_tasks import OverdueTasksDialog
from gui.dialogs.reminders import RemindersDialog
from gui.main_window import MainWindow
from models import ReminderLog, Unit
from services import incoming

TODAY = date(2026, 12, 6)


@pytest.fixture(autouse=True)
def boxes(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setenv("SECDESK_TODAY", TODAY.isoformat())
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    yield shown
    assert shown == [], f"unexpected message box: {shown}"


def _window(qtbot, db, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    win = MainWindow(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    return win


def _values(page) -> dict[str, str]:  # noqa: ANN001
    return {k: c.value for k, c in page.cards.items()}


def test_figures_of_the_current_and_a_past_period(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    page = win.show_page_key("dashboard")
    assert page.period.currentData() == "2026-11"
    v = _values(page)
    assert (v["total"], v["received"], v["dung_han"], v["tre_han"], v["chua_nop"], v["chua_den_han"], v["mien"]) == (
        "32", "30", "29", "1", "2", "0", "0")
    assert (v["completeness"], v["timeliness"], v["tasks"]) == ("93,8%", "90,6%", "3")
    assert "17/11/2026" in page.deadline.text()
    assert [r.unit_code for r in page.missing_model.all_rows()] == ["UBND-GL", "UBND-NG"]
    assert [r.unit_code for r in page.late_model.all_rows()] == ["HCCB"]
    assert [(r.day, r.owed) for r in page.upcoming_model.all_rows()] == [(date(2026, 12, 14), 32)]
    assert page.chart_periods.sets[0].count() == 12 and page.chart_periods.keys[-1] == "2026-11"
    assert page.chart_periods.sets[0].at(11) == 93.8 and page.chart_periods.sets[1].at(11) == 90.6
    page.period.setCurrentIndex(page.period.findData("2025-09"))
    v = _values(page)
    assert (v["total"], v["dung_han"], v["tre_han"], v["chua_nop"]) == ("32", "29", "2", "1")
    assert (v["completeness"], v["timeliness"]) == ("96,9%", "90,6%")
    assert page.chart_periods.keys[0] == "2025-03" and page.chart_periods.keys[-1] == "2025-09"


def test_every_figure_opens_its_list(qtbot, demo_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    page = win.show_page_key("dashboard")
    qtbot.mouseClick(page.cards["chua_nop"], Qt.MouseButton.LeftButton)
    inc = win.stack.currentWidget()
    assert inc.objectName() == "page_incoming" and inc.tabs.currentIndex() == 0
    assert (inc.period.currentData(), inc.status.currentData()) == ("2026-11", "chua_nop")
    assert {r.unit_code for r in inc.expected_model.all_rows()} == {"UBND-GL", "UBND-NG"}
    win.show_page_key("dashboard")
    qtbot.mouseClick(page.cards["received"], Qt.MouseButton.LeftButton)
    assert inc.tabs.currentIndex() == 1 and inc.incoming_model.rowCount() == 30
    win.show_page_key("dashboard")
    qtbot.mouseClick(page.cards["tre_han"], Qt.MouseButton.LeftButton)
    assert [r.unit_code for r in inc.expected_model.all_rows()] == ["HCCB"]
    # A list row: the late unit's reports.
    win.show_page_key("dashboard")
    page.late_table.activated_row.emit(page.late_model.row(0))
    assert inc.unit.currentData() == page.late_model.row(0).unit_id and inc.expected_model.rowCount() == 1
    # A bar of the period chart: that period, every status.
    win.show_page_key("dashboard")
    page.chart_periods.sets[0].clicked.emit(0)
    assert inc.period.currentData() == "2025-12" and inc.status.currentData() is None
    # A bar of the unit chart: that unit, all periods, the clicked status.
    win.show_page_key("dashboard")
    units = page.chart_units.units
    i = next(i for i, u in enumerate(units) if u.late)
    page.chart_units.sets["tre_han"].clicked.emit(i)
    assert inc.unit.currentData() == units[i].unit_id and inc.period.currentData() is None
    assert inc.expected_model.rowCount() == units[i].late
    # A group's rates: that group's reports of the period.
    win.show_page_key("dashboard")
    row = next(r for r in page.group_model.all_rows() if r.key == "Cơ quan báo chí")
    page.group_table.activated_row.emit(row)
    assert inc.group.currentData() == "Cơ quan báo chí" and inc.expected_model.rowCount() == 2
    # Overdue tasks open their own list.
    seen = {}
    monkeypatch.setattr(OverdueTasksDialog, "exec", lambda self: seen.update(
        rows=[r.task_code for r in self.table.lazy_model().all_rows()]) or 0)
    win.show_page_key("dashboard")
    qtbot.mouseClick(page.cards["tasks"], Qt.MouseButton.LeftButton)
    assert sorted(seen["rows"]) == ["DEMO.4", "DEMO.4", "DEMO.7"]


def test_refreshes_when_a_report_arrives(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    page = win.show_page_key("dashboard")
    with demo_db.session() as s:
        gl = s.scalar(select(Unit.id).where(Unit.code == "UBND-GL"))
    incoming.register(demo_db, incoming.NewIncoming(unit_id=gl, period="2026-11", received_date=TODAY))
    win.bus.publish("reports", None)
    v = _values(page)
    assert (v["received"], v["tre_han"], v["chua_nop"], v["completeness"]) == ("31", "2", "1", "96,9%")


def test_reminders_dialog_records_and_logs(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    dlg = RemindersDialog(win.ctx, "2026-11", win)
    qtbot.addWidget(dlg)
    assert dlg.chase_model.rowCount() == 2 and len(dlg.selected_ids()) == 2  # overdue: chosen by default
    assert dlg.subject.text() == "Đôn đốc gửi báo cáo tháng 11 năm 2026"
    assert "UBND huyện Gia Lộc" in dlg.body.toPlainText()
    assert dlg.recipients.text() == "ubndgl@haiduong.gov.vn; ubndng@haiduong.gov.vn"
    dlg.chase.selectRow(1)  # only Ninh Giang now: the e-mail follows the selection
    assert "Kính gửi: UBND huyện Ninh Giang" in dlg.body.toPlainText()
    dlg.channel.setCurrentIndex(dlg.channel.findData("phone"))
    qtbot.keyClicks(dlg.note, "goi dien lan 1")
    qtbot.mouseClick(dlg.record_btn, Qt.MouseButton.LeftButton)
    with demo_db.session() as s:
        logs = s.scalars(select(ReminderLog)).all()
        assert [(r.channel, r.period, r.note) for r in logs] == [("phone", "2026-11", "goi dien lan 1")]
    assert [r.unit_code for r in dlg.log_model.all_rows()] == ["UBND-NG"]
    assert dlg.chase_model.row(1).reminders == 1
    page = win.show_page_key("dashboard")
    assert page.cards["reminders"].value == "1"
    dlg.done(QDialog.DialogCode.Accepted)
