"""Plans, tasks and assignments: create from an empty database, group expansion, editing the
units of a task, progress, extensions (original date kept), evidence files, locking, audit."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from services import assignments as A
from services import plans as P
from services import task_status as ts
from services import units as U
from services.audit import history
from services.errors import ConcurrentEdit, Conflict, ValidationError
from services.unit_merge import set_members

TODAY = date(2026, 5, 20)


@pytest.fixture()
def base(empty_db):  # noqa: ANN001, ANN201
    """Three units, a group of two of them, one plan."""
    mk = lambda code, name, **kw: U.create_unit(empty_db, U.UnitData(code=code, name=name, **kw), today=TODAY)  # noqa: E731
    skhcn, snv, sct = mk("SKHCN", "Sở Khoa học và Công nghệ"), mk("SNV", "Sở Nội vụ"), mk("SCT", "Sở Công Thương")
    group = mk("SBN", "Các sở, ban, ngành", is_group=True, owes_reports=False)
    set_members(empty_db, group.id, [snv.id, sct.id], group.version, today=TODAY)
    plan = P.create_document(empty_db, P.DocumentData(title="Kế hoạch thử", symbol="01/KH-UBND",
                                                      doc_date=date(2026, 1, 5), issuer="UBND tỉnh"))
    return empty_db, {"SKHCN": skhcn.id, "SNV": snv.id, "SCT": sct.id, "SBN": group.id}, plan


def test_document_with_file_and_validation(base, tmp_path: Path) -> None:  # noqa: ANN001
    db, _u, plan = base
    f = tmp_path / "kế hoạch.pdf"
    f.write_bytes(b"%PDF-1.4 test")
    doc = P.create_document(db, P.DocumentData(title="Nghị quyết 57", symbol="57-NQ/TW", is_plan=False,
                                               doc_type="Nghị quyết"), files=[str(f)])
    assert doc.files[0].name == "kế hoạch.pdf"
    assert P.attachment_path(db, doc.files[0].id).read_bytes() == b"%PDF-1.4 test"
    assert [d.id for d in P.list_documents(db, plans_only=True)] == [plan.id]
    assert [d.symbol for d in P.list_documents(db, query="nghi quyet")] == ["57-NQ/TW"]
    with pytest.raises(ValidationError) as e:
        P.create_document(db, P.DocumentData(title=" ", start_period="2025-3"))
    assert {p.column for p in e.value.problems} == {"Trích yếu", "Bắt đầu theo dõi"}
    with pytest.raises(ConcurrentEdit):
        P.update_document(db, plan.id, P.DocumentData(title="x"), plan.version - 1)


def test_task_to_a_group_is_one_assignment_per_member(base) -> None:  # noqa: ANN001
    db, u, plan = base
    t = P.create_task(db, P.TaskData(plan_id=plan.id, code="IV.1.c", text="Chủ trì, phối hợp…",
                                     recurring=True, lead_unit_id=u["SKHCN"], cooperating_ids=[u["SBN"]]))
    assert t.section == "IV.1" and t.lead_unit_id == u["SKHCN"] and t.cooperating_ids == (u["SBN"],)
    assert t.units_text == "SKHCN (chủ trì); phối hợp: SBN" and t.due_text == "Thường xuyên"
    node = A.task_tree(db, plan.id, TODAY)[0]
    assert sorted((r.unit_code, r.role, r.via_unit_name) for r in node.assignments) == [
        ("SCT", "phối hợp", "Các sở, ban, ngành"), ("SKHCN", "chủ trì", ""),
        ("SNV", "phối hợp", "Các sở, ban, ngành")]
    assert {r.status for r in node.assignments} == {ts.THUONG_XUYEN}


def test_task_validation_lists_every_problem(base) -> None:  # noqa: ANN001
    db, u, plan = base
    P.create_task(db, P.TaskData(plan_id=plan.id, code="1", text="a", due_date=TODAY, lead_unit_id=u["SNV"]))
    with pytest.raises(ValidationError) as e:
        P.create_task(db, P.TaskData(plan_id=plan.id, code="1", text="", lead_unit_id=None, lead_role="xyz"))
    assert {p.column for p in e.value.problems} == {"Mã nhiệm vụ", "Nội dung", "Thời hạn", "Đơn vị chủ trì",
                                                     "Vai trò"}


def test_edit_task_units_keeps_worked_rows(base) -> None:  # noqa: ANN001
    db, u, plan = base
    t = P.create_task(db, P.TaskData(plan_id=plan.id, code="2", text="Việc", due_date=date(2026, 6, 30),
                                     lead_unit_id=u["SNV"], cooperating_ids=[u["SCT"]]))
    sct = next(r for r in A.task_tree(db, plan.id, TODAY)[0].assignments if r.unit_code == "SCT")
    A.update_progress(db, sct.id, "dang", None, "Đang làm", sct.version, today=TODAY)
    with pytest.raises(Conflict):  # SCT has recorded work: it cannot be dropped silently
        P.update_task(db, t.id, P.TaskData(plan_id=plan.id, code="2", text="Việc", due_date=date(2026, 6, 30),
                                           lead_unit_id=u["SNV"]), t.version)
    t2 = P.update_task(db, t.id, P.TaskData(plan_id=plan.id, code="2", text="Việc sửa", due_date=date(2026, 7, 31),
                                            lead_unit_id=u["SCT"], lead_role="thực hiện",
                                            cooperating_ids=[u["SKHCN"]]), t.version)
    assert (t2.lead_unit_id, t2.lead_role, t2.cooperating_ids) == (u["SCT"], "thực hiện", (u["SKHCN"],))
    rows = {r.unit_code: r for r in A.task_tree(db, plan.id, TODAY)[0].assignments}
    assert set(rows) == {"SCT", "SKHCN"} and rows["SCT"].result_text == "Đang làm"
    with pytest.raises(ConcurrentEdit):
        P.update_task(db, t.id, P.TaskData(plan_id=plan.id, code="2", text="x", recurring=True,
                                           lead_unit_id=u["SNV"]), t.version)
    with db.session() as s:
        assert [h["action"] for h in history(s, "task", t.id)] == ["insert", "update"]


def test_progress_extension_and_classes(base) -> None:  # noqa: ANN001
    db, u, plan = base
    due = TODAY - timedelta(days=5)
    P.create_task(db, P.TaskData(plan_id=plan.id, code="3", text="Có hạn", due_date=due, lead_unit_id=u["SNV"]))
    a = A.task_tree(db, plan.id, TODAY)[0].assignments[0]
    assert a.status == ts.CHUA_QUA_HAN
    with pytest.raises(ValidationError) as e:
        A.update_progress(db, a.id, "xong", None, "", a.version, today=TODAY)
    assert e.value.problems[0].column == "Ngày hoàn thành"
    with pytest.raises(ValidationError):
        A.add_extension(db, a.id, due - timedelta(days=1), "", "", a.version)
    ext = A.add_extension(db, a.id, TODAY + timedelta(days=30), "Phó Chủ tịch UBND tỉnh", "Chờ kinh phí", a.version)
    ext = A.get_assignment(db, a.id, TODAY)
    assert ext.original_due == due and ext.effective_due == TODAY + timedelta(days=30)
    assert ext.status == ts.CHUA_TRONG_HAN and "gia hạn" in ext.due_text
    with pytest.raises(ConcurrentEdit):  # a form opened before the extension is stale
        A.update_progress(db, a.id, "dang", None, "", a.version, today=TODAY)
    done = A.update_progress(db, a.id, "xong", TODAY, "Đã xong", ext.version, today=TODAY)
    assert done.status == ts.XONG_DUNG_HAN and done.progress_label == "Hoàn thành"
    assert ts.late_vs_original(done.progress, done.completion_date, done.original_due, TODAY)
    with pytest.raises(ValidationError):  # future completion
        A.update_progress(db, a.id, "xong", TODAY + timedelta(days=1), "", done.version, today=TODAY)
    with db.session() as s:
        actions = [h["action"] for h in history(s, "assignment", a.id)]
    assert actions == ["insert", "extend", "update"]


def test_evidence_files_and_filters(base, tmp_path: Path) -> None:  # noqa: ANN001
    db, u, plan = base
    P.create_task(db, P.TaskData(plan_id=plan.id, code="4", text="Hạn hôm nay", due_date=TODAY,
                                 lead_unit_id=u["SNV"], cooperating_ids=[u["SCT"]]))
    P.create_task(db, P.TaskData(plan_id=plan.id, code="5", text="Quá hạn", due_date=TODAY - timedelta(days=1),
                                 lead_unit_id=u["SNV"]))
    rows = {(r.task_code, r.unit_code): r for n in A.task_tree(db, plan.id, TODAY) for r in n.assignments}
    a = rows[("4", "SNV")]
    f = tmp_path / "minh chứng.docx"
    f.write_bytes(b"evidence")
    A.add_evidence(db, a.id, [str(f)])
    ev = A.list_evidence(db, a.id)
    assert [e.name for e in ev] == ["minh chứng.docx"] and A.get_assignment(db, a.id, TODAY).evidence_count == 1
    P.remove_attachment(db, ev[0].id)
    assert A.list_evidence(db, a.id) == []
    late = A.search_assignments(db, A.AssignmentFilter(plan_id=plan.id, overdue_only=True), TODAY)
    assert late == [rows[("5", "SNV")].id]
    soon = A.search_assignments(db, A.AssignmentFilter(statuses={ts.SAP_DEN_HAN}), TODAY)
    assert set(soon) == {rows[("4", "SNV")].id, rows[("4", "SCT")].id}
    by_unit = A.search_assignments(db, A.AssignmentFilter(unit_ids=[u["SCT"]]), TODAY)
    assert by_unit == [rows[("4", "SCT")].id]
    assert A.search_assignments(db, A.AssignmentFilter(query="qua han"), TODAY) == [rows[("5", "SNV")].id]
    by_status = A.get_assignments(db, A.search_assignments(db, A.AssignmentFilter(), TODAY, sort="status"), TODAY)
    assert [r.status for r in by_status] == [ts.CHUA_QUA_HAN, ts.SAP_DEN_HAN, ts.SAP_DEN_HAN]
    summary = {s.code: s for s in A.unit_summary(db, TODAY)}
    assert summary["SNV"].total == 2 and summary["SNV"].overdue == 1 and summary["SNV"].chua_qua_han == 1
    with db.session() as s:
        assert [h["action"] for h in history(s, "assignment", a.id)][-2:] == ["attach", "detach"]


def test_delete_task_only_without_work(base) -> None:  # noqa: ANN001
    db, u, plan = base
    t = P.create_task(db, P.TaskData(plan_id=plan.id, code="6", text="x", recurring=True, lead_unit_id=u["SNV"]))
    a = A.task_tree(db, plan.id, TODAY)[0].assignments[0]
    A.update_progress(db, a.id, "dang", None, "", a.version, today=TODAY)
    with pytest.raises(Conflict):
        P.delete_task(db, t.id, t.version)
    t7 = P.create_task(db, P.TaskData(plan_id=plan.id, code="7", text="y", recurring=True, lead_unit_id=u["SNV"]))
    P.delete_task(db, t7.id, t7.version)
    assert [x.code for x in P.list_tasks(db, plan.id)] == ["6"]
    with pytest.raises(Conflict):
        P.delete_document(db, plan.id, P.get_document(db, plan.id).version)
