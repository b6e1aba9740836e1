"""The Báo cáo đến page and its dialogs driven with pytest-qt: registering a report with an
attachment (picked and dropped), editing, excusing, filters and search."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox
from sqlalchemy import select

from gui.dialogs.excuse import ExcuseDialog
from gui.dialogs.incoming_report import IncomingDialog, to_qdate
from gui.main_window import MainWindow
from models import Attachment, ExpectedReport, IncomingReport, Unit
from services import incoming, tracking
from services.filestore import stored_path

TODAY = date(2026, 12, 6)


@pytest.fixture(autouse=True)
def boxes(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Fixed "today"; message boxes are recorded instead of blocking the test. A test that
    expects one empties the list; any other box fails the test at teardown."""
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


def _unit(db, code: str) -> int:  # noqa: ANN001
    with db.session() as s:
        return s.scalar(select(Unit.id).where(Unit.code == code))


def _drop(widget, paths: list[Path]) -> None:  # noqa: ANN001
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(QPoint(5, 5)), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def _save(qtbot, dlg: IncomingDialog) -> None:  # noqa: ANN001
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result() == QDialog.DialogCode.Accepted, timeout=10000)


def test_register_with_a_dropped_attachment(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    page = win.show_page_key("incoming")
    page.show_filtered(month_key="2026-11", status="chua_nop")
    assert page.expected_model.rowCount() == 2
    page.expected_table.selectRow(0)
    row = page.expected_table.current_row()
    pdf = tmp_path / "BC tháng 11 - Gia Lộc.pdf"
    pdf.write_bytes(b"%PDF-1.4 bao cao thang 11")
    dlg = IncomingDialog(page.ctx, page, unit_id=row.unit_id, period=row.period,
                         report_type_id=row.report_type_id, today=TODAY)
    qtbot.addWidget(dlg)
    assert dlg.expected.currentData() == row.id
    _drop(dlg.files, [pdf])
    assert dlg.new_files() == [str(pdf)]
    qtbot.keyClicks(dlg.doc_number, "125/BC-UBND")
    dlg.doc_date.setDate(to_qdate(date(2026, 12, 4)))
    dlg.received.setDate(to_qdate(date(2026, 12, 5)))
    assert "trễ hạn 18 ngày" in dlg.status.text()
    dlg.summary.setPlainText("Kết quả tuyên truyền tháng 11")  # QTest types ASCII only
    _save(qtbot, dlg)
    with demo_db.session() as s:
        rep = s.scalar(select(IncomingReport).where(IncomingReport.doc_number == "125/BC-UBND"))
        assert rep.expected_report_id == row.id and rep.received_date == date(2026, 12, 5)
        assert rep.doc_date == date(2026, 12, 4) and rep.summary == "Kết quả tuyên truyền tháng 11"
        att = s.scalar(select(Attachment).where(Attachment.incoming_report_id == rep.id))
    assert att.original_name == pdf.name
    assert stored_path(demo_db, att.sha256, att.original_name).read_bytes() == pdf.read_bytes()
    # The page heard the bus: one fewer missing, the row now says late.
    assert page.expected_model.rowCount() == 1
    page.show_filtered(month_key="2026-11", status="tre_han")
    assert "Trễ hạn 18 ngày" in {r.status_text for r in page.expected_model.all_rows()}


def test_same_file_twice_is_flagged(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    f = tmp_path / "a.docx"
    f.write_bytes(b"noi dung")
    gl = _unit(demo_db, "UBND-GL")
    incoming.register(demo_db, incoming.NewIncoming(unit_id=gl, period="2026-11", doc_number="01/BC", files=[str(f)]))
    copy = tmp_path / "b.docx"
    copy.write_bytes(f.read_bytes())
    win = _window(qtbot, demo_db, tmp_path)
    dlg = IncomingDialog(win.ctx, win, unit_id=_unit(demo_db, "UBND-NG"), files=[str(copy)], today=TODAY)
    qtbot.addWidget(dlg)
    text = dlg.files.item(0).text()
    assert "trùng nội dung" in text and "01/BC" in text and "UBND-GL" in text


def test_drop_on_the_page_opens_the_form_with_the_files(qtbot, demo_db, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    page = win.show_page_key("incoming")
    page.show_filtered(month_key="2026-11", status="chua_nop")
    page.expected_table.selectRow(1)
    row = page.expected_table.current_row()
    seen = {}

    def fake_exec(self: IncomingDialog) -> int:
        seen.update(files=self.new_files(), expected=self.expected.currentData(), unit=self.unit.currentData())
        return 0

    monkeypatch.setattr(IncomingDialog, "exec", fake_exec)
    f = tmp_path / "scan.pdf"
    f.write_bytes(b"%PDF scan")
    _drop(page, [f])
    assert seen == {"files": [str(f)], "expected": row.id, "unit": row.unit_id}


def test_edit_changes_status_and_refuses_a_stale_form(qtbot, demo_db, tmp_path: Path, boxes) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    late = tracking.rows(demo_db, tracking.ReportFilter(month_key="2026-11", status="tre_han"), TODAY)[0]
    dlg = IncomingDialog(win.ctx, win, incoming_id=late.incoming_id, today=TODAY)
    qtbot.addWidget(dlg)
    assert dlg.doc_number.text() == late.doc_number
    dlg.doc_date.setDate(to_qdate(date(2026, 11, 16)))
    dlg.received.setDate(to_qdate(date(2026, 11, 17)))  # the last on-time day itself
    assert "đúng hạn" in dlg.status.text()
    _save(qtbot, dlg)
    assert tracking.fetch(demo_db, [late.id], TODAY)[0].status == "dung_han"
    # A second form opened earlier is now stale: the save is refused and nothing changes.
    stale = IncomingDialog(win.ctx, win, incoming_id=late.incoming_id, today=TODAY)
    qtbot.addWidget(stale)
    d = incoming.get_incoming(demo_db, late.incoming_id)
    incoming.edit(demo_db, incoming.EditIncoming(d.id, d.version, d.unit_id, d.period, d.report_type_id,
                                                 "99/BC", d.doc_date, d.received_date, d.channel, d.summary))
    stale.summary.setPlainText("ghi đè")
    qtbot.mouseClick(stale.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(boxes), timeout=10000)
    assert "người khác" in boxes.pop()  # services.errors.ConcurrentEdit, worded for people
    assert incoming.get_incoming(demo_db, late.incoming_id).summary != "ghi đè"
    assert stale.result() != QDialog.DialogCode.Accepted


def test_excuse_from_the_page(qtbot, demo_db, tmp_path: Path, boxes) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    page = win.show_page_key("incoming")
    page.show_filtered(month_key="2026-11", status="chua_nop")
    page.expected_table.selectAll()
    rows = page.expected_table.selected_rows()
    dlg = ExcuseDialog(page.ctx, rows, page)
    qtbot.addWidget(dlg)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert "lý do" in boxes.pop().lower() and dlg.result() != QDialog.DialogCode.Accepted  # a reason is required
    dlg.reason.setPlainText("Đang sáp nhập đơn vị hành chính")  # QTest types ASCII only
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    with demo_db.session() as s:
        reasons = set(s.scalars(select(ExpectedReport.excuse_reason).where(ExpectedReport.excused)))
    assert reasons == {"Đang sáp nhập đơn vị hành chính"}
    assert page.expected_model.rowCount() == 0  # the "chưa nộp" filter is now empty
    assert "miễn 2" in page.summary.text() and "100%" in page.summary.text()


def test_filters_and_search(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    page = win.show_page_key("incoming")
    assert page.period.currentData() == "2026-11"  # the period being collected now
    assert page.expected_model.rowCount() == 32 and "<b>32</b> báo cáo phải nộp" in page.summary.text()
    page.tabs.setCurrentIndex(1)  # the register loads when shown
    assert page.incoming_model.rowCount() == 30 and "<b>30</b> báo cáo đã nhận" in page.summary.text()
    page.tabs.setCurrentIndex(0)
    page.group.setCurrentIndex(page.group.findData("Cơ quan báo chí"))
    assert page.expected_model.rowCount() == 2
    page.group.setCurrentIndex(0)
    page.tabs.setCurrentIndex(1)
    page.search.setText("phat song")  # no diacritics, inside summaries
    page.search.flush()
    rows = page.incoming_model.all_rows()
    assert rows and all("phát sóng" in r.summary for r in rows)
    page.search.setText("")
    page.search.flush()
    page.status.setCurrentIndex(page.status.findData("tre_han"))
    assert [r.unit_code for r in page.incoming_model.all_rows()] == ["HCCB"]
    export = tmp_path / "so.xlsx"
    page.incoming_table.export_to(str(export))
    from openpyxl import load_workbook

    ws = load_workbook(export).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Hội Cựu chiến binh tỉnh" in values
