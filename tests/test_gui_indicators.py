"""The Chỉ tiêu page driven with pytest-qt: targets with status and trend chart, value entry
through the real dialog, activity tables by group and period, Excel exports read back,
catalogue editing and qualitative assessment."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from gui.dialogs.indicator_edit import RANK, IndicatorDialog
from gui.dialogs.indicator_values import PROVINCE, ValueEntryDialog
from gui.dialogs.target_status import TargetStatusDialog
from gui.main_window import MainWindow
from services import aggregates as ag
from services import indicators as si
from services import targets as tg


@pytest.fixture()
def page(qtbot, demo_db, tmp_path: Path):  # noqa: ANN001
    win = MainWindow(demo_db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1300, 800)
    win.show()
    return win.show_page_key("indicators")


def _cell(table, row: int, key: str, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN202
    m = table.lazy_model()
    col = next(i for i, c in enumerate(m.columns) if c.key == key)
    return m.data(m.index(row, col), role)


def _save(dlg) -> None:  # noqa: ANN001
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_targets_tab_shows_each_2030_target_with_latest_value_and_status(page) -> None:  # noqa: ANN001
    tab = page.targets
    assert tab.model.rowCount() == 26
    assert "2 đạt" in tab.summary.text() and "11 chưa đạt" in tab.summary.text()
    rows = {_cell(tab.table, i, "code"): i for i in range(26)}
    r01 = rows["T2030-01"]
    assert _cell(tab.table, r01, "latest_value") == "24" and _cell(tab.table, r01, "status_label") == "Chưa đạt"
    assert _cell(tab.table, r01, "status_label", Qt.ItemDataRole.BackgroundRole).color().name() == \
        tg.STATUS_COLORS[tg.NOT_MET]
    assert _cell(tab.table, rows["T2030-11"], "latest_value") == "0,75"
    assert _cell(tab.table, rows["T2030-21"], "status_label") == "Đạt"
    tab.table.selectRow(r01)
    chart = tab.chart.chart()
    assert [s.name() for s in chart.series()][::2] == ["Số liệu (thứ hạng trong cả nước)", "Mục tiêu: 20"]
    assert tab.chart.points == [("2025", 28.0), ("2026", 24.0)]
    assert chart.axes(Qt.Orientation.Vertical)[0].isReverse()  # ranks: 1 is at the top
    assert "Chưa đạt" in tab.detail.text() and not tab.assess_btn.isEnabled()
    tab.year.setCurrentIndex(tab.year.findData(2045))
    assert tab.model.rowCount() == 4


def test_entering_a_target_value_from_the_page_updates_status(page, qtbot, demo_db) -> None:  # noqa: ANN001
    tab = page.targets
    row = next(i for i in range(tab.model.rowCount()) if _cell(tab.table, i, "code") == "T2030-07")
    tab.table.selectRow(row)
    seen = []

    def fill() -> None:
        dlg = QApplication.activeModalWidget()
        seen.append(dlg)
        assert isinstance(dlg, ValueEntryDialog) and dlg.unit.currentData() == PROVINCE
        dlg.year.setValue(2027)
        dlg.editors["T2030-07"].setText("31,5")
        _save(dlg)

    QTimer.singleShot(0, fill)
    tab.enter_btn.click()
    assert seen and seen[0].result() == 1
    prog = next(r for r in tg.target_progress(demo_db, 2030) if r.code == "T2030-07")
    assert (prog.latest_period, prog.latest_value, prog.status) == ("2027", 31.5, tg.MET)
    row = next(i for i in range(tab.model.rowCount()) if _cell(tab.table, i, "code") == "T2030-07")
    assert _cell(tab.table, row, "status_label") == "Đạt" and _cell(tab.table, row, "latest_value") == "31,5"
    assert "3 đạt" in tab.summary.text()


def test_value_entry_dialog_saves_changes_with_source_and_refuses_bad_numbers(qtbot, demo_db, monkeypatch) -> None:  # noqa: ANN001
    errors = []
    monkeypatch.setattr("gui.dialogs.indicator_values.show_error", lambda _p, e: errors.append(e))
    dlg = ValueEntryDialog(demo_db, None, period="2026-11")
    qtbot.addWidget(dlg)
    dlg.unit.setCurrentIndex(dlg.unit.findText("SNV", Qt.MatchFlag.MatchStartsWith))
    snv = dlg.unit.currentData()
    stored = {v.indicator_code: v for v in si.list_values(demo_db, unit_id=snv, period="2026-11")}
    assert dlg.editors["HD-TIN"].text() == f"{stored['HD-TIN'].value:g}"
    assert dlg.sources["HD-TIN"].text().startswith("Nguồn: Báo cáo ")
    dlg.editors["HD-TIN"].setText("1.250")  # Vietnamese thousands separator
    dlg.editors["HD-HN"].setText("")  # clears the value
    dlg.editors["HD-PANO"].setText("ba")
    _save(dlg)
    assert errors and "cột HD-PANO: “ba” không phải là số" in str(errors[0])
    after = {v.indicator_code: v for v in si.list_values(demo_db, unit_id=snv, period="2026-11")}
    assert after["HD-TIN"].value == stored["HD-TIN"].value  # nothing written
    dlg.editors["HD-PANO"].setText(f"{stored['HD-PANO'].value:g}")
    _save(dlg)
    after = {v.indicator_code: v for v in si.list_values(demo_db, unit_id=snv, period="2026-11")}
    assert after["HD-TIN"].value == 1250 and after["HD-TIN"].source.startswith("user:")
    assert "HD-HN" not in after and after["HD-PANO"].source == stored["HD-PANO"].source  # untouched
    assert dlg.saved and (dlg.saved[0].updated, dlg.saved[0].deleted) == (1, 1)


def test_save_and_next_moves_to_the_next_unit(qtbot, demo_db) -> None:  # noqa: ANN001
    dlg = ValueEntryDialog(demo_db, None, period="2027-01")
    qtbot.addWidget(dlg)
    first = dlg.unit.currentData()
    dlg.editors["HD-MXH"].setText("4")
    dlg.save_next.click()
    assert dlg.unit.currentData() != first and dlg.editors["HD-MXH"].text() == ""
    assert si.list_values(demo_db, unit_id=first, period="2027-01")[0].value == 4


def test_activity_tab_rolls_up_by_group_and_period_and_exports(page, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    page.tabs.setCurrentIndex(1)
    tab = page.activity
    tab.indicator.setCurrentIndex(tab.indicator.findData(si.list_indicators(tab.ctx.db, query="HD-TIN")[0].id))
    tab.year.setValue(2025)
    tab.kind.setCurrentIndex(tab.kind.findData("quarter"))
    tab.rows.setCurrentIndex(tab.rows.findData(ag.ROWS_GROUP))
    grid = {r.code or r.name: r for r in tab.grid}
    assert grid["UBNDH"].cells == (124, 391, 351, 351) and grid["UBNDH"].total == 1217
    assert grid["Tổng cộng"].total == 2946 and grid["Tổng cộng"].is_total
    assert tab.model.headerData(4, Qt.Orientation.Horizontal) == "Quý III/2025"
    assert "quý IV năm 2025 so với quý III năm 2025" in tab.compare_title.text()
    assert {t.code: t.value for t in tab.compare_rows}["HD-TIN"] == 855

    tab.rows.setCurrentIndex(tab.rows.findData(ag.ROWS_UNIT))
    tab.group.setCurrentIndex(tab.group.findText("UBNDH"))
    assert len(tab.grid) == 13 and tab.grid[-1].total == 1217  # 12 districts + the total row
    tab.kind.setCurrentIndex(tab.kind.findData("month"))
    assert tab.model.columnCount() == 2 + 12 + 1 and tab.grid[-1].total == 1217

    out = tmp_path / "hoat_dong.xlsx"
    task = tab.export_to(str(out))
    with qtbot.waitSignal(task.done, timeout=20000):
        pass
    wb = load_workbook(out)
    assert wb.sheetnames == ["HD-TIN", "HD-HN", "HD-NGUOI", "HD-PANO", "HD-PTTH", "HD-MXH"]
    last = [c.value for c in list(wb["HD-TIN"].iter_rows())[-1]]
    assert last[2] == "Tổng cộng" and last[-1] == 1217 and len(last) == 3 + 12 + 1


def test_targets_export_reads_back(page, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "muc_tieu.xlsx"
    task = page.targets.export_to(str(out))
    with qtbot.waitSignal(task.done, timeout=20000):
        pass
    ws = load_workbook(out).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "STT")
    body = rows[header + 1:]
    assert len(body) == 26 and body[0][1] == "T2030-01"
    assert body[0][rows[header].index("Năm 2026")] == 24 and body[0][rows[header].index("Đánh giá")] == "Chưa đạt"


def test_indicator_dialog_creates_a_rank_target(qtbot, demo_db) -> None:  # noqa: ANN001
    dlg = IndicatorDialog(demo_db)
    qtbot.addWidget(dlg)
    dlg.code.setText("xh-pci")
    dlg.name.setText("Xếp hạng chỉ số năng lực cạnh tranh cấp tỉnh")
    dlg.family.setCurrentIndex(dlg.family.findData("target"))
    dlg.aggregation.setCurrentIndex(dlg.aggregation.findData("latest"))
    dlg.kind.setCurrentIndex(dlg.kind.findData(RANK))
    assert dlg.uom.text() == "thứ hạng" and dlg.comparison.currentData() == "<=" and not dlg.comparison.isEnabled()
    dlg.target_value.setText("15")
    dlg.target_year.setValue(2030)
    _save(dlg)
    assert dlg.saved is not None and dlg.result() == 1
    saved = si.get_indicator(demo_db, dlg.saved.id)
    assert (saved.code, saved.comparison, saved.target_value, saved.target_year) == ("XH-PCI", "<=", 15, 2030)
    si.set_value(demo_db, saved.id, None, "2026", 12)
    prog = tg.target_progress(demo_db, indicator_ids=[saved.id])[0]
    assert prog.rank and prog.status == tg.MET


def test_indicator_dialog_shows_problems_and_stays_open(qtbot, demo_db, monkeypatch) -> None:  # noqa: ANN001
    errors = []
    monkeypatch.setattr("gui.dialogs.indicator_edit.show_error", lambda _p, e: errors.append(e))
    tin = si.list_indicators(demo_db, query="HD-TIN")[0].id
    dlg = IndicatorDialog(demo_db, tin)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.code.setText("HD-HN")  # taken
    _save(dlg)
    assert errors and "đã có" in str(errors[0]) and dlg.isVisible() and dlg.saved is None
    assert si.get_indicator(demo_db, tin).code == "HD-TIN"


def test_assessing_a_qualitative_target(page, qtbot, demo_db) -> None:  # noqa: ANN001
    tab = page.targets
    row = next(i for i in range(tab.model.rowCount()) if _cell(tab.table, i, "code") == "T2030-18")
    tab.table.selectRow(row)
    assert tab.assess_btn.isEnabled()
    dlg = TargetStatusDialog(demo_db, tab.selected(), tab)
    qtbot.addWidget(dlg)
    dlg.status.setCurrentIndex(dlg.status.findData(tg.MET))
    dlg.note.setPlainText("Đã phủ sóng 5G toàn bộ các xã, phường.")
    _save(dlg)
    tab.ctx.bus.publish("indicators", None)
    row = next(i for i in range(tab.model.rowCount()) if _cell(tab.table, i, "code") == "T2030-18")
    assert _cell(tab.table, row, "status_label") == "Đạt" and "3 đạt" in tab.summary.text()
    assert "phủ sóng 5G toàn bộ" in tab.detail.text()


def test_catalogue_tab_search_and_values_list(page, qtbot) -> None:  # noqa: ANN001
    page.tabs.setCurrentIndex(2)
    tab = page.catalogue
    assert tab.model.rowCount() == 36
    tab.search.setText("bai dang mang xa hoi")
    tab.search.flush()
    assert tab.model.rowCount() == 1 and _cell(tab.table, 0, "code") == "HD-MXH"
    assert len(tab.values) == 500 and "647" in tab.values_title.text()
    assert tab.values[0].period == "2026-11" and tab.values[0].source_label.startswith("Báo cáo ")
    tab.search.setText("")
    tab.family.setCurrentIndex(tab.family.findData("target"))
    tab.search.flush()
    assert tab.model.rowCount() == 30
