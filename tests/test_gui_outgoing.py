"""Văn bản đi page and the report / reminder dialogs driven like an officer would: fill the
widgets, click, wait for the background work, then check the database and the files."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor
from sqlalchemy import select

from models import ReminderLog, ReportDraft
from services import outgoing
from services import report_drafts as rd

TIMEOUT = 60_000
DAY = date(2026, 12, 6)  # the demo's "today"


@pytest.fixture()
def window(qtbot, demo_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("SECDESK_TODAY", "2026-12-06")
    from gui.main_window import MainWindow

    win = MainWindow(demo_db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win.show()
    qtbot.waitExposed(win)
    yield win
    # Background loads must end first: closing a busy window asks "Vẫn thoát?" (modal).
    qtbot.waitUntil(lambda: not win.runner.busy, timeout=TIMEOUT)
    win.close()
    win.deleteLater()


@pytest.fixture()
def previews(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The in-app print preview is modal: record what would be previewed instead."""
    import gui.doc_actions

    seen: list[Path] = []
    monkeypatch.setattr(gui.doc_actions, "preview", lambda path, parent=None: seen.append(Path(path)))
    return seen


def _report_dialog(qtbot, window):  # noqa: ANN001, ANN202
    from gui.dialogs.report_dialog import ReportDialog

    page = window.show_page_key("outgoing")
    dlg = ReportDialog(window.ctx, page)
    dlg.generated.connect(lambda g: page.select_document(g.id))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.waitUntil(lambda: dlg._loaded_period == "2026-11", timeout=TIMEOUT)
    return page, dlg


def test_report_from_the_dialog(qtbot, window, demo_db, previews) -> None:  # noqa: ANN001
    page, dlg = _report_dialog(qtbot, window)
    assert dlg.picker.period() == "2026-11"  # last month by default
    assert dlg.subject.text().endswith("tháng 11 năm 2026")
    assert "Số dự kiến: 01/BC-SKHCN" in dlg.number.text()
    assert "UBND huyện Gia Lộc" in dlg.editors["II"].toPlainText()  # prefilled from the data
    ed = dlg.editors["II"]
    ed.setPlainText("Một số đơn vị gửi báo cáo chậm.")
    ed.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(ed, " OK")  # typed by the officer
    qtbot.mouseClick(dlg.formats["xlsx"], Qt.MouseButton.LeftButton)
    assert not dlg.formats["xlsx"].isChecked()
    qtbot.mouseClick(dlg.btn_generate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=TIMEOUT)

    rows = outgoing.list_documents(demo_db)
    assert [(r.symbol, r.kind, r.period) for r in rows] == [("01/BC-SKHCN", "report", "2026-11")]
    assert [Path(f).suffix for f in rows[0].files] == [".docx", ".pdf"]
    with demo_db.session() as s:
        draft = s.scalars(select(ReportDraft).where(ReportDraft.section == "II")).one()
        assert draft.text == "Một số đơn vị gửi báo cáo chậm. OK" and draft.version == 1
    paras = [p.text for p in Document(str(dlg.result.file("docx"))).paragraphs]
    assert "Một số đơn vị gửi báo cáo chậm. OK" in paras
    assert "01/BC-SKHCN" in dlg.done_bar.label.text() and dlg.done_bar.isVisible()
    assert "02/BC-SKHCN" in dlg.number.text()

    qtbot.mouseClick(dlg.done_bar.btn_preview, Qt.MouseButton.LeftButton)
    assert previews == [dlg.result.file("pdf")]
    # The page heard about the new document and selected it; preview and print from there too.
    assert page.model.rowCount() == 1 and page.current().symbol == "01/BC-SKHCN"
    qtbot.mouseClick(page.btn_preview, Qt.MouseButton.LeftButton)
    assert previews[-1].name == "01-BC-SKHCN_2026-11.pdf"


def test_cancel_takes_no_number(qtbot, window, demo_db) -> None:  # noqa: ANN001
    _page, dlg = _report_dialog(qtbot, window)
    qtbot.mouseClick(dlg.btn_generate, Qt.MouseButton.LeftButton)
    dlg.task.cancel()  # the progress dialog's "Hủy"
    qtbot.waitUntil(lambda: dlg.task is None, timeout=TIMEOUT)
    assert dlg.result is None and dlg.status.text().startswith("Đã hủy")
    assert outgoing.list_documents(demo_db) == []


def test_draft_edited_elsewhere_is_not_overwritten(qtbot, window, demo_db, monkeypatch) -> None:  # noqa: ANN001
    import gui.dialogs.report_dialog as module

    errors: list[BaseException] = []
    monkeypatch.setattr(module, "show_error", lambda parent, e, title="": errors.append(e))
    _page, dlg = _report_dialog(qtbot, window)
    rd.save_draft(demo_db, "2026-11", "III", "Văn bản của người khác.", 0)  # another window saves first
    qtbot.keyClicks(dlg.editors["III"], "x")
    qtbot.mouseClick(dlg.btn_save, Qt.MouseButton.LeftButton)
    assert errors and "người khác" in str(errors[0])
    assert rd.saved_drafts(demo_db, "2026-11")["III"].text == "Văn bản của người khác."


