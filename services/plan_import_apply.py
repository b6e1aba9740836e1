"""Checks of an import against the database and the writing itself (services/plan_import.py
is the entry point). `check` needs a session but writes nothing; `write` runs only when
`check` left no error, inside the same transaction.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Agency, Assignment, DirectiveDocument, Task, Unit
from services import audit
from services import plan_template as T
from services.dates import format_date
from services.errors import Cancelled, Problem
from services.plan_import import Change, Parsed
from services.plans import TaskData, _has_work, _task_units, save_task_in
from services.text import fold, search_key
from services.units import refresh_regime, unit_search_key

UNIT_FIELDS = ("name", "short_name", "group", "contact_person", "phone", "email", "notes", "is_group",
               "owes_reports", "active_from")
LABELS = {"name": "tên", "short_name": "tên viết tắt", "group": "nhóm", "contact_person": "người liên hệ",
          "phone": "điện thoại", "email": "thư điện tử", "notes": "ghi chú", "is_group": "là nhóm",
          "owes_reports": "phải nộp báo cáo", "active_from": "hoạt động từ", "parent": "thuộc nhóm",
          "text": "nội dung", "section": "mục", "due": "thời hạn", "units": "đơn vị",
          "progress": "tiến độ", "completion_date": "ngày hoàn thành", "result_text": "kết quả",
          "symbol": "số, ký hiệu", "doc_type": "loại", "doc_date": "ngày ban hành", "issuer": "cơ quan ban hành",
          "title": "trích yếu", "start_period": "bắt đầu theo dõi"}


def _show(v: Any) -> str:
    if isinstance(v, bool):
        return "có" if v else "không"
    if isinstance(v, date):
        return format_date(v)
    s = "" if v is None else str(v)
    return f"“{s[:40]}…”" if len(s) > 40 else f"“{s}”"


def _diff(pairs: dict[str, tuple[Any, Any]]) -> str:
    return "; ".join(f"{LABELS.get(k, k)}: {_show(a)} → {_show(b)}" for k, (a, b) in pairs.items() if a != b)


def _problem(problems: list[Problem], file: str, sheet: str, cols: list[T.Col], row: int, key: str,
             message: str) -> None:
    j = next(i for i, c in enumerate(cols, start=1) if c.key == key)
    from openpyxl.utils import get_column_letter

    problems.append(Problem(message, file=file, sheet=sheet, row=row,
                            column=f"{get_column_letter(j)} ({cols[j - 1].header})"))


def _unit_values(fu: dict[str, Any], u: Unit | None) -> dict[str, Any]:
    """New units get defaults for blank cells; existing ones keep the value of a blank cell."""
    if u is None:
        is_group = bool(fu["is_group"])
        return {"name": fu["name"], "short_name": fu["short_name"], "group": fu["group"] or "Khác",
                "contact_person": fu["contact_person"], "phone": fu["phone"], "email": fu["email"],
                "notes": fu["notes"], "is_group": is_group,
                "owes_reports": (not is_group) if fu["owes_reports"] is None else fu["owes_reports"],
                "active_from": fu["active_from"]}
    return {k: fu[k] for k in UNIT_FIELDS if fu[k] not in (None, "")}


def _target_plan(s: Session, parsed: Parsed, plan_id: int | None) -> DirectiveDocument | None:
    if plan_id is not None:
        return s.get(DirectiveDocument, plan_id)
    symbol, title = parsed.plan.get("symbol") or "", parsed.plan.get("title") or ""
    plans = s.scalars(select(DirectiveDocument).where(DirectiveDocument.is_plan)).all()
    if symbol and "…" not in symbol and "..." not in symbol:
        found = [p for p in plans if (p.symbol or "").strip().upper() == symbol.upper()]
        if found:
            return found[0]
    return next((p for p in plans if title and fold(p.title) == fold(title)), None)


def check(s: Session, parsed: Parsed, plan_id: int | None, problems: list[Problem], file: str,
          today: date) -> tuple[list[Change], str]:
    units = {u.code.upper(): u for u in s.scalars(select(Unit))}
    by_id = {u.id: u for u in units.values()}
    fus = {fu["code"]: fu for fu in parsed.units}

    def is_group(code: str) -> bool:
        fu = fus.get(code)
        if fu is not None and fu["is_group"] is not None:
            return fu["is_group"]
        return bool(code in units and units[code].is_group)

    changes: list[Change] = []
    for fu in parsed.units:
        u = units.get(fu["code"])
        if u is None and not fu["name"]:
            continue  # "required" is already reported
        parent = fu["parent"]
        if parent and parent not in units and parent not in fus:
            _problem(problems, file, T.UNIT_SHEET, T.UNIT_COLS, fu["row"], "parent",
                     f"Không có đơn vị mã “{parent}” (trong phần mềm và trong trang Đơn vị).")
        elif parent and (parent == fu["code"] or not is_group(parent)):
            _problem(problems, file, T.UNIT_SHEET, T.UNIT_COLS, fu["row"], "parent",
                     f"“{parent}” không phải nhóm đơn vị (cột 'Là nhóm đơn vị' phải ghi x).")
        if u is not None and fu["is_group"] is False and u.is_group:
            staying = [m for m in by_id.values() if m.parent_id == u.id
                       and fus.get(m.code, {}).get("parent") in (None, u.code)]
            if staying:
                _problem(problems, file, T.UNIT_SHEET, T.UNIT_COLS, fu["row"], "is_group",
                         f"Nhóm đang có {len(staying)} đơn vị thành viên nên không bỏ được 'là nhóm'.")
        values = _unit_values(fu, u)
        if u is None:
            changes.append(Change("Đơn vị", "Thêm", fu["code"], fu["name"], row=fu["row"]))
            continue
        pairs = {k: (getattr(u, k), v) for k, v in values.items()}
        old_parent = by_id[u.parent_id].code if u.parent_id in by_id else ""
        if parent:
            pairs["parent"] = (old_parent, parent)
        d = _diff(pairs)
        changes.append(Change("Đơn vị", "Sửa" if d else "Không đổi", u.code, u.name, d, fu["row"]))

    plan = _target_plan(s, parsed, plan_id)
    if plan is None and plan_id is None and (parsed.tasks or parsed.progress):
        if not parsed.plan.get("title"):
            problems.append(Problem("Chưa có trích yếu kế hoạch: hãy ghi ở trang Kế hoạch, hoặc chọn một kế "
                                    "hoạch trong phần mềm trước khi nhập.", file=file, sheet=T.PLAN_SHEET,
                                    cell=f"B{parsed.plan_rows.get('title', 6)}"))
        else:
            changes.append(Change("Kế hoạch", "Thêm", parsed.plan.get("symbol", ""), parsed.plan["title"]))
    elif plan is not None and plan_id is None:
        pairs = {k: (getattr(plan, k), v) for k, v in parsed.plan.items() if v not in (None, "")}
        d = _diff(pairs)
        changes.append(Change("Kế hoạch", "Sửa" if d else "Không đổi", plan.symbol, plan.title, d))
    label = plan.title if plan is not None else (parsed.plan.get("title") or "(kế hoạch mới)")

    existing = {t.code: t for t in plan.tasks} if plan is not None else {}
    known = set(units) | set(fus)
    ents = _task_units(s, [t.id for t in existing.values()]) if existing else {}
    for ft in parsed.tasks:
        for code, key in [(ft["lead"], "lead")] + [(c, "cooperating") for c in ft["cooperating"]]:
            if code and code not in known:
                _problem(problems, file, T.TASK_SHEET, T.TASK_COLS, ft["row"], key,
                         f"Không có đơn vị mã “{code}” (trong phần mềm và trong trang Đơn vị).")
        t = existing.get(ft["code"])
        if t is None:
            changes.append(Change("Nhiệm vụ", "Thêm", ft["code"], ft["text"], row=ft["row"]))
            continue
        wanted = {units[c].id for c in [ft["lead"], *ft["cooperating"]] if c in units}
        for entity, _role in ents.get(t.id, []):
            if entity in wanted:
                continue
            worked = [a for a in t.assignments if (a.via_unit_id or a.unit_id) == entity and _has_work(s, a)]
            if worked:
                _problem(problems, file, T.TASK_SHEET, T.TASK_COLS, ft["row"], "cooperating",
                         f"Không bỏ được “{by_id[entity].code}” khỏi nhiệm vụ {t.code}: đơn vị đã ghi nhận tiến độ.")
        old_units = "; ".join(f"{by_id[e].code} ({r})" for e, r in ents.get(t.id, []))
        new_units = "; ".join([f"{ft['lead']} ({ft['role']})"] + [f"{c} (phối hợp)" for c in ft["cooperating"]])
        old_due = t.due_date or ("thường xuyên" if t.recurring else "")
        new_due = ft["due_date"] or ("thường xuyên" if ft["recurring"] else "")
        d = _diff({"text": (t.text, ft["text"]), "section": (t.section, ft["section"]), "due": (old_due, new_due),
                   "units": (old_units, new_units)})
        changes.append(Change("Nhiệm vụ", "Sửa" if d else "Không đổi", t.code, t.text, d, ft["row"]))
    _check_progress(s, parsed, existing, units, fus, is_group, problems, file, changes, today)
    return changes, label


def _check_progress(s: Session, parsed: Parsed, existing: dict[str, Task], units: dict[str, Unit],
                    fus: dict[str, dict], is_group: Callable[[str], bool], problems: list[Problem], file: str,
                    changes: list[Change], today: date) -> None:
    if not parsed.progress:
        return
    by_id = {u.id: u for u in units.values()}
    secretariat = s.scalar(select(Agency.unit_id).where(Agency.id == 1))
    file_tasks = {ft["code"]: ft for ft in parsed.tasks}

    def parent_after(code: str) -> str | None:
        fu = fus.get(code)
        if fu is not None and fu["parent"]:
            return fu["parent"]
        u = units.get(code)
        return by_id[u.parent_id].code if u is not None and u.parent_id in by_id else None

    all_codes = set(units) | set(fus)

    def members(group: str) -> set[str]:
        out = {c for c in all_codes if parent_after(c) == group}
        return {c for c in out if not (c in units and (units[c].id == secretariat or
                                                       (units[c].active_to and units[c].active_to < today)))}

    for fp in parsed.progress:
        t, ft = existing.get(fp["task"]), file_tasks.get(fp["task"])
        if t is None and ft is None:
            _problem(problems, file, T.PROGRESS_SHEET, T.PROGRESS_COLS, fp["row"], "task",
                     f"Không có nhiệm vụ mã “{fp['task']}” (trong kế hoạch và trong trang Nhiệm vụ).")
            continue
        current = {by_id[a.unit_id].code: a for a in t.assignments} if t is not None else {}
        if ft is not None:
            ents = [c for c in [ft["lead"], *ft["cooperating"]] if c]
            assigned = set()
            for e in ents:
                assigned |= (members(e) or {e}) if is_group(e) else {e}
            assigned |= {c for c, a in current.items() if a.via_unit_id and by_id[a.via_unit_id].code in ents}
        else:
            assigned = set(current)
        if fp["unit"] not in assigned:
            _problem(problems, file, T.PROGRESS_SHEET, T.PROGRESS_COLS, fp["row"], "unit",
                     f"Đơn vị “{fp['unit']}” không được giao nhiệm vụ {fp['task']}.")
            continue
        a = current.get(fp["unit"])
        if a is None:
            changes.append(Change("Tiến độ", "Thêm", f"{fp['task']} × {fp['unit']}", T.PROGRESS_WORDS[fp["progress"]],
                                  row=fp["row"]))
            continue
        pairs = {"progress": (T.PROGRESS_WORDS.get(a.progress), T.PROGRESS_WORDS[fp["progress"]]),
                 "completion_date": (a.completion_date, fp["completion_date"])}
        if fp["result_text"]:
            pairs["result_text"] = (a.result_text, fp["result_text"])
        d = _diff(pairs)
        changes.append(Change("Tiến độ", "Sửa" if d else "Không đổi", f"{fp['task']} × {fp['unit']}",
                              T.PROGRESS_WORDS[fp["progress"]], d, fp["row"]))


def write(s: Session, parsed: Parsed, plan_id: int | None, today: date,
          progress: Callable[[int, int, str], None] | None, cancelled: Callable[[], bool] | None) -> int:
    """Write a checked import; returns the plan id. Raises Cancelled (rolled back) on request."""
    total = len(parsed.units) + len(parsed.tasks) + len(parsed.progress) + 1
    done = 0

    def tick(message: str) -> None:
        nonlocal done
        if cancelled and cancelled():
            raise Cancelled("Đã hủy nhập tệp; chưa ghi gì.")
        done += 1
        if progress:
            progress(done, total, message)

    units = {u.code.upper(): u for u in s.scalars(select(Unit))}
    order = s.scalar(select(func.max(Unit.sort_order))) or 0
    for fu in parsed.units:
        tick(f"Đơn vị {fu['code']}")
        u, values = units.get(fu["code"]), _unit_values(fu, units.get(fu["code"]))
        if u is None:
            order += 10
            u = Unit(code=fu["code"], sort_order=order, **values,
                     search_key=unit_search_key(s, None, fu["code"], values["name"], values["short_name"]))
            s.add(u)
            audit.record_insert(s, u, ["code", *[k for k, v in values.items() if v not in (None, "", False)]])
            units[fu["code"]] = u
        else:
            u.search_key = unit_search_key(s, u.id, u.code, values.get("name", u.name),
                                           values.get("short_name", u.short_name))
            audit.apply_changes(s, u, values, action="import")
    for fu in parsed.units:
        if fu["parent"]:
            audit.apply_changes(s, units[fu["code"]], {"parent_id": units[fu["parent"]].id}, action="import")
    plan = _write_plan(s, parsed, plan_id)
    tasks = {t.code: t for t in s.scalars(select(Task).where(Task.plan_id == plan.id))}
    base = max((t.sort_order or 0 for t in tasks.values()), default=0)
    for i, ft in enumerate(parsed.tasks, start=1):
        tick(f"Nhiệm vụ {ft['code']}")
        data = TaskData(plan_id=plan.id, code=ft["code"], text=ft["text"], section=ft["section"],
                        due_date=ft["due_date"], recurring=ft["recurring"], lead_unit_id=units[ft["lead"]].id,
                        lead_role=ft["role"], cooperating_ids=[units[c].id for c in ft["cooperating"]],
                        sort_order=None if ft["code"] in tasks else base + i * 10)
        tasks[ft["code"]] = save_task_in(s, data, tasks.get(ft["code"]), action="import")
    s.flush()
    for fp in parsed.progress:
        tick(f"Tiến độ {fp['task']} × {fp['unit']}")
        a = s.scalar(select(Assignment).where(Assignment.task_id == tasks[fp["task"]].id,
                                              Assignment.unit_id == units[fp["unit"]].id))
        values = {"progress": fp["progress"],
                  "completion_date": fp["completion_date"] if fp["progress"] == "xong" else None,
                  "source": "import"}
        if fp["result_text"]:
            values["result_text"] = fp["result_text"]
        audit.apply_changes(s, a, values, action="import")
    tick("Cập nhật danh sách báo cáo phải nộp")
    refresh_regime(s, today)
    return plan.id


def _write_plan(s: Session, parsed: Parsed, plan_id: int | None) -> DirectiveDocument:
    plan = _target_plan(s, parsed, plan_id)
    if plan is not None:
        if plan_id is None:
            values = {k: v for k, v in parsed.plan.items() if v not in (None, "")}
            if values:
                plan.search_key = search_key(values.get("symbol", plan.symbol), values.get("title", plan.title),
                                             values.get("issuer", plan.issuer))
                audit.apply_changes(s, plan, values, action="import")
        return plan
    p = parsed.plan
    plan = DirectiveDocument(symbol=p.get("symbol", ""), doc_type=p.get("doc_type") or "Kế hoạch",
                             doc_date=p.get("doc_date"), issuer=p.get("issuer", ""), title=p.get("title", ""),
                             start_period=p.get("start_period", ""), is_plan=True,
                             search_key=search_key(p.get("symbol"), p.get("title"), p.get("issuer")))
    s.add(plan)
    audit.record_insert(s, plan, ["symbol", "doc_type", "doc_date", "issuer", "title"])
    return plan
