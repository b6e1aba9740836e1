"""Report forms on the demo database: export, fill as a unit would, import, and check the
database (registered reports, attachments, progress, values with their source, audit)."""
from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from forms_fill import edit, fill_form, rewrite_zip
from sqlalchemy import func, select

from models import (
    Assignment,
    Attachment,
    AuditLog,
    IncomingReport,
    Indicator,
    IndicatorValue,
    Task,
    Unit,
)
from services.errors import ConcurrentEdit
from services.filestore import sha256_of
from services.forms_commit import IMPORTED, commit_file, import_files
from services.forms_common import ACTIVITY, INFO, META, TASKS, TEXT
from services.forms_export import export_forms, form_units
from services.forms_import import NEEDS_MATCH, OK, REFUSED, UNCHANGED, ManualMatch, analyze_file

TODAY = date(2026, 12, 6)


def _counts(db) -> dict[str, object]:  # noqa: ANN001
    with db.session() as s:
        return {
            "incoming": s.scalar(select(func.count()).select_from(IncomingReport)),
            "attachments": s.scalar(select(func.count()).select_from(Attachment)),
            "values": s.scalar(select(func.count()).select_from(IndicatorValue)),
            "value_sum": s.scalar(select(func.sum(IndicatorValue.value))),
            "audit": s.scalar(select(func.count()).select_from(AuditLog)),
            "versions": s.scalar(select(func.sum(Assignment.version))),
        }


def set_modified(path: Path, when: datetime) -> None:
    """Pretend the file was saved at `when` (UTC), as Excel records it in docProps/core.xml."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode()
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(<)", rf"\g<1>{when:%Y-%m-%dT%H:%M:%SZ}\g<2>", core)
    tmp = path.with_name("tmp-" + path.name)
    rewrite_zip(path, tmp, patch={"docProps/core.xml": core.encode()})
    tmp.replace(path)


def test_round_trip_all_demo_units(demo_db, tmp_path: Path) -> None:
    """Every owing demo unit's monthly form, filled and imported: the province totals and
    each unit's task progress are exactly what the units wrote."""
    from services.aggregates import activity_totals

    owing = [u for u in form_units(demo_db, "2026-11") if u.owes]
    res = export_forms(demo_db, "2026-11", tmp_path / "out")
    assert {f.unit_code for f in res.forms} == {u.code for u in owing} and len(res.forms) == 32
    filled = {f.unit_code: fill_form(Path(f.path), i) for i, f in enumerate(res.forms)}

    batch = import_files(demo_db, [tmp_path / "out"], today=TODAY)
    assert [p.status for p in batch.previews] == [OK] * 32, [str(p.problems) for p in batch.previews]
    assert [o.status for o in batch.outcomes] == [IMPORTED] * 32

    totals = {t.name: t.value for t in activity_totals(demo_db, "2026-11")}
    for name in filled["SNV"].values:
        assert totals[name] == sum(f.values[name] for f in filled.values())
    with demo_db.session() as s:
        for f in res.forms:
            unit = s.scalars(select(Unit).where(Unit.code == f.unit_code)).one()
            rows = s.execute(select(Task.code, Assignment.progress, Assignment.source)
                             .join(Task, Task.id == Assignment.task_id).where(Assignment.unit_id == unit.id)).all()
            want = {"Hoàn thành": "xong", "Đang thực hiện": "dang", "Chưa thực hiện": "chua"}
            by_code = {code: (prog, src) for code, prog, src in rows}
            for code, label in filled[f.unit_code].progress.items():
                assert by_code[code][0] == want[label], (f.unit_code, code)
            rep = s.scalars(select(IncomingReport).where(IncomingReport.unit_id == unit.id,
                                                         IncomingReport.period == "2026-11")
                            .order_by(IncomingReport.id)).all()
            assert len(rep) == 1  # the form answers the report already registered: no duplicate
            assert rep[0].form_id == f.form_id and rep[0].summary.startswith("Tóm tắt của đơn vị")
            att = s.scalars(select(Attachment).where(Attachment.incoming_report_id == rep[0].id,
                                                     Attachment.sha256 == sha256_of(Path(f.path)))).all()
            assert len(att) == 1
            vals = s.scalars(select(IndicatorValue).where(IndicatorValue.unit_id == unit.id,
                                                          IndicatorValue.period == "2026-11")).all()
            assert {v.source for v in vals} == {f"report:{rep[0].id}"}
            assert {v.incoming_report_id for v in vals} == {rep[0].id}


