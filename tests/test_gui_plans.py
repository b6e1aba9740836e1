"""Kế hoạch & nhiệm vụ page and its dialogs driven with pytest-qt: from an empty database build
units, a plan and tasks in the GUI, record progress and an extension, see the classes in the
tree, the follow-up list and the summary; Excel import through the preview dialog."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from gui.main_window import MainWindow
from gui.pages.plan_tree import ASSIGNMENT, GROUP, TASK
from services import assignments as A
from services import plan_template as T
from services import task_status as ts
from services import units as U
from services.errors import ConcurrentEdit
from services.plans import list_documents, list_tasks

SAVE = QDialogButtonBox.StandardButton.Save
OK = QDialogButtonBox.StandardButton.Ok
TODAY = date(2026, 12, 6)


def _window(qtbot, db, tmp_path: Path, monkeypatch) -> MainWindow:  # noqa: ANN001
    monkeypatch.setenv("SECDESK_TODAY", TODAY.isoformat())
    win = MainWindow(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture()
def errors(monkeypatch):  # noqa: ANN001, ANN201
    seen: list[BaseException] = []
    for mod in ("gui.dialogs.unit_edit", "gui.dialogs.plan_document", "gui.dialogs.task_edit",
                "gui.dialogs.assignment_edit", "gui.dialogs.plan_import", "gui.pages.plans"):
        monkeypatch.setattr(f"{mod}.show_error", lambda _p, e, *a: seen.append(e))
    return seen


def _modal(action, fill) -> None:  # noqa: ANN001
    """Run `action` (which opens a modal dialog) and let `fill` drive the dialog."""
    def run() -> None:
        dlg = QApplication.activeModalWidget()
        try:
            fill(dlg)
        finally:
            if dlg is not None and dlg.isVisible():
                dlg.reject()

    QTimer.singleShot(0, run)
    action()


def _tree_items(page) -> list:  # noqa: ANN001
    return list(page.tree._walk())


def test_rebuild_a_plan_from_an_empty_database(qtbot, empty_db, tmp_path: Path, monkeypatch, errors) -> None:  # noqa: ANN001
    win = _window(qtbot, empty_db, tmp_path, monkeypatch)
    units_page = win.show_page_key("units")

    def unit(code: str, name: str, group: bool = False, parent: str = "") -> None:
        def fill(dlg) -> None:  # noqa: ANN001
            dlg.code.setText(code)
            dlg.name.setText(name)
            dlg.is_group.setChecked(group)
            if parent:
                dlg.parent_group.setCurrentIndex(dlg.parent_group.findText(parent))
            dlg.buttons.button(SAVE).click()
        _modal(units_page.add_unit, fill)

    unit("SKHCN", "Sở Khoa học và Công nghệ")
    unit("SBN", "Các sở, ban, ngành, đoàn thể tỉnh", group=True)
    unit("SNV", "Sở Nội vụ", parent="Các sở, ban, ngành, đoàn thể tỉnh")
    unit("SCT", "Sở Công Thương", parent="Các sở, ban, ngành, đoàn thể tỉnh")
    assert errors == [] and units_page.model.rowCount() == 4

    page = win.show_page_key("plans")

    def plan(dlg) -> None:  # noqa: ANN001
        dlg.symbol.setText("45/KH-UBND")
        dlg.doc_date.setText("5/3/2025")
        dlg.issuer.setText("UBND tỉnh")
        dlg.title_edit.setPlainText("Tuyên truyền thực hiện Nghị quyết số 57-NQ/TW")
        dlg.buttons.button(SAVE).click()

    _modal(page.add_document, plan)
    assert errors == [] and page.current_document().symbol == "45/KH-UBND"

    def task(code: str, text: str, due: str, lead: str, coop: set[str], recurring: bool = False) -> None:
        def fill(dlg) -> None:  # noqa: ANN001
            dlg.code.setText(code)
            dlg.text.setPlainText(text)
            dlg.due.setText(due)
            dlg.recurring.setChecked(recurring)
            dlg.lead.setCurrentIndex(dlg.lead.findText(lead, Qt.MatchFlag.MatchStartsWith))
            ids = {u.id for u in U.list_units(empty_db) if u.code in coop}
            dlg.set_cooperating(ids)
            dlg.buttons.button(SAVE).click()
        _modal(page.add_task, fill)

    task("IV.1.c", "Chủ trì, phối hợp với các sở, ban, ngành…", "", "SKHCN", {"SBN"}, recurring=True)
    task("IV.2.a", "Báo cáo sơ kết", "10/12/2026", "SNV", set())
    task("IV.2.b", "Số hóa hồ sơ", "2026-11-30", "SCT", {"SNV"})
    assert errors == []
    plan_id = page.current_document().id
    assert [t.code for t in list_tasks(empty_db, plan_id)] == ["IV.1.c", "IV.2.a", "IV.2.b"]
    items = _tree_items(page)
    groups = [i for i in items if i.data(0, Qt.ItemDataRole.UserRole) == GROUP]
    assert len(groups) == 1 and groups[0].childCount() == 2  # SNV and SCT under the group
    assert {i.text(0) for i in items if i.text(0).startswith("Mục")} == {"Mục IV.1", "Mục IV.2"}

    # Record progress of SNV on IV.2.a through the assignment dialog.
    snv_a = next(r for r in A.task_tree(empty_db, plan_id, TODAY)[1].assignments if r.unit_code == "SNV")
    assert snv_a.status == ts.SAP_DEN_HAN
    page.tree.select(ASSIGNMENT, snv_a.id)

    def progress(dlg) -> None:  # noqa: ANN001
        dlg.progress.setCurrentIndex(dlg.progress.findData("xong"))
        dlg.completion.setText("5/12/2026")
        dlg.result.setPlainText("Đã có báo cáo số 12/BC-SNV")
        dlg.buttons.button(SAVE).click()

    _modal(page.open_current_assignment, progress)
    assert errors == []
    done = A.get_assignment(empty_db, snv_a.id, TODAY)
    assert (done.progress, done.completion_date, done.status) == ("xong", date(2026, 12, 5), ts.XONG_DUNG_HAN)
    iv2a = next(i for i in _tree_items(page) if i.text(0).startswith("IV.2.a"))
    assert (iv2a.child(0).text(0), iv2a.child(0).text(3), iv2a.child(0).text(4)) == (
        "Sở Nội vụ", "Hoàn thành", "Hoàn thành đúng hạn")
    late = [i for i in _tree_items(page) if i.text(4) == "Chưa thực hiện (quá hạn)"]
    assert len(late) == 2  # IV.2.b: SCT and SNV, due 30/11
    # Summary tab counts per unit.
    page.tabs.setCurrentWidget(page.summary)
    rows = {r.code: r for r in page.summary.model.all_rows()}
    assert rows["SNV"].xong_dung_han == 1 and rows["SNV"].chua_qua_han == 1 and rows["SKHCN"].thuong_xuyen == 1


def test_assignment_dialog_extension_evidence_and_locking(qtbot, demo_db, tmp_path: Path, errors) -> None:  # noqa: ANN001
    from gui.dialogs.assignment_edit import AssignmentDialog

    ids = A.search_assignments(demo_db, A.AssignmentFilter(query="DEMO.7"), TODAY)
    a = A.get_assignment(demo_db, ids[0], TODAY)
    assert a.status == ts.CHUA_QUA_HAN
    dlg = AssignmentDialog(demo_db, a.id)
    qtbot.addWidget(dlg)
    assert "Chưa thực hiện (quá hạn)" in dlg.status.text()

    def extension(ext) -> None:  # noqa: ANN001
        ext.new_due.setText("31/1/2027")
        ext.approver.setText("Giám đốc Sở")
        ext.reason.setPlainText("Chờ số liệu của các đơn vị")
        ext.buttons.button(OK).click()

    _modal(dlg.extend, extension)
    assert errors == []
    assert "Đang thực hiện" not in dlg.status.text() and "gia hạn" in dlg.status.text()
    f = tmp_path / "minh chứng.pdf"
    f.write_bytes(b"%PDF")
    dlg.add_files([str(f)])
    assert dlg.evidence.count() == 1
    dlg.progress.setCurrentIndex(dlg.progress.findData("dang"))
    dlg.result.setPlainText("Đang thu thập dữ liệu")
    dlg.buttons.button(SAVE).click()  # the extension was this form's own change: saving works
    assert errors == []
    row = A.get_assignment(demo_db, a.id, TODAY)
    assert (row.status, row.original_due, row.effective_due) == (ts.DANG_TRONG_HAN, a.original_due, date(2027, 1, 31))
    assert row.evidence_count == 1

    stale = AssignmentDialog(demo_db, a.id)
    qtbot.addWidget(stale)
    A.update_progress(demo_db, a.id, "xong", TODAY, "Xong (cửa sổ khác)", row.version, today=TODAY)
    stale.result.setPlainText("Ghi đè?")
    stale.buttons.button(SAVE).click()
    assert isinstance(errors[-1], ConcurrentEdit)
    assert A.get_assignment(demo_db, a.id, TODAY).result_text == "Xong (cửa sổ khác)"


def test_progress_filters_and_summary(qtbot, demo_db, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path, monkeypatch)
    page = win.show_page_key("plans")
    demo = next(d for d in list_documents(demo_db, plans_only=True) if d.symbol == "DEMO/KH-SKHCN")
    page.select_document(demo.id)
    panel = page.progress
    page.tabs.setCurrentWidget(panel)
    assert panel.model.rowCount() == 10
    panel.overdue.setChecked(True)
    assert {(r.task_code, r.unit_code) for r in panel.model.all_rows()} == {
        ("DEMO.4", "SNV"), ("DEMO.4", "VPUBND"), ("DEMO.7", "SKHCN")}
    panel.overdue.setChecked(False)
    panel.status.setCurrentIndex(panel.status.findData(ts.SAP_DEN_HAN))
    assert [r.task_code for r in panel.model.all_rows()] == ["DEMO.5"]
    panel.status.setCurrentIndex(0)
    snv = next(u for u in U.list_units(demo_db) if u.code == "SNV")
    panel.unit.setCurrentIndex(panel.unit.findData(snv.id))
    assert {r.task_code for r in panel.model.all_rows()} == {"DEMO.2", "DEMO.4"}
    panel.unit.setCurrentIndex(0)
    panel.model.sort(6, Qt.SortOrder.AscendingOrder)  # status column, class order
    assert panel.model.row(0).status == ts.XONG_DUNG_HAN
    # The "sắp đến hạn" threshold is a setting changed from the summary tab.
    page.summary.days.setValue(3)
    page.summary.days.editingFinished.emit()
    panel.status.setCurrentIndex(panel.status.findData(ts.SAP_DEN_HAN))
    assert panel.model.rowCount() == 0  # DEMO.5 is 5 days away
    rows = {r.code: r for r in page.summary.model.all_rows()}
    assert rows["SVHTTDL"].chua_trong_han == 1 and rows["SVHTTDL"].sap_den_han == 0
    # The tree shows the classes with their colour.
    items = [i for i in _tree_items(page) if i.data(0, Qt.ItemDataRole.UserRole) == TASK]
    late = next(i for i in items if i.text(0).startswith("DEMO.7"))
    assert late.text(4) == "Chưa thực hiện (quá hạn)"
    assert late.background(4).color().name() == ts.COLORS[ts.CHUA_QUA_HAN]


def test_import_dialog_preview_then_import(qtbot, empty_db, demo_db, tmp_path: Path, errors) -> None:  # noqa: ANN001
    from gui.dialogs.plan_import import ImportDialog

    win = MainWindow(empty_db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    bad = T.write_template(tmp_path / "loi.xlsx")
    wb = load_workbook(bad)
    wb[T.UNIT_SHEET].append(["SNV", None])
    wb[T.TASK_SHEET].append([None, "1", "Việc", "KHONGCO", None, None, "31/2/2026"])
    wb.save(bad)
    dlg = ImportDialog(win.ctx, None, win)
    qtbot.addWidget(dlg)
    dlg.load(str(bad))
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=10000)
    assert not dlg.btn_import.isEnabled()
    cells = {(dlg.problems.item(r, 0).text(), dlg.problems.item(r, 1).text(), dlg.problems.item(r, 2).text()[:1])
             for r in range(dlg.problems.rowCount())}
    assert {("Đơn vị", "2", "B"), ("Nhiệm vụ", "2", "D"), ("Nhiệm vụ", "2", "G")} <= cells
    assert "lỗi" in dlg.summary.text()

    seed = next(d for d in list_documents(demo_db, plans_only=True) if d.task_count == 15)
    good = T.write_template(tmp_path / "kehoach.xlsx", demo_db, seed.id, TODAY)
    dlg.load(str(good))
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=10000)
    assert dlg.btn_import.isEnabled() and dlg.changes.rowCount() > 60
    dlg.btn_import.click()
    qtbot.waitUntil(lambda: dlg.imported is not None, timeout=20000)
    assert errors == []
    assert len(U.list_units(empty_db, active_only=False)) == 51
    plans = list_documents(empty_db, plans_only=True)
    assert len(plans) == 1 and plans[0].task_count == 15
