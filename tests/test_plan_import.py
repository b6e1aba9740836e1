"""Excel import of units / plan / tasks / progress: the template, a full round trip into an empty
database, and every kind of bad file (each problem named by sheet, row, column and reason;
nothing written while any error remains)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from models import Assignment, AuditLog, Task, Unit
from services import plan_template as T
from services.assignments import AssignmentFilter, get_assignments, search_assignments
from services.errors import ValidationError
from services.plan_import import apply_import, preview_import
from services.plans import list_documents

TODAY = date(2026, 12, 6)


def _template(tmp_path: Path, name: str = "mau.xlsx") -> Path:
    return T.write_template(tmp_path / name)


def _fill(path: Path, sheet: str, rows: list[list[object]], start: int = 2) -> Path:
    wb = load_workbook(path)
    ws = wb[sheet]
    for i, row in enumerate(rows, start=start):
        for j, v in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=v)
    wb.save(path)
    return path


def _plan(path: Path, title: str = "Kế hoạch nhập thử", symbol: str = "12/KH-UBND") -> Path:
    return _fill(path, T.PLAN_SHEET, [[None, symbol], [None, "Kế hoạch"], [None, "5/3/2025"], [None, "UBND tỉnh"],
                                      [None, title], [None, "2025-03"]], start=2)


def _count(db, model) -> int:  # noqa: ANN001
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _where(problems) -> set[tuple[str, int | None, str]]:  # noqa: ANN001
    return {(p.sheet, p.row, p.column.split(" ")[0]) for p in problems}


def test_template_has_instructions_headers_and_lists(tmp_path: Path) -> None:
    wb = load_workbook(_template(tmp_path))
    assert wb.sheetnames == [T.HELP_SHEET, T.PLAN_SHEET, T.UNIT_SHEET, T.TASK_SHEET, T.PROGRESS_SHEET]
    assert "thường xuyên" in " ".join(str(c.value) for c in wb[T.HELP_SHEET]["A"])
    ws = wb[T.TASK_SHEET]
    assert ws["B1"].value == "Mã nhiệm vụ *" and ws["B1"].font.b and ws.freeze_panes == "A2"
    assert any("chủ trì" in dv.formula1 for dv in ws.data_validations.dataValidation)


def test_round_trip_of_the_seed_plan_into_an_empty_database(demo_db, empty_db, tmp_path: Path) -> None:  # noqa: ANN001
    seed = next(d for d in list_documents(demo_db, plans_only=True) if d.task_count == 15)
    out = T.write_template(tmp_path / "kehoach.xlsx", demo_db, seed.id, TODAY)
    pre = preview_import(empty_db, out, today=TODAY)
    assert pre.ok, pre.problems
    assert (pre.count("Đơn vị", "Thêm"), pre.count("Nhiệm vụ", "Thêm"), pre.count("Kế hoạch", "Thêm")) == (51, 15, 1)
    assert _count(empty_db, Unit) == 0  # the preview wrote nothing
    apply_import(empty_db, out, today=TODAY)
    assert (_count(empty_db, Unit), _count(empty_db, Task)) == (51, 15)
    with empty_db.session() as s:
        sbn = s.scalar(select(Unit).where(Unit.code == "SBN"))
        assert sbn.is_group and s.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == sbn.id)) == 18
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.table_name == "unit")) >= 51
    rows = get_assignments(empty_db, search_assignments(empty_db, AssignmentFilter(query="IV.2.b"), TODAY), TODAY)
    assert {(r.unit_code, r.role) for r in rows} == {("SVHTTDL", "phối hợp"), ("SKHCN", "phối hợp"),
                                                      ("CQLQ", "phối hợp")}
    again = preview_import(empty_db, out, today=TODAY)
    assert again.summary() == "Không có gì thay đổi."


def test_dates_in_every_accepted_form(empty_db, tmp_path: Path) -> None:  # noqa: ANN001
    p = _plan(_template(tmp_path))
    _fill(p, T.UNIT_SHEET, [["snv", "Sở Nội vụ"], ["SCT", "Sở Công Thương", None, None, None, None, None, None,
                                                    None, None, "1/3/2025"]])
    _fill(p, T.TASK_SHEET, [[None, "1", "Việc một", "SNV", None, None, "18/2/2026"],
                            [None, "2", "Việc hai", "SNV", None, None, "18-02-2026"],
                            [None, "3", "Việc ba", "SNV", None, None, "2026-02-18"],
                            [None, "4", "Việc bốn", "SNV", None, None, 46071],
                            [None, "5", "Việc năm", "SNV", None, None, datetime(2026, 2, 18)],
                            [None, "6", "Việc sáu", "SNV", "thực hiện", "SCT", "Thường xuyên"]])
    _fill(p, T.PROGRESS_SHEET, [["1", "SNV", "Hoàn thành", "10/2/2026", "Đã xong"],
                                ["6", "SCT", "đang thực hiện", None, None]])
    pre = preview_import(empty_db, p, today=TODAY)
    assert pre.ok, [str(x) for x in pre.problems]
    apply_import(empty_db, p, today=TODAY)
    with empty_db.session() as s:
        dues = dict(s.execute(select(Task.code, Task.due_date)).all())
        assert {dues[c] for c in "12345"} == {date(2026, 2, 18)} and dues["6"] is None
        assert s.scalar(select(Task.recurring).where(Task.code == "6"))
        a = s.scalar(select(Assignment).join(Task).where(Task.code == "1"))
        assert (a.progress, a.completion_date, a.result_text) == ("xong", date(2026, 2, 10), "Đã xong")
        assert s.scalar(select(Unit.active_from).where(Unit.code == "SCT")) == date(2025, 3, 1)


def test_bad_file_reports_every_problem_and_writes_nothing(empty_db, tmp_path: Path) -> None:  # noqa: ANN001
    p = _plan(_template(tmp_path))
    _fill(p, T.UNIT_SHEET, [["SNV", "Sở Nội vụ", None, None, "KHONGCO"],
                            ["SNV", "Trùng mã"],
                            ["A B", "Mã có khoảng trắng"],
                            ["SCT", None, None, None, None, "có lẽ"],
                            ["STP", "Sở Tư pháp", None, None, None, None, None, None, None, "sai-email"]])
    _fill(p, T.TASK_SHEET, [[None, "1", "Việc", "SNV", None, "XYZ", "31/2/2026"],
                            [None, "1", "Trùng", "SNV", None, None, "1/1/2026"],
                            [None, "2", None, "ZZZ", "lãnh đạo", None, "ngày mai"],
                            [None, "3", "Thiếu hạn", None, None, None, None]])
    _fill(p, T.PROGRESS_SHEET, [["9", "SNV", "Hoàn thành", None, None],
                                ["3", "SNV", "xong rồi", "1/1/2030", None]])
    pre = preview_import(empty_db, p, today=TODAY)
    got = _where(pre.errors)
    expected = {
        ("Đơn vị", 2, "E"),  # unknown group code
        ("Đơn vị", 3, "A"),  # duplicate code
        ("Đơn vị", 4, "A"),  # invalid code
        ("Đơn vị", 5, "B"), ("Đơn vị", 5, "F"),  # empty name, bad flag
        ("Đơn vị", 6, "J"),  # bad e-mail
        ("Nhiệm vụ", 2, "F"), ("Nhiệm vụ", 2, "G"),  # unknown cooperating unit, 31/2
        ("Nhiệm vụ", 3, "B"),  # duplicate task code
        ("Nhiệm vụ", 4, "C"), ("Nhiệm vụ", 4, "D"), ("Nhiệm vụ", 4, "E"), ("Nhiệm vụ", 4, "G"),
        ("Nhiệm vụ", 5, "D"), ("Nhiệm vụ", 5, "G"),  # empty lead, empty due
        ("Tiến độ", 2, "A"),  # unknown task
        ("Tiến độ", 2, "D"),  # done without a date
        ("Tiến độ", 3, "C"), ("Tiến độ", 3, "D"),  # bad progress word, future date
    }
    assert expected <= got, sorted(expected - got)
    messages = " | ".join(str(x) for x in pre.errors)
    assert "trùng với dòng 2" in messages and "“KHONGCO”" in messages and "31/2/2026" in messages
    assert "trang 'Nhiệm vụ', dòng 4, cột D (Đơn vị chủ trì (mã))" in messages
    with pytest.raises(ValidationError) as e:
        apply_import(empty_db, p, today=TODAY)
    assert len(e.value.problems) == len(pre.errors)
    assert (_count(empty_db, Unit), _count(empty_db, Task), _count(empty_db, AuditLog)) == (0, 0, 0)


def test_wrong_headers_and_missing_sheets(empty_db, tmp_path: Path) -> None:  # noqa: ANN001
    p = _template(tmp_path)
    wb = load_workbook(p)
    wb[T.UNIT_SHEET]["B1"] = "Tên"
    wb[T.UNIT_SHEET]["A2"], wb[T.UNIT_SHEET]["B2"] = "SNV", "Sở Nội vụ"
    del wb[T.TASK_SHEET]
    wb.save(p)
    pre = preview_import(empty_db, p, today=TODAY)
    msgs = [str(x) for x in pre.errors]
    assert any("dòng 1, cột B (Tên đơn vị)" in m and "“Tên”" in m for m in msgs)
    assert any("Thiếu trang “Nhiệm vụ”" in m for m in msgs)
    assert pre.count("Đơn vị", "Thêm") == 0  # rows under a wrong header are not read


def test_changes_to_existing_rows_are_previewed(demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    seed = next(d for d in list_documents(demo_db, plans_only=True) if d.task_count == 15)
    out = T.write_template(tmp_path / "kh.xlsx", demo_db, seed.id, TODAY)
    wb = load_workbook(out)
    ws = wb[T.UNIT_SHEET]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "SNV")
    ws.cell(row, 8).value = "Nguyễn Văn A"
    ws = wb[T.TASK_SHEET]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "IV.3.a")
    ws.cell(row, 7).value = "30/6/2027"
    ws.append([None, "IV.8.a", "Nhiệm vụ mới", "STC", None, "SNV", "31/12/2027"])
    wb.save(out)
    pre = preview_import(demo_db, out, today=TODAY)
    assert pre.ok, pre.errors
    edited = {c.code: c for c in pre.changes if c.action == "Sửa"}
    assert "người liên hệ" in edited["SNV"].details and "Nguyễn Văn A" in edited["SNV"].details
    assert "thời hạn: “thường xuyên” → 30/06/2027" in edited["IV.3.a"].details
    assert pre.count("Nhiệm vụ", "Thêm") == 1 and pre.count("Kế hoạch", "Thêm") == 0
    apply_import(demo_db, out, today=TODAY)
    with demo_db.session() as s:
        assert s.scalar(select(Task.due_date).where(Task.code == "IV.3.a")) == date(2027, 6, 30)
        assert s.scalar(select(func.count()).select_from(Task).where(Task.plan_id == seed.id)) == 16


def test_not_an_excel_file_and_formulas(empty_db, tmp_path: Path) -> None:  # noqa: ANN001
    fake = tmp_path / "gia.xlsx"
    fake.write_text("đây không phải Excel", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        preview_import(empty_db, fake, today=TODAY)
    assert "không phải tệp Excel" in str(e.value)
    p = _plan(_template(tmp_path))
    _fill(p, T.UNIT_SHEET, [["SNV", "=CONCAT(\"Sở \",\"Nội vụ\")"]])
    pre = preview_import(empty_db, p, today=TODAY)
    assert any("công thức" in x.message and x.row == 2 for x in pre.errors)


def test_import_into_a_chosen_plan_ignores_the_plan_sheet(demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    demo_plan = next(d for d in list_documents(demo_db, plans_only=True) if d.symbol == "DEMO/KH-SKHCN")
    wb = Workbook()
    wb.active.title = T.UNIT_SHEET
    for j, c in enumerate(T.UNIT_COLS, start=1):
        wb.active.cell(1, j, c.header)
    ws = wb.create_sheet(T.TASK_SHEET)
    ws.append([c.header + (" *" if c.required else "") for c in T.TASK_COLS])
    ws.append([None, "DEMO.8", "Nhiệm vụ bổ sung", "SBN", "thực hiện", None, "15/1/2027"])
    p = tmp_path / "bo-sung.xlsx"
    wb.save(p)
    pre = preview_import(demo_db, p, plan_id=demo_plan.id, today=TODAY)
    assert pre.ok and pre.plan_label == demo_plan.title
    apply_import(demo_db, p, plan_id=demo_plan.id, today=TODAY)
    rows = get_assignments(demo_db, search_assignments(demo_db, AssignmentFilter(query="DEMO.8"), TODAY), TODAY)
    assert len(rows) == 17 and {r.via_unit_name for r in rows} == {"Các sở, ban, ngành, đoàn thể tỉnh"}
    assert "SKHCN" not in {r.unit_code for r in rows}  # the secretariat is not assigned through a group