def test_new_report_registered_with_form_and_received_date(demo_db, tmp_path: Path) -> None:
    """Nothing received yet for the annual report: a new incoming report, channel form,
    linked to the expected report, with the xlsx as its attachment and values on 2026-12."""
    res = export_forms(demo_db, "2026", tmp_path, ["SNV"])
    path = Path(res.forms[0].path)
    got = fill_form(path, 3)
    preview = analyze_file(demo_db, path, today=TODAY)
    assert preview.status == OK and preview.received_date == TODAY and preview.existing_report_id is None
    assert any(c.subject == "Báo cáo đến" for c in preview.changes)
    out = commit_file(demo_db, preview, received=date(2026, 12, 2))
    assert out.status == IMPORTED and out.new_report
    with demo_db.session() as s:
        rep = s.get(IncomingReport, out.incoming_id)
        assert (rep.channel, rep.period, rep.received_date) == ("form", "2026", date(2026, 12, 2))
        assert rep.expected_report_id is not None and rep.doc_date == date(2026, 11, 25)
        assert "Đề xuất, kiến nghị: Đề nghị tăng kinh phí tuyên truyền." in rep.summary
        assert s.scalar(select(func.count()).select_from(Attachment)
                        .where(Attachment.incoming_report_id == rep.id)) == 1
        ind = s.scalars(select(Indicator).where(Indicator.name == "Tin, bài tuyên truyền")).one()
        v = s.scalars(select(IndicatorValue).where(IndicatorValue.indicator_id == ind.id,
                                                   IndicatorValue.unit_id == rep.unit_id,
                                                   IndicatorValue.period == "2026-12")).one()
        assert v.value == got.values["Tin, bài tuyên truyền"] and v.source == f"report:{rep.id}"


def test_same_file_twice_changes_nothing(demo_db, tmp_path: Path) -> None:
    res = export_forms(demo_db, "2026-11", tmp_path / "forms", ["SNV", "BHD"])
    for i, f in enumerate(res.forms):
        fill_form(Path(f.path), i)
    first = import_files(demo_db, [tmp_path / "forms"], today=TODAY)
    assert all(o.status == IMPORTED for o in first.outcomes)
    before = _counts(demo_db)
    again = import_files(demo_db, [tmp_path / "forms"], today=TODAY)
    assert [p.status for p in again.previews] == [UNCHANGED, UNCHANGED]
    assert any("đã được nhập trước đây" in w.message for w in again.previews[0].warnings)
    assert again.outcomes == ()  # nothing was attempted
    assert _counts(demo_db) == before


def test_newer_version_replaces_values_and_audit_keeps_old(demo_db, tmp_path: Path) -> None:
    res = export_forms(demo_db, "2026", tmp_path, ["SNV"])
    path = Path(res.forms[0].path)
    fill_form(path, 1)
    set_modified(path, datetime(2026, 12, 1, 8, 0))
    old_copy = tmp_path / "old" / path.name
    old_copy.parent.mkdir()
    shutil.copy(path, old_copy)
    assert import_files(demo_db, [path], today=TODAY).outcomes[0].status == IMPORTED
    edit(path, {(ACTIVITY, "E5"): 999, (TASKS, "H5"): "Kết quả đã sửa"})
    set_modified(path, datetime(2026, 12, 3, 8, 0))
    preview = analyze_file(demo_db, path, today=TODAY)
    assert preview.status == OK and preview.existing_report_id is not None
    assert {(c.cell, c.new) for c in preview.changes} >= {("E5", "999"), ("H5", "Kết quả đã sửa")}
    out = commit_file(demo_db, preview)
    assert out.status == IMPORTED and not out.new_report and out.values == 1
    with demo_db.session() as s:
        v = s.scalars(select(IndicatorValue).where(IndicatorValue.period == "2026-12",
                                                   IndicatorValue.value == 999)).one()
        logs = [json.loads(a.changes) for a in s.scalars(select(AuditLog).where(
            AuditLog.table_name == "indicator_value", AuditLog.row_id == v.id).order_by(AuditLog.id))]
        assert logs[-1]["value"][1] == 999 and logs[-1]["value"][0] != 999  # old value kept
        assert s.scalar(select(func.count()).select_from(IncomingReport)
                        .where(IncomingReport.period == "2026", IncomingReport.unit_id == v.unit_id)) == 1
        assert s.scalar(select(func.count()).select_from(Attachment)
                        .where(Attachment.incoming_report_id == out.incoming_id)) == 2
    # The first version again: already imported, nothing happens.
    before = _counts(demo_db)
    assert analyze_file(demo_db, old_copy, today=TODAY).status == UNCHANGED
    # Another, older save arriving afterwards must not overwrite the newer figures.
    edit(old_copy, {(ACTIVITY, "E6"): 123})
    set_modified(old_copy, datetime(2026, 11, 30, 8, 0))
    late = analyze_file(demo_db, old_copy, today=TODAY)
    assert late.status == REFUSED and "cũ hơn bản đã nhập" in late.errors[0].message
    assert _counts(demo_db) == before


