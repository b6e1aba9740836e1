"""Assignments (task × unit): progress, completion, result, deadline extensions, evidence
files; the filtered list with status classes, the task tree of a plan and the per-unit
summary. Status classes come from services.task_status, so every screen agrees.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from models import Assignment, Attachment, DirectiveDocument, Extension, Task, Unit
from models.db import Database
from models.plan import DONE, IN_PROGRESS, NOT_STARTED
from services import audit, task_status
from services.dates import format_date
from services.errors import NotFound, Problem, ValidationError
from services.locking import check_version
from services.plans import FileRow, TaskRow, _attach, list_tasks
from services.settings import get_int
from services.text import like_pattern, nfc


@dataclass(frozen=True)
class ExtensionRow:
    id: int
    new_due: date
    approver: str
    reason: str
    created_at: datetime | None


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    task_id: int
    task_code: str
    task_text: str
    section: str
    plan_id: int
    plan_title: str
    unit_id: int
    unit_code: str
    unit_name: str
    role: str
    via_unit_id: int | None
    via_unit_name: str
    progress: str
    completion_date: date | None
    result_text: str
    difficulties: str
    original_due: date | None
    effective_due: date | None
    recurring: bool
    extensions: tuple[ExtensionRow, ...]
    evidence_count: int
    status: str  # a services.task_status class key
    version: int

    @property
    def progress_label(self) -> str:
        return task_status.PROGRESS_LABELS.get(self.progress, self.progress)

    @property
    def status_label(self) -> str:
        return task_status.label(self.status)

    @property
    def status_color(self) -> str:
        return task_status.COLORS.get(self.status, "")

    @property
    def due_text(self) -> str:
        if self.effective_due is None:
            return "Thường xuyên"
        if self.effective_due != self.original_due:
            return f"{format_date(self.effective_due)} (gia hạn, hạn đầu {format_date(self.original_due)})"
        return format_date(self.effective_due)


@dataclass
class AssignmentFilter:
    plan_id: int | None = None
    unit_ids: list[int] | None = None  # e.g. services.unit_merge.history_unit_ids(db, B)
    statuses: set[str] | None = None
    overdue_only: bool = False  # open and late (task_status.OPEN_OVERDUE)
    query: str = ""  # task code/text or unit name, diacritics ignored
    progress: str | None = None


@dataclass(frozen=True)
class TaskNode:
    task: TaskRow
    assignments: tuple[AssignmentRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class UnitSummary:
    unit_id: int
    code: str
    name: str
    counts: dict[str, int]
    total: int
    overdue: int

    def __getattr__(self, key: str) -> int:  # lets table columns name a class key directly
        counts = self.__dict__.get("counts", {})
        if key in counts:
            return counts[key]
        raise AttributeError(key)


SORTS = ("task", "unit", "role", "progress", "completion_date", "due", "status", "section", "plan")


def _threshold(db: Database, due_soon_days: int | None) -> int:
    return get_int(db, "due_soon_days") if due_soon_days is None else due_soon_days


def _extensions(s: Session, ids: list[int]) -> dict[int, list[ExtensionRow]]:
    out: dict[int, list[ExtensionRow]] = {}
    for i in range(0, len(ids), 500):
        q = select(Extension).where(Extension.assignment_id.in_(ids[i:i + 500])).order_by(Extension.id)
        for e in s.scalars(q):
            out.setdefault(e.assignment_id, []).append(
                ExtensionRow(e.id, e.new_due, e.approver or "", e.reason or "", e.created_at))
    return out


def _classify_rows(s: Session, rows, today: date, soon: int) -> dict[int, str]:  # noqa: ANN001
    ext = _extensions(s, [r.id for r in rows])
    return {r.id: task_status.classify(
        r.progress, r.completion_date, r.due_date,
        task_status.effective_due(r.due_date, [e.new_due for e in ext.get(r.id, ())]),
        r.recurring, today, soon) for r in rows}


def search_assignments(db: Database, flt: AssignmentFilter, today: date, sort: str = "task",
                       descending: bool = False, due_soon_days: int | None = None) -> list[int]:
    """Ids of matching assignments, sorted in SQL (the status column is derived, so it is
    sorted in class order after classification)."""
    soon = _threshold(db, due_soon_days)
    unit = aliased(Unit)
    order = {
        "unit": unit.name, "role": Assignment.role, "progress": Assignment.progress,
        "completion_date": Assignment.completion_date, "due": Task.due_date, "section": Task.section,
        "plan": DirectiveDocument.title,
    }.get(sort)
    q = (select(Assignment.id, Assignment.progress, Assignment.completion_date, Task.due_date, Task.recurring)
         .join(Task, Task.id == Assignment.task_id).join(unit, unit.id == Assignment.unit_id)
         .join(DirectiveDocument, DirectiveDocument.id == Task.plan_id))
    if flt.plan_id is not None:
        q = q.where(Task.plan_id == flt.plan_id)
    if flt.unit_ids:
        q = q.where(or_(Assignment.unit_id.in_(flt.unit_ids), Assignment.via_unit_id.in_(flt.unit_ids)))
    if flt.progress:
        q = q.where(Assignment.progress == flt.progress)
    pattern = like_pattern(flt.query)
    if pattern:
        q = q.where(or_(Task.search_key.like(pattern, escape="\\"), unit.search_key.like(pattern, escape="\\")))
    tail = [Task.plan_id, Task.sort_order, Task.code, Assignment.id]
    if order is not None:
        q = q.order_by(order.desc() if descending else order.asc(), *tail)
    else:
        q = q.order_by(*[c.desc() for c in tail] if descending and sort == "task" else tail)
    with db.session() as s:
        rows = s.execute(q).all()
        classes = _classify_rows(s, rows, today, soon)
    wanted = set(flt.statuses) if flt.statuses else None
    if flt.overdue_only:
        wanted = (wanted & task_status.OPEN_OVERDUE) if wanted else set(task_status.OPEN_OVERDUE)
    ids = [r.id for r in rows if wanted is None or classes[r.id] in wanted]
    if sort == "status":
        rank = {k: i for i, k in enumerate(task_status.CLASSES)}
        ids.sort(key=lambda i: rank[classes[i]], reverse=descending)
    return ids


def get_assignments(db: Database, ids: list[int], today: date,
                    due_soon_days: int | None = None) -> list[AssignmentRow]:
    """Full rows for ids, in the same order."""
    soon = _threshold(db, due_soon_days)
    unit, via = aliased(Unit), aliased(Unit)
    with db.session() as s:
        q = (select(Assignment, Task, DirectiveDocument.title, unit.code, unit.name, via.name)
             .join(Task, Task.id == Assignment.task_id).join(unit, unit.id == Assignment.unit_id)
             .join(DirectiveDocument, DirectiveDocument.id == Task.plan_id)
             .outerjoin(via, via.id == Assignment.via_unit_id).where(Assignment.id.in_(ids)))
        found = s.execute(q).all()
        ext = _extensions(s, ids)
        files = dict(s.execute(select(Attachment.assignment_id, func.count()).where(
            Attachment.assignment_id.in_(ids)).group_by(Attachment.assignment_id)).all())
        out = {}
        for a, t, plan_title, ucode, uname, vname in found:
            exts = tuple(ext.get(a.id, ()))
            eff = task_status.effective_due(t.due_date, [e.new_due for e in exts])
            out[a.id] = AssignmentRow(
                id=a.id, task_id=t.id, task_code=t.code, task_text=t.text, section=t.section or "",
                plan_id=t.plan_id, plan_title=plan_title or "", unit_id=a.unit_id, unit_code=ucode,
                unit_name=uname, role=a.role or "", via_unit_id=a.via_unit_id, via_unit_name=vname or "",
                progress=a.progress, completion_date=a.completion_date, result_text=a.result_text or "",
                difficulties=a.difficulties or "", original_due=t.due_date, effective_due=eff,
                recurring=bool(t.recurring), extensions=exts, evidence_count=files.get(a.id, 0),
                status=task_status.classify(a.progress, a.completion_date, t.due_date, eff, bool(t.recurring),
                                            today, soon),
                version=a.version)
    return [out[i] for i in ids if i in out]


def get_assignment(db: Database, assignment_id: int, today: date | None = None) -> AssignmentRow:
    rows = get_assignments(db, [assignment_id], today or date.today())
    if not rows:
        raise NotFound("Không tìm thấy phần việc của đơn vị (có thể đã bị xóa).")
    return rows[0]


def update_progress(db: Database, assignment_id: int, progress: str, completion_date: date | None,
                    result_text: str, version: int, difficulties: str | None = None,
                    today: date | None = None) -> AssignmentRow:
    """Record a unit's progress. Done needs a completion date (not in the future); the date
    is cleared for work not done."""
    day = today or date.today()
    p: list[Problem] = []
    if progress not in (NOT_STARTED, IN_PROGRESS, DONE):
        p.append(Problem(f"Tiến độ '{progress}' không hợp lệ.", column="Tiến độ"))
    if progress == DONE and completion_date is None:
        p.append(Problem("Đã hoàn thành thì phải có ngày hoàn thành.", column="Ngày hoàn thành"))
    if completion_date and completion_date > day:
        p.append(Problem(f"Ngày hoàn thành {format_date(completion_date)} ở tương lai.", column="Ngày hoàn thành"))
    if p:
        raise ValidationError("Không lưu được tiến độ.", p)
    with db.session() as s:
        a = s.get(Assignment, assignment_id)
        if a is None:
            raise NotFound("Không tìm thấy phần việc của đơn vị.")
        check_version(a, version, "tiến độ nhiệm vụ của đơn vị")
        values = {"progress": progress, "completion_date": completion_date if progress == DONE else None,
                  "result_text": nfc(result_text), "source": f"user:{audit.current_user()}"}
        if difficulties is not None:
            values["difficulties"] = nfc(difficulties)
        audit.apply_changes(s, a, values)
    return get_assignment(db, assignment_id, day)


def add_extension(db: Database, assignment_id: int, new_due: date, approver: str, reason: str,
                  version: int) -> AssignmentRow:
    """Extend one unit's deadline. The task keeps its original date; the new date must be
    later than the current one; who approved and why are required."""
    with db.session() as s:
        a = s.get(Assignment, assignment_id)
        if a is None:
            raise NotFound("Không tìm thấy phần việc của đơn vị.")
        check_version(a, version, "tiến độ nhiệm vụ của đơn vị")
        current = task_status.effective_due(a.task.due_date, [e.new_due for e in a.extensions])
        p = []
        if current is None:
            p.append(Problem("Nhiệm vụ thường xuyên (không có thời hạn) thì không gia hạn.", column="Hạn mới"))
        elif new_due <= current:
            p.append(Problem(f"Hạn mới phải sau hạn hiện tại ({format_date(current)}).", column="Hạn mới"))
        if not nfc(approver):
            p.append(Problem("Chưa nhập người / cơ quan cho phép gia hạn.", column="Người duyệt"))
        if not nfc(reason):
            p.append(Problem("Chưa nhập lý do gia hạn.", column="Lý do"))
        if p:
            raise ValidationError("Không gia hạn được.", p)
        s.add(Extension(assignment_id=a.id, new_due=new_due, approver=nfc(approver), reason=nfc(reason)))
        a.updated_at = datetime.now()  # bumps the version: the form that was open is now stale
        s.flush()
        audit.record(s, "assignment", a.id, "extend", {"due": (current, new_due), "approver": (None, nfc(approver)),
                                                       "reason": (None, nfc(reason))})
    return get_assignment(db, assignment_id)


def add_evidence(db: Database, assignment_id: int, paths: list[str]) -> list[FileRow]:
    with db.session() as s:
        if s.get(Assignment, assignment_id) is None:
            raise NotFound("Không tìm thấy phần việc của đơn vị.")
        return _attach(s, db, assignment_id, "assignment", paths)


def list_evidence(db: Database, assignment_id: int) -> list[FileRow]:
    with db.session() as s:
        q = select(Attachment).where(Attachment.assignment_id == assignment_id).order_by(Attachment.id)
        return [FileRow(a.id, a.original_name, a.size, a.added_at) for a in s.scalars(q)]


def task_tree(db: Database, plan_id: int, today: date, due_soon_days: int | None = None) -> list[TaskNode]:
    """The plan's tasks in order, each with its assignments (the GUI groups them by section
    and by group unit)."""
    tasks = list_tasks(db, plan_id)
    ids = search_assignments(db, AssignmentFilter(plan_id=plan_id), today, due_soon_days=due_soon_days)
    by_task: dict[int, list[AssignmentRow]] = {}
    for r in get_assignments(db, ids, today, due_soon_days):
        by_task.setdefault(r.task_id, []).append(r)
    return [TaskNode(t, tuple(by_task.get(t.id, ()))) for t in tasks]


def unit_summary(db: Database, today: date, plan_id: int | None = None,
                 due_soon_days: int | None = None) -> list[UnitSummary]:
    """Per unit with assignments: the count of each class, in unit order."""
    counts = task_status.counts_by_unit(db, today, _threshold(db, due_soon_days), plan_id)
    with db.session() as s:
        units = s.execute(select(Unit.id, Unit.code, Unit.name).where(Unit.code.in_(list(counts)))
                          .order_by(Unit.sort_order, Unit.code)).all()
    return [UnitSummary(uid, code, name, counts[code], sum(counts[code].values()),
                        sum(counts[code][k] for k in task_status.OPEN_OVERDUE)) for uid, code, name in units]