def test_period_change_reloads(qtbot, window) -> None:  # noqa: ANN001
    _page, dlg = _report_dialog(qtbot, window)
    dlg.picker.kind.setCurrentIndex(dlg.picker.kind.findData("half"))
    qtbot.waitUntil(lambda: dlg._loaded_period == "2026-H1", timeout=TIMEOUT)
    assert dlg.subject.text().endswith("6 tháng đầu năm 2026")
    assert "THÁNG" not in dlg.editors["II"].toPlainText()


def test_reminder_dialog(qtbot, window, demo_db, previews) -> None:  # noqa: ANN001
    from gui.dialogs.reminder_dialog import ReminderDialog

    page = window.show_page_key("outgoing")
    dlg = ReminderDialog(window.ctx, page)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    names = [dlg.units.item(i).text().split(" — ")[0] for i in range(dlg.units.count())]
    assert names == ["Hội Cựu chiến binh tỉnh", "UBND huyện Gia Lộc", "UBND huyện Ninh Giang"]
    assert dlg.deadline.date().toString("dd/MM/yyyy") == "09/12/2026"
    dlg.units.item(0).setCheckState(Qt.CheckState.Unchecked)  # not the unit that was only late
    qtbot.mouseClick(dlg.formats["docx"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.btn_generate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=TIMEOUT)

    row = outgoing.list_documents(demo_db)[0]
    assert (row.symbol, row.recipients) == ("01/SKHCN-QLKH", "UBND huyện Gia Lộc; UBND huyện Ninh Giang")
    assert [Path(f).suffix for f in row.files] == [".pdf"]
    with demo_db.session() as s:
        logs = s.scalars(select(ReminderLog)).all()
        assert sorted(x.unit_id for x in logs) == [45, 48] and {x.channel for x in logs} == {"công văn"}
    qtbot.mouseClick(dlg.done_bar.btn_preview, Qt.MouseButton.LeftButton)
    assert previews == [dlg.result.file("pdf")]


def test_regenerate_and_missing_pdf_from_the_page(qtbot, window, demo_db, previews, monkeypatch) -> None:  # noqa: ANN001
    import gui.pages.outgoing as module
    from services.consolidated_report import generate_report

    g = generate_report(demo_db, "2026-10", ["docx"], date(2026, 11, 1))
    page = window.show_page_key("outgoing")
    window.bus.publish("documents", [g.id])
    assert page.current().symbol == "01/BC-SKHCN" and page.btn_regen.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(module, "confirm", lambda parent, text, title="": asked.append(text) or True)
    qtbot.mouseClick(page.btn_preview, Qt.MouseButton.LeftButton)  # no PDF yet: offered, then made
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=TIMEOUT)
    assert "chưa có bản PDF" in asked[0] and previews[0].suffix == ".pdf"
    row = outgoing.get_document(demo_db, g.id)
    assert row.symbol == "01/BC-SKHCN" and [Path(f).suffix for f in row.files] == [".docx", ".pdf"]
    assert len(outgoing.list_documents(demo_db)) == 1

    qtbot.mouseClick(page.btn_regen, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: outgoing.get_document(demo_db, g.id).version > row.version, timeout=TIMEOUT)
    assert "giữ nguyên số" in asked[1]


def test_page_filters_and_shortcut(qtbot, window, demo_db, monkeypatch) -> None:  # noqa: ANN001
    from gui.dialogs import report_dialog
    from services.consolidated_report import generate_report
    from services.reminder_letter import generate_reminder

    generate_report(demo_db, "2026-11", ["pdf"], DAY)
    generate_reminder(demo_db, "2026-11", ["pdf"], DAY)
    page = window.show_page_key("outgoing")
    page.refresh()
    assert page.model.rowCount() == 2
    page.kind.setCurrentIndex(page.kind.findData("reminder"))
    assert [r.symbol for r in page.model.all_rows()] == ["01/SKHCN-QLKH"]
    page.kind.setCurrentIndex(0)
    page.search.setText("ninh giang")  # diacritics not needed; finds the letter by an addressee
    page.search.flush()
    assert [r.symbol for r in page.model.all_rows()] == ["01/SKHCN-QLKH"]
    page.search.setText("")
    page.search.flush()
    opened: list[str] = []
    monkeypatch.setattr(report_dialog.ReportDialog, "exec", lambda self: opened.append(self.windowTitle()) or 0)
    window.page("incoming")  # its own Ctrl+R (Đôn đốc) must not make the shortcut ambiguous
    window.show_page_key("outgoing")
    window.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert opened == ["Báo cáo tổng hợp"]
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=TIMEOUT)  # the dialog's draft load