def test_dry_run_writes_nothing(demo_db, tmp_path: Path) -> None:
    res = export_forms(demo_db, "2026-11", tmp_path / "forms", ["SNV"])
    fill_form(Path(res.forms[0].path), 2)
    before = _counts(demo_db)
    batch = import_files(demo_db, [tmp_path / "forms"], dry_run=True, today=TODAY)
    assert batch.previews[0].status == OK and batch.previews[0].changes and batch.outcomes == ()
    assert _counts(demo_db) == before


def test_hidden_sheet_missing_then_matched_by_hand(demo_db, tmp_path: Path) -> None:
    res = export_forms(demo_db, "2026", tmp_path, ["SNV"])
    path = Path(res.forms[0].path)
    got = fill_form(path, 4)
    edit(path, {}, drop_sheet=META)
    first = analyze_file(demo_db, path, today=TODAY)
    assert first.status == NEEDS_MATCH and "ghép thủ công" in first.errors[0].message
    unit = next(u for u in form_units(demo_db, "2026") if u.code == "SNV")
    matched = analyze_file(demo_db, path, manual=ManualMatch(unit.unit_id, "2026"), today=TODAY)
    assert matched.status == OK and matched.manual and matched.unit_code == "SNV"
    assert any("không kiểm tra được" in w.message for w in matched.warnings)
    assert len(matched.task_writes) == len(got.progress)  # every row's result text is new
    out = commit_file(demo_db, matched)
    assert out.status == IMPORTED and out.values == 6


def test_edit_between_preview_and_commit_is_refused_whole(demo_db, tmp_path: Path) -> None:
    res = export_forms(demo_db, "2026", tmp_path, ["SNV"])
    path = Path(res.forms[0].path)
    fill_form(path, 5)
    preview = analyze_file(demo_db, path, today=TODAY)
    assert preview.status == OK and preview.task_writes
    with demo_db.session() as s:  # someone edits one of the tasks meanwhile
        a = s.get(Assignment, preview.task_writes[-1].assignment_id)
        a.result_text = "Sửa tay trong lúc chờ nhập"
    before = _counts(demo_db)
    with pytest.raises(ConcurrentEdit):
        commit_file(demo_db, preview)
    assert _counts(demo_db) == before  # not even the incoming report was kept


def test_two_files_of_one_unit_in_a_batch_newest_wins(demo_db, tmp_path: Path) -> None:
    a = Path(export_forms(demo_db, "2026", tmp_path / "forms" / "a", ["SNV"]).forms[0].path)
    b = Path(export_forms(demo_db, "2026", tmp_path / "forms" / "b", ["SNV"]).forms[0].path)
    fill_form(a, 1)
    fill_form(b, 2)
    set_modified(a, datetime(2026, 12, 1, 9, 0))
    set_modified(b, datetime(2026, 12, 2, 9, 0))
    batch = import_files(demo_db, [tmp_path / "forms"], today=TODAY)
    by_name = {p.path: p for p in batch.previews}
    assert by_name[str(b)].status == OK and by_name[str(a)].status == REFUSED
    assert "tệp lưu sau" in by_name[str(a)].errors[-1].message
    assert [o.status for o in batch.outcomes] == [IMPORTED]


