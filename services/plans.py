"""Directive documents (plans are documents with tasks), their attached files, and tasks.

A task's units are kept as assignments (services/assignments.py tracks their progress):
the lead unit with its role (chủ trì / thực hiện / chỉ đạo — or phối hợp when the plan
only asks it to cooperate) first, then the cooperating units. A task given to a group
unit ("Các sở, ban, ngành") becomes one assignment per active member, remembering the
group (Assignment.via_unit_id); the secretariat itself is not assigned through a group.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Agency, Assignment, Attachment, DirectiveDocument, Extension, Task, Unit
from models.db import Database
from models.plan import NOT_STARTED
from services import audit
from services.errors import Conflict, NotFound, Problem, ValidationError
from services.filestore import attachment_path, store_file  # noqa: F401 - re-exported
from services.locking import check_version
from services.text import like_pattern, nfc, search_key

ROLES: tuple[str, ...] = ("chủ trì", "thực hiện", "chỉ đạo", "phối hợp")
LEAD_ROLES = ROLES[:3]
COOPERATE = "phối hợp"
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class FileRow:
    id: int
    name: str
    size: int
    added_at: datetime | None


@dataclass(frozen=True)
class DocumentRow:
    id: int
    symbol: str
    doc_type: str
    doc_date: date | None
    issuer: str
    title: str
    is_plan: bool
    start_period: str
    notes: str
    version: int
    task_count: int
    files: tuple[FileRow, ...] = ()

    @property
    def label(self) -> str:
        head = " ".join(p for p in (self.doc_type, self.symbol) if p)
        return f"{head}: {self.title}" if head else self.title


@dataclass
class DocumentData:
    title: str
    symbol: str = ""
    doc_type: str = "Kế hoạch"
    doc_date: date | None = None
    issuer: str = ""
    is_plan: bool = True
    start_period: str = ""  # first month followed, "2025-03"
    notes: str = ""


@dataclass(frozen=True)
class TaskRow:
    id: int
    plan_id: int
    code: str
    section: str
    text: str
    due_date: date | None
    recurring: bool
    sort_order: int
    version: int
    lead_unit_id: int | None
    lead_role: str
    cooperating_ids: tuple[int, ...]
    units_text: str  # "SKHCN (chủ trì); phối hợp: BTGTU, SBN"

    @property
    def due_text(self) -> str:
        if self.due_date:
            return self.due_date.strftime("%d/%m/%Y") + (" (thường xuyên)" if self.recurring else "")
        return "Thường xuyên" if self.recurring else "Không thời hạn"


@dataclass
class TaskData:
    plan_id: int
    code: str
    text: str
    section: str = ""  # empty: from the code ("IV.1.a" → "IV.1")
    due_date: date | None = None
    recurring: bool = False
    lead_unit_id: int | None = None
    lead_role: str = "chủ trì"
    cooperating_ids: list[int] = field(default_factory=list)
    sort_order: int | None = None


def section_of(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else ""


# ---- documents --------------------------------------------------------------------------
def _files(s: Session, document_ids: list[int]) -> dict[int, list[FileRow]]:
    out: dict[int, list[FileRow]] = {}
    q = select(Attachment).where(Attachment.document_id.in_(document_ids)).order_by(Attachment.id)
    for a in s.scalars(q):
        out.setdefault(a.document_id, []).append(FileRow(a.id, a.original_name, a.size, a.added_at))
    return out


DOC_SORTS = ("symbol", "doc_type", "doc_date", "issuer", "title", "task_count")


def list_documents(db: Database, plans_only: bool = False, query: str = "", sort: str = "",
                   descending: bool = False) -> list[DocumentRow]:
    """Documents, newest first (undated ones last) unless `sort` names a column (sorted in SQL);
    plans_only keeps the plans."""
    with db.session() as s:
        q = select(DirectiveDocument)
        if plans_only:
            q = q.where(DirectiveDocument.is_plan)
        pattern = like_pattern(query)
        if pattern:
            q = q.where(DirectiveDocument.search_key.like(pattern, escape="\\"))
        if sort in DOC_SORTS:
            n_tasks = select(func.count(Task.id)).where(Task.plan_id == DirectiveDocument.id).scalar_subquery()
            col = n_tasks if sort == "task_count" else getattr(DirectiveDocument, sort)
            q = q.order_by(col.desc() if descending else col.asc(), DirectiveDocument.id)
        else:
            q = q.order_by(DirectiveDocument.doc_date.is_(None), DirectiveDocument.doc_date.desc(),
                           DirectiveDocument.id.desc())
        docs = s.scalars(q).all()
        counts = dict(s.execute(select(Task.plan_id, func.count()).group_by(Task.plan_id)).all())
        files = _files(s, [d.id for d in docs])
        return [DocumentRow(d.id, d.symbol or "", d.doc_type or "", d.doc_date, d.issuer or "", d.title or "",
                            bool(d.is_plan), d.start_period or "", d.notes or "", d.version,
                            counts.get(d.id, 0), tuple(files.get(d.id, ()))) for d in docs]


def get_document(db: Database, doc_id: int) -> DocumentRow:
    for d in list_documents(db):
        if d.id == doc_id:
            return d
    raise NotFound("Không tìm thấy văn bản.")


def _doc_values(data: DocumentData) -> tuple[dict, list[Problem]]:
    v = dict(title=nfc(data.title), symbol=nfc(data.symbol), doc_type=nfc(data.doc_type),
             doc_date=data.doc_date, issuer=nfc(data.issuer), is_plan=bool(data.is_plan),
             start_period=nfc(data.start_period), notes=nfc(data.notes))
    p = []
    if not v["title"]:
        p.append(Problem("Chưa nhập trích yếu (tên) văn bản.", column="Trích yếu"))
    if v["start_period"] and not _MONTH_RE.match(v["start_period"]):
        p.append(Problem(f"Tháng bắt đầu '{v['start_period']}' phải viết dạng 2025-03.",
                         column="Bắt đầu theo dõi"))
    v["search_key"] = search_key(v["symbol"], v["title"], v["issuer"])
    return v, p


def create_document(db: Database, data: DocumentData, files: list[str] | tuple[str, ...] = ()) -> DocumentRow:
    with db.session() as s:
        v, problems = _doc_values(data)
        if problems:
            raise ValidationError("Không lưu được văn bản.", problems)
        doc = DirectiveDocument(**v)
        s.add(doc)
        audit.record_insert(s, doc, ["symbol", "doc_type", "doc_date", "issuer", "title", "is_plan"])
        _attach(s, db, doc.id, "document", files)
        doc_id = doc.id
    return get_document(db, doc_id)


def update_document(db: Database, doc_id: int, data: DocumentData, version: int) -> DocumentRow:
    with db.session() as s:
        doc = s.get(DirectiveDocument, doc_id)
        if doc is None:
            raise NotFound("Không tìm thấy văn bản.")
        check_version(doc, version, "văn bản")
        v, problems = _doc_values(data)
        if not v["is_plan"] and doc.tasks:
            problems.append(Problem("Văn bản đang có nhiệm vụ nên phải giữ là kế hoạch.", column="Là kế hoạch"))
        if problems:
            raise ValidationError("Không lưu được văn bản.", problems)
        audit.apply_changes(s, doc, v)
    return get_document(db, doc_id)


def delete_document(db: Database, doc_id: int, version: int) -> None:
    with db.session() as s:
        doc = s.get(DirectiveDocument, doc_id)
        if doc is None:
            raise NotFound("Không tìm thấy văn bản.")
        check_version(doc, version, "văn bản")
        if doc.tasks:
            raise Conflict(f"Văn bản có {len(doc.tasks)} nhiệm vụ nên không xóa được.")
        audit.record(s, "directive_document", doc.id, "delete", {"title": (doc.title, None)})
        s.delete(doc)


def _attach(s: Session, db: Database, row_id: int, kind: str, paths: list[str] | tuple[str, ...]) -> list[FileRow]:
    """Store files and attach them to a document or an assignment (audited on that row)."""
    out = []
    table = "directive_document" if kind == "document" else "assignment"
    for p in paths:
        stored = store_file(db, p)
        a = Attachment(sha256=stored.sha256, original_name=stored.original_name, size=stored.size,
                       **{f"{kind}_id": row_id})
        s.add(a)
        s.flush()
        audit.record(s, table, row_id, "attach", {"file": (None, stored.original_name)})
        out.append(FileRow(a.id, a.original_name, a.size, a.added_at))
    return out


def add_document_files(db: Database, doc_id: int, paths: list[str]) -> list[FileRow]:
    with db.session() as s:
        if s.get(DirectiveDocument, doc_id) is None:
            raise NotFound("Không tìm thấy văn bản.")
        return _attach(s, db, doc_id, "document", paths)


def remove_attachment(db: Database, attachment_id: int) -> None:
    """Detach a file (the stored copy stays: another row may share its content)."""
    with db.session() as s:
        a = s.get(Attachment, attachment_id)
        if a is None:
            raise NotFound("Không tìm thấy tệp đính kèm.")
        table, row = (("assignment", a.assignment_id) if a.assignment_id else
                      ("directive_document", a.document_id) if a.document_id else
                      ("incoming_report", a.incoming_report_id))
        audit.record(s, table, row or 0, "detach", {"file": (a.original_name, None)})
        s.delete(a)




# ---- tasks ------------------------------------------------------------------------------
def _task_units(s: Session, task_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Per task: (unit or group id, role) in assignment order, groups collapsed."""
    out: dict[int, list[tuple[int, str]]] = {}
    q = select(Assignment.task_id, Assignment.unit_id, Assignment.via_unit_id, Assignment.role) \
        .where(Assignment.task_id.in_(task_ids)).order_by(Assignment.id)
    for tid, uid, via, role in s.execute(q):
        entity = via or uid
        lst = out.setdefault(tid, [])
        if all(e != entity for e, _ in lst):
            lst.append((entity, role))
    return out


