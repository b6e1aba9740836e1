"""Đơn vị page and its dialogs driven with pytest-qt: search without diacritics, filters, add,
edit (with a concurrent change refused), group members, stop, merge, history, Excel export."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from gui.main_window import MainWindow
from services import units as U
from services.errors import ConcurrentEdit
from services.unit_merge import members

SAVE = QDialogButtonBox.StandardButton.Save
OK = QDialogButtonBox.StandardButton.Ok


@pytest.fixture()
def page(qtbot, demo_db, tmp_path: Path, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("SECDESK_TODAY", "2026-12-06")
    win = MainWindow(demo_db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    return win.show_page_key("units")


@pytest.fixture()
def errors(monkeypatch):  # noqa: ANN001, ANN201
    """Errors the dialogs would show in a message box, collected instead."""
    seen: list[BaseException] = []
    for mod in ("gui.dialogs.unit_edit", "gui.dialogs.unit_merge", "gui.dialogs.unit_deactivate",
                "gui.pages.units"):
        monkeypatch.setattr(f"{mod}.show_error", lambda _p, e, *a: seen.append(e))
    return seen


def _names(page) -> list[str]:  # noqa: ANN001
    return [r.name for r in page.model.all_rows()]


def _by_code(db, code: str) -> U.UnitRow:  # noqa: ANN001
    return next(u for u in U.list_units(db, active_only=False) if u.code == code)


def test_search_and_filters(page) -> None:  # noqa: ANN001
    page.search.setText("so khoa hoc")
    page.search.flush()
    assert _names(page) == ["Sở Khoa học và Công nghệ"]
    page.search.setText("dai")
    page.search.flush()
    assert "Đài Phát thanh và Truyền hình tỉnh" in _names(page)
    page.search.setText("")
    page.search.flush()
    page.group.setCurrentIndex(page.group.findData("Cơ quan báo chí"))
    assert {r.group for r in page.model.all_rows()} == {"Cơ quan báo chí"}
    assert page.count.text() == f"{page.model.rowCount()} đơn vị"
    page.group.setCurrentIndex(0)
    page.model.sort(0, Qt.SortOrder.DescendingOrder)  # header click: re-queried in SQL
    codes = [r.code for r in page.model.all_rows()]
    assert codes == sorted(codes, reverse=True)


def test_add_unit_through_the_page(page, demo_db, errors) -> None:  # noqa: ANN001
    def fill() -> None:
        dlg = QApplication.activeModalWidget()
        try:
            dlg.code.setText("SDL")
            dlg.name.setText("Sở Du lịch")
            dlg.group.setCurrentText("Sở, ban, ngành")
            dlg.parent_group.setCurrentIndex(dlg.parent_group.findText("Các sở, ban, ngành, đoàn thể tỉnh"))
            dlg.email.setText("sdl@example.vn")
            dlg.active_from.setText("1/3/2026")
            dlg.buttons.button(SAVE).click()
        finally:
            if dlg.isVisible():
                dlg.reject()

    QTimer.singleShot(0, fill)
    page.add_unit()
    assert errors == []
    u = _by_code(demo_db, "SDL")
    assert (u.name, u.parent_name, u.active_from) == ("Sở Du lịch", "Các sở, ban, ngành, đoàn thể tỉnh",
                                                      date(2026, 3, 1))
    assert page.table.current_row().code == "SDL"


def test_invalid_input_keeps_the_dialog_open(qtbot, demo_db, errors) -> None:  # noqa: ANN001
    from gui.dialogs.unit_edit import UnitDialog

    dlg = UnitDialog(demo_db)
    qtbot.addWidget(dlg)
    dlg.code.setText("SNV")  # taken
    dlg.active_from.setText("31/2/2026")
    dlg.buttons.button(SAVE).click()
    assert errors and "Hoạt động từ" in str(errors[0])
    dlg.active_from.setText("")
    dlg.buttons.button(SAVE).click()
    assert "đã có đơn vị khác dùng" in str(errors[1].problems[0])
    assert dlg.saved is None and len(U.list_units(demo_db, active_only=False)) == 51


def test_edit_refuses_to_overwrite_a_concurrent_change(qtbot, demo_db, errors) -> None:  # noqa: ANN001
    from gui.dialogs.unit_edit import UnitDialog

    snv = _by_code(demo_db, "SNV")
    dlg = UnitDialog(demo_db, snv.id)
    qtbot.addWidget(dlg)
    dlg.contact.setText("Người của cửa sổ 1")
    # Another window saves first.
    U.update_unit(demo_db, snv.id, U.UnitData(code="SNV", name="Sở Nội vụ", group=snv.group,
                                              parent_id=snv.parent_id, contact_person="Cửa sổ 2"), snv.version)
    dlg.buttons.button(SAVE).click()
    assert isinstance(errors[0], ConcurrentEdit) and dlg.saved is None
    assert _by_code(demo_db, "SNV").contact_person == "Cửa sổ 2"


def test_group_members_edited_in_the_dialog(qtbot, demo_db, errors) -> None:  # noqa: ANN001
    from gui.dialogs.unit_edit import UnitDialog

    baodai = _by_code(demo_db, "BAODAI")
    dlg = UnitDialog(demo_db, baodai.id)
    qtbot.addWidget(dlg)
    assert not dlg.members_box.isHidden()
    items = {dlg.members.item(i).text().split(" — ")[0]: dlg.members.item(i) for i in range(dlg.members.count())}
    assert items["BHD"].checkState() == Qt.CheckState.Checked
    items["DPTTH"].setCheckState(Qt.CheckState.Unchecked)
    items["CTTDT"].setCheckState(Qt.CheckState.Checked)
    dlg.buttons.button(SAVE).click()
    assert errors == []
    assert {m.code for m in members(demo_db, baodai.id)} == {"BHD", "CTTDT"}


def test_merge_and_history_dialogs(qtbot, page, demo_db, errors) -> None:  # noqa: ANN001
    from gui.dialogs.history import HistoryDialog
    from gui.dialogs.unit_merge import MergeDialog

    stc, sct = _by_code(demo_db, "STC"), _by_code(demo_db, "SCT")
    dlg = MergeDialog(demo_db, stc.id)
    qtbot.addWidget(dlg)
    dlg.target.setCurrentIndex(dlg.target.findData(sct.id))
    dlg.on.setText("01-07-2026")
    dlg.move.setChecked(False)
    dlg.buttons.button(OK).click()
    assert errors == [] and dlg.result_ is not None
    merged = _by_code(demo_db, "STC")
    assert merged.merged_into_id == sct.id and merged.active_to == date(2026, 7, 1)
    # The receiving unit's task list shows the merged unit's tasks under its own name.
    page.refresh()
    page.search.setText("so cong thuong")
    page.search.flush()
    page.table.selectRow(0)
    assert "1 đơn vị đã sáp nhập" in page.detail_title.text()
    assert "Sở Tài chính" in {r.unit_name for r in page.tasks_model.all_rows()}
    hist = HistoryDialog(demo_db, "unit", stc.id, "STC")
    qtbot.addWidget(hist)
    texts = [hist.table.item(r, 2).text() + " " + hist.table.item(r, 3).text() for r in range(hist.table.rowCount())]
    assert any(t.startswith("Sáp nhập") and "Sáp nhập vào: (trống) → SCT" in t for t in texts), texts


def test_deactivate_dialog(qtbot, demo_db, errors) -> None:  # noqa: ANN001
    from gui.dialogs.unit_deactivate import DeactivateDialog

    snv = _by_code(demo_db, "SNV")
    dlg = DeactivateDialog(demo_db, snv.id)
    qtbot.addWidget(dlg)
    dlg.on.setText("30/6/2026")
    dlg.buttons.button(OK).click()
    assert errors == [] and _by_code(demo_db, "SNV").active_to == date(2026, 6, 30)


def test_export_escapes_formulas(page, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    U.create_unit(demo_db, U.UnitData(code="XSS", name="=HYPERLINK(\"http://x\",\"bấm\")",
                                      contact_person="+84 912", notes=""))
    page.search.setText("xss")
    page.search.flush()
    out = tmp_path / "don-vi.xlsx"
    page.table.export_to(str(out))
    ws = load_workbook(out).active
    header = [c.value for c in ws[3]]
    assert header[:3] == ["Mã", "Tên đơn vị", "Nhóm"] and ws["A3"].font.b
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref.startswith("A3")
    name, contact = ws["B4"], ws["E4"]
    assert name.value.startswith("=HYPERLINK") and name.data_type == "s" and name.quotePrefix
    assert contact.value.startswith("+84") and contact.data_type == "s"
