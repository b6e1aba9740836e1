"""The form dialogs driven for real (pytest-qt): export from the dialog, drop a folder on
the import dialog, read the preview, change the received date, match a file by hand,
import, cancel — and check the files and the database afterwards."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from forms_fill import edit, fill_form
from PySide6.QtCore import QDate, QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import select

from gui.bus import EventBus
from gui.context import AppContext
from gui.tasks import TaskRunner
from models import IncomingReport, Unit
from services.forms_common import ACTIVITY, META
from services.forms_export import export_forms
from services.forms_import import NEEDS_MATCH, OK, REFUSED


@pytest.fixture()
def ctx(demo_db, qtbot):  # noqa: ANN001, ANN201
    return AppContext(demo_db, EventBus(), TaskRunner())


def _click_row(qtbot, table, row: int) -> None:  # noqa: ANN001
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _report(db, code: str, period: str) -> IncomingReport | None:  # noqa: ANN001
    with db.session() as s:
        unit = s.scalars(select(Unit).where(Unit.code == code)).one()
        return s.scalars(select(IncomingReport).where(IncomingReport.unit_id == unit.id,
                                                      IncomingReport.period == period)).first()


def test_export_dialog_writes_chosen_units(ctx, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from gui.dialogs.forms_export import FormsExportDialog

    dlg = FormsExportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.period.setCurrentIndex(dlg.period.findData("2026"))
    assert dlg.period_label.text() == "năm 2026" and dlg.chosen.text() == "Đã chọn 32/32 đơn vị"
    qtbot.mouseClick(next(b for b in dlg.findChildren(type(dlg.create)) if b.text() == "&Bỏ chọn"),
                     Qt.MouseButton.LeftButton)
    assert not dlg.create.isEnabled()
    codes = [r.code for r in dlg.model.all_rows()]
    for code in ("SNV", "BHD"):
        _click_row(qtbot, dlg.table, codes.index(code))
    assert sorted(dlg.chosen_codes()) == ["BHD", "SNV"]
    dlg.folder.setText(str(tmp_path))
    qtbot.mouseClick(dlg.create, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None or dlg.error is not None, timeout=20000)
    assert dlg.error is None
    files = sorted(p.name for p in (tmp_path / "2026").glob("*.xlsx"))
    assert files == ["bieu-mau_2026_BHD.xlsx", "bieu-mau_2026_SNV.xlsx"]
    assert "Đã tạo 2 biểu mẫu năm 2026" in dlg.status.text() and dlg.open_folder.isEnabled()


def _drop(dlg, paths: list[Path]) -> None:  # noqa: ANN001
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    dlg.dropEvent(event)


def _wait_idle(qtbot, dlg) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not dlg.busy, timeout=30000)


def test_import_dialog_preview_received_date_and_import(ctx, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from gui.dialogs.forms_import import FormsImportDialog

    res = export_forms(ctx.db, "2026", tmp_path / "forms", ["SNV", "STC"])
    for i, f in enumerate(res.forms):
        fill_form(Path(f.path), i)
    stc = next(Path(f.path) for f in res.forms if f.unit_code == "STC")
    edit(stc, {(ACTIVITY, "E6"): -2, (ACTIVITY, "E7"): "=E5*2"})
    published: list[str] = []
    ctx.bus.changed.connect(lambda topic, _p: published.append(topic))

    dlg = FormsImportDialog(ctx)
    qtbot.addWidget(dlg)
    _drop(dlg, [tmp_path / "forms"])
    _wait_idle(qtbot, dlg)
    rows = {r.unit: r for r in dlg.files_model.all_rows()}
    assert (rows["SNV"].status, rows["STC"].status) == (OK, REFUSED) and rows["STC"].errors == 2
    assert "1 sẵn sàng nhập" in dlg.status.text() and "1 bị từ chối" in dlg.status.text()

    dlg.files.selectRow(rows["STC"].id)
    problems = dlg.problems_model.all_rows()
    assert [(p.level, p.sheet, p.cell) for p in problems] == [("Lỗi", ACTIVITY, "E6"), ("Lỗi", ACTIVITY, "E7")]
    assert "công thức (=E5*2)" in problems[1].message and not dlg.received_edit.isEnabled()

    dlg.files.selectRow(rows["SNV"].id)
    changes = dlg.changes_model.all_rows()
    assert changes[0].subject == "Báo cáo đến" and any(c.sheet == ACTIVITY and c.cell == "E5" for c in changes)
    assert dlg.received_edit.isEnabled() and dlg.received_edit.date() == QDate.currentDate()
    dlg.received_edit.setDate(QDate(2026, 12, 3))
    assert dlg.files_model.all_rows()[rows["SNV"].id].received == date(2026, 12, 3)
    assert dlg.do_import.text() == "&Nhập 1 tệp"
    qtbot.mouseClick(dlg.do_import, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.outcomes) and not dlg.busy, timeout=30000)

    rep = _report(ctx.db, "SNV", "2026")
    assert rep is not None and rep.received_date == date(2026, 12, 3) and rep.channel == "form"
    assert _report(ctx.db, "STC", "2026") is None  # the refused file wrote nothing
    assert {"reports", "tasks", "indicators"} <= set(published)
    assert "Đã nhập 1 tệp" in dlg.status.text()
    statuses = {r.unit: r.status_label for r in dlg.files_model.all_rows()}
    assert statuses["SNV"] == "Không có thay đổi"  # re-checked after the import


def test_hand_matching_a_form_without_hidden_sheet(ctx, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from gui.dialogs.forms_import import FormsImportDialog
    from gui.dialogs.forms_preview import HandMatchDialog

    path = Path(export_forms(ctx.db, "2026", tmp_path / "forms", ["BHD"]).forms[0].path)
    fill_form(path, 7)
    edit(path, {}, drop_sheet=META)
    dlg = FormsImportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.add_paths([str(path)])
    _wait_idle(qtbot, dlg)
    assert dlg.files_model.all_rows()[0].status == NEEDS_MATCH
    dlg.files.selectRow(0)
    assert dlg.hand_match.isEnabled() and not dlg.do_import.isEnabled()

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, HandMatchDialog)
        box.unit.setCurrentIndex(box.unit.findText("BHD", Qt.MatchFlag.MatchStartsWith))
        box.period.setText("2026")
        box.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(50, answer)
    qtbot.mouseClick(dlg.hand_match, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, dlg)
    row = dlg.files_model.all_rows()[0]
    assert (row.status, row.unit, row.period) == (OK, "BHD", "2026")
    assert any("ghép thủ công" in p.message for p in dlg.problems_model.all_rows())
    qtbot.mouseClick(dlg.do_import, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dlg.outcomes) and not dlg.busy, timeout=30000)
    rep = _report(ctx.db, "BHD", "2026")
    assert rep is not None and rep.form_id == ""  # matched by hand: no form id to record


def test_cancelling_the_check_leaves_nothing(ctx, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from gui.dialogs.forms_import import FormsImportDialog

    res = export_forms(ctx.db, "2026", tmp_path / "forms")
    dlg = FormsImportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.add_paths([str(tmp_path / "forms")])
    dlg.task.cancel()
    _wait_idle(qtbot, dlg)
    assert len(res.forms) == 32 and dlg.previews == []
    assert "Đã hủy kiểm tra" in dlg.status.text() and not dlg.do_import.isEnabled()