def test_export_for_chosen_units_and_layout(demo_db, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    res = export_forms(demo_db, "2026-11", tmp_path, ["BHD"])
    wb = load_workbook(res.forms[0].path)
    assert wb.sheetnames == [INFO, TASKS, ACTIVITY, TEXT, META]
    assert wb[META].sheet_state == "veryHidden" and wb.security.lockStructure
    info, tasks, acts = wb[INFO], wb[TASKS], wb[ACTIVITY]
    assert "Báo Hải Dương" in info["C5"].value and "tháng 11 năm 2026" in info["C6"].value
    assert "17/11/2026" in info["C7"].value  # the last on-time day of "trước ngày 18"
    assert any("HƯỚNG DẪN" in str(c.value) for c in info["B"])
    for ws in (info, tasks, acts, wb[TEXT]):
        assert ws.protection.sheet
    assert tasks["C5"].protection.locked and not tasks["F5"].protection.locked
    assert not acts["E5"].protection.locked and acts["D5"].protection.locked
    kinds = {dv.type: str(dv.sqref) for dv in tasks.data_validations.dataValidation}
    assert set(kinds) == {"list", "date"} and kinds["list"].startswith("F5")
    whole = acts.data_validations.dataValidation[0]
    assert (whole.type, whole.operator, whole.formula1) == ("whole", "greaterThanOrEqual", "0")
    with demo_db.session() as s:  # last period's value is shown beside the input cell
        unit = s.scalars(select(Unit).where(Unit.code == "BHD")).one()
        ind = s.scalars(select(Indicator).where(Indicator.name == acts["B5"].value)).one()
        prev = s.scalars(select(IndicatorValue.value).where(IndicatorValue.indicator_id == ind.id,
                                                            IndicatorValue.unit_id == unit.id,
                                                            IndicatorValue.period == "2026-10")).one()
    assert acts["D5"].value == prev


def test_untouched_form_changes_nothing(demo_db, tmp_path: Path) -> None:
    """A form sent back exactly as exported (pre-filled with the current values) for a unit
    that already reported: nothing to change, and the earlier received date is kept."""
    res = export_forms(demo_db, "2026-10", tmp_path, ["SNV"])
    preview = analyze_file(demo_db, res.forms[0].path, today=TODAY)
    assert preview.existing_report_id is not None
    assert preview.received_date < TODAY - timedelta(days=10)
    assert (preview.status, preview.changes, preview.errors) == (UNCHANGED, (), [])


def test_write_racing_the_commit_is_caught_by_the_version(demo_db, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Even past the version check, the UPDATE itself carries the version: a write that
    slips in between refuses the whole file."""
    import services.forms_commit as fc

    res = export_forms(demo_db, "2026", tmp_path / "forms", ["SNV"])
    path = Path(res.forms[0].path)
    fill_form(path, 6)
    preview = analyze_file(demo_db, path, today=TODAY)
    with demo_db.session() as s:
        s.get(Assignment, preview.task_writes[0].assignment_id).difficulties = "Sửa tay"
    monkeypatch.setattr(fc, "check_version", lambda *a, **k: None)  # pretend the race came later
    before = _counts(demo_db)
    with pytest.raises(ConcurrentEdit):
        commit_file(demo_db, preview)
    assert _counts(demo_db) == before


def test_cancel_stops_between_files(demo_db, tmp_path: Path) -> None:
    from services.errors import Cancelled
    from services.forms_commit import analyze_files, commit_all

    res = export_forms(demo_db, "2026", tmp_path / "forms", ["SNV", "BHD", "STC"])
    for i, f in enumerate(res.forms):
        fill_form(Path(f.path), i)
    with pytest.raises(Cancelled):
        analyze_files(demo_db, [tmp_path / "forms"], cancelled=lambda: True, today=TODAY)
    previews = analyze_files(demo_db, [tmp_path / "forms"], today=TODAY)
    calls = iter([False, True])  # stop after the first file
    outcomes, stopped = commit_all(demo_db, previews, cancelled=lambda: next(calls, True))
    assert stopped and [o.status for o in outcomes] == [IMPORTED]
    with demo_db.session() as s:  # the first file is complete, the others untouched
        assert s.scalar(select(func.count()).select_from(IncomingReport)
                        .where(IncomingReport.period == "2026")) == 1


def _calc_available() -> bool:
    import shutil as sh

    return sh.which("soffice") is not None and Path("/usr/lib/libreoffice/program/libscdlo.so").exists()


@pytest.mark.skipif(not _calc_available(), reason="LibreOffice Calc is not installed")
def test_form_saved_again_by_libreoffice_still_imports(demo_db, tmp_path: Path) -> None:
    """A unit that fills the form in LibreOffice Calc: the re-saved file keeps its hidden
    sheet, its checksum and its locked cells."""
    import subprocess

    res = export_forms(demo_db, "2026", tmp_path / "forms", ["SNV"])
    got = fill_form(Path(res.forms[0].path), 8)
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), res.forms[0].path],
                   check=True, capture_output=True, timeout=180)
    resaved = out / Path(res.forms[0].path).name
    preview = analyze_file(demo_db, resaved, today=TODAY)
    assert preview.status == OK and preview.errors == []
    values = {c.subject: c.new for c in preview.changes if c.sheet == ACTIVITY}
    assert values == {name: str(v) for name, v in got.values.items()}