def _task_rows(s: Session, tasks: list[Task]) -> list[TaskRow]:
    units = _task_units(s, [t.id for t in tasks])
    codes = dict(s.execute(select(Unit.id, Unit.code)).all())
    rows = []
    for t in tasks:
        ents = units.get(t.id, [])
        lead = next(((e, r) for e, r in ents if r in LEAD_ROLES), ents[0] if ents else (None, ""))
        coop = tuple(e for e, _ in ents if e != lead[0])
        text = f"{codes.get(lead[0], '')} ({lead[1]})" if lead[0] else ""
        if coop:
            text += "; phối hợp: " + ", ".join(codes.get(c, "") for c in coop)
        rows.append(TaskRow(t.id, t.plan_id, t.code, t.section or "", t.text, t.due_date, bool(t.recurring),
                            t.sort_order or 0, t.version, lead[0], lead[1], coop, text))
    return rows


def list_tasks(db: Database, plan_id: int) -> list[TaskRow]:
    with db.session() as s:
        tasks = s.scalars(select(Task).where(Task.plan_id == plan_id).order_by(Task.sort_order, Task.code)).all()
        return _task_rows(s, list(tasks))


def get_task(db: Database, task_id: int) -> TaskRow:
    with db.session() as s:
        t = s.get(Task, task_id)
        if t is None:
            raise NotFound("Không tìm thấy nhiệm vụ (có thể đã bị xóa).")
        return _task_rows(s, [t])[0]


def validate_task(s: Session, v: dict, task_id: int | None = None) -> list[Problem]:
    p: list[Problem] = []
    plan = s.get(DirectiveDocument, v["plan_id"])
    if plan is None or not plan.is_plan:
        p.append(Problem("Chưa chọn kế hoạch.", column="Kế hoạch"))
    if not v["code"]:
        p.append(Problem("Chưa nhập mã nhiệm vụ.", column="Mã nhiệm vụ"))
    else:
        other = s.scalar(select(Task.id).where(Task.plan_id == v["plan_id"], Task.code == v["code"]))
        if other is not None and other != task_id:
            p.append(Problem(f"Mã nhiệm vụ '{v['code']}' đã có trong kế hoạch này.", column="Mã nhiệm vụ"))
    if not v["text"]:
        p.append(Problem("Chưa nhập nội dung nhiệm vụ.", column="Nội dung"))
    if v["due_date"] is None and not v["recurring"]:
        p.append(Problem("Chưa có thời hạn: nhập ngày hoặc chọn 'thường xuyên'.", column="Thời hạn"))
    if v["lead_unit_id"] is None or s.get(Unit, v["lead_unit_id"]) is None:
        p.append(Problem("Chưa chọn đơn vị chủ trì / thực hiện.", column="Đơn vị chủ trì"))
    if v["lead_role"] not in ROLES:
        p.append(Problem(f"Vai trò '{v['lead_role']}' không hợp lệ.", column="Vai trò"))
    missing = [i for i in v["cooperating_ids"] if s.get(Unit, i) is None]
    if missing:
        p.append(Problem("Có đơn vị phối hợp không còn tồn tại.", column="Đơn vị phối hợp"))
    return p


def _task_values(data: TaskData) -> dict:
    code = nfc(data.code)
    coop = [i for i in dict.fromkeys(data.cooperating_ids) if i != data.lead_unit_id]
    return dict(plan_id=data.plan_id, code=code, text=nfc(data.text),
                section=nfc(data.section) or section_of(code), due_date=data.due_date,
                recurring=bool(data.recurring), lead_unit_id=data.lead_unit_id,
                lead_role=nfc(data.lead_role), cooperating_ids=coop, sort_order=data.sort_order)


def assign_unit(s: Session, task: Task, unit: Unit, role: str, today: date | None = None) -> int:
    """Assign a unit (a group: each active member) to a task; returns assignments added."""
    day = today or date.today()
    taken = set(s.scalars(select(Assignment.unit_id).where(Assignment.task_id == task.id)))
    targets, via = [unit], None
    if unit.is_group:
        secretariat = s.scalar(select(Agency.unit_id).where(Agency.id == 1))
        members = s.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.sort_order, Unit.code))
        targets = [m for m in members if m.id != secretariat and (m.active_to is None or m.active_to >= day)]
        via = unit.id
        if not targets:  # a group without members is assigned as itself
            targets, via = [unit], None
    n = 0
    for m in targets:
        if m.id in taken:
            continue
        a = Assignment(task_id=task.id, unit_id=m.id, role=role, via_unit_id=via, progress=NOT_STARTED,
                       source=f"user:{audit.current_user()}")
        s.add(a)
        s.flush()
        audit.record_insert(s, a, ["task_id", "unit_id", "role", "via_unit_id"])
        n += 1
    return n


def _has_work(s: Session, a: Assignment) -> bool:
    ext = s.scalar(select(func.count()).select_from(Extension).where(Extension.assignment_id == a.id))
    files = s.scalar(select(func.count()).select_from(Attachment).where(Attachment.assignment_id == a.id))
    return bool(a.progress != NOT_STARTED or a.result_text or a.completion_date or ext or files)


def _sync_units(s: Session, task: Task, v: dict) -> None:
    """Make the task's assignments match the lead and cooperating units of the form."""
    wanted = [(v["lead_unit_id"], v["lead_role"])] + [(c, COOPERATE) for c in v["cooperating_ids"]]
    current: dict[int, list[Assignment]] = {}
    for a in s.scalars(select(Assignment).where(Assignment.task_id == task.id).order_by(Assignment.id)):
        current.setdefault(a.via_unit_id or a.unit_id, []).append(a)
    keep = {e for e, _ in wanted}
    for entity, rows in current.items():
        if entity in keep:
            continue
        busy = [a for a in rows if _has_work(s, a)]
        if busy:
            name = s.get(Unit, entity).name
            raise Conflict(f"Không bỏ được '{name}' khỏi nhiệm vụ: đơn vị đã ghi nhận tiến độ, "
                           "kết quả hoặc tệp minh chứng.")
        for a in rows:
            audit.record(s, "assignment", a.id, "delete", {"unit_id": (a.unit_id, None), "task_id": (task.id, None)})
            s.delete(a)
    s.flush()
    for entity, role in wanted:
        if entity in current:
            for a in current[entity]:
                audit.apply_changes(s, a, {"role": role})
        else:
            assign_unit(s, task, s.get(Unit, entity), role)


def save_task_in(s: Session, data: TaskData, task: Task | None = None, action: str = "update") -> Task:
    """Create (task None) or update a task and its units within a unit of work."""
    v = _task_values(data)
    if v["sort_order"] is None:
        v["sort_order"] = task.sort_order if task is not None else \
            (s.scalar(select(func.max(Task.sort_order)).where(Task.plan_id == v["plan_id"])) or 0) + 10
    problems = validate_task(s, v, task.id if task is not None else None)
    if problems:
        raise ValidationError("Không lưu được nhiệm vụ.", problems)
    fields_ = {k: v[k] for k in ("plan_id", "code", "section", "text", "due_date", "recurring", "sort_order")}
    if task is None:
        task = Task(**fields_, search_key=search_key(v["code"], v["text"]))
        s.add(task)
        audit.record_insert(s, task, ["plan_id", "code", "section", "text", "due_date", "recurring"])
    else:
        task.search_key = search_key(v["code"], v["text"])  # before the flush: one UPDATE
        audit.apply_changes(s, task, fields_, action=action)
    _sync_units(s, task, v)
    return task


def create_task(db: Database, data: TaskData) -> TaskRow:
    with db.session() as s:
        task_id = save_task_in(s, data).id
    return get_task(db, task_id)


def update_task(db: Database, task_id: int, data: TaskData, version: int) -> TaskRow:
    with db.session() as s:
        task = s.get(Task, task_id)
        if task is None:
            raise NotFound("Không tìm thấy nhiệm vụ (có thể đã bị xóa).")
        check_version(task, version, "nhiệm vụ")
        save_task_in(s, data, task)
    return get_task(db, task_id)


def delete_task(db: Database, task_id: int, version: int) -> None:
    """Only a task nobody has worked on can be deleted (progress is history)."""
    with db.session() as s:
        task = s.get(Task, task_id)
        if task is None:
            raise NotFound("Không tìm thấy nhiệm vụ.")
        check_version(task, version, "nhiệm vụ")
        if any(_has_work(s, a) for a in task.assignments):
            raise Conflict(f"Nhiệm vụ {task.code} đã có tiến độ hoặc kết quả được ghi nhận nên không xóa được.")
        audit.record(s, "task", task.id, "delete", {"code": (task.code, None), "text": (task.text, None)})
        s.delete(task)
