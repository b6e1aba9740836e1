"""Merging units and editing the members of group units.

Merging A into B (departments and provinces merge): A stops on the merge date
(active_to) and points to B (merged_into_id). A's history — assignments, expected and
incoming reports, indicator values — stays on A, under A's name. Lists "of B" take
`history_unit_ids(B)` (B plus everything merged into it, recursively) so they show A's
rows labelled with A's name, and B's search key carries A's names so searching either
name finds B. Optionally A's open assignments (not yet done) move to B, which carries
on the work; a task that B already has keeps A's row on A.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from models import Assignment, Unit
from models.db import Database
from models.plan import DONE
from services import audit
from services.errors import NotFound, Problem, ValidationError
from services.locking import check_version
from services.units import UnitRow, get_unit, get_units, refresh_regime, unit_search_key


@dataclass(frozen=True)
class MergeResult:
    source: UnitRow
    target: UnitRow
    moved: int  # open assignments moved to the target
    kept: int  # open assignments left on the source (the target already had the task)


def history_unit_ids(db: Database, unit_id: int) -> list[int]:
    """The unit and every unit merged into it, directly or through earlier merges."""
    with db.session() as s:
        out, frontier = [unit_id], [unit_id]
        while frontier:
            frontier = [i for i in s.scalars(select(Unit.id).where(Unit.merged_into_id.in_(frontier)))
                        if i not in out]
            out += frontier
    return out


def merge_units(db: Database, source_id: int, target_id: int, on: date, version: int,
                move_open_assignments: bool = False, today: date | None = None) -> MergeResult:
    """Merge `source` into `target` on date `on` (see the module docstring)."""
    with db.session() as s:
        src, dst = s.get(Unit, source_id), s.get(Unit, target_id)
        if src is None or dst is None:
            raise NotFound("Không tìm thấy đơn vị.")
        check_version(src, version, "đơn vị")
        problems = []
        if src.id == dst.id:
            problems.append("Không thể sáp nhập một đơn vị vào chính nó.")
        if src.merged_into_id:
            problems.append(f"'{src.name}' đã được sáp nhập trước đó.")
        if dst.merged_into_id:
            problems.append(f"'{dst.name}' đã được sáp nhập vào đơn vị khác; hãy chọn đơn vị tiếp nhận hiện nay.")
        if src.is_group or dst.is_group:
            problems.append("Nhóm đơn vị không sáp nhập được: hãy chuyển hoặc sáp nhập từng đơn vị thành viên.")
        if dst.active_to and dst.active_to < on:
            problems.append(f"'{dst.name}' đã ngừng hoạt động trước ngày sáp nhập.")
        if src.active_from and on < src.active_from:
            problems.append("Ngày sáp nhập trước ngày đơn vị bắt đầu hoạt động.")
        if problems:
            raise ValidationError("Không sáp nhập được.", [Problem(p) for p in problems])
        audit.apply_changes(s, src, {"active_to": on, "merged_into_id": dst.id}, action="merge")
        moved = kept = 0
        if move_open_assignments:
            has = set(s.scalars(select(Assignment.task_id).where(Assignment.unit_id == dst.id)))
            for a in s.scalars(select(Assignment).where(Assignment.unit_id == src.id,
                                                        Assignment.progress != DONE)):
                if a.task_id in has:
                    kept += 1
                    continue
                audit.apply_changes(s, a, {"unit_id": dst.id}, action="merge")
                has.add(a.task_id)
                moved += 1
        s.flush()
        dst.search_key = unit_search_key(s, dst.id, dst.code, dst.name, dst.short_name)
        audit.record(s, "unit", dst.id, "merge", {"merged_in": (None, f"{src.code} — {src.name}"),
                                                  "moved_assignments": (None, moved)})
        refresh_regime(s, today)
    return MergeResult(get_unit(db, source_id), get_unit(db, target_id), moved, kept)


def members(db: Database, group_id: int) -> list[UnitRow]:
    with db.session() as s:
        ids = list(s.scalars(select(Unit.id).where(Unit.parent_id == group_id)
                             .order_by(Unit.sort_order, Unit.code)))
    return get_units(db, ids)


def set_members(db: Database, group_id: int, member_ids: list[int], version: int,
                today: date | None = None) -> UnitRow:
    """Make exactly these units the members of a group unit. The group's version is checked
    and bumped, so two windows editing one group's members cannot overwrite each other."""
    with db.session() as s:
        group = s.get(Unit, group_id)
        if group is None:
            raise NotFound("Không tìm thấy nhóm đơn vị.")
        check_version(group, version, "nhóm đơn vị")
        if not group.is_group:
            raise ValidationError(f"'{group.name}' không phải nhóm đơn vị.")
        wanted = set(member_ids)
        bad = [u.name for u in s.scalars(select(Unit).where(Unit.id.in_(wanted))) if u.is_group]
        if group_id in wanted or bad:
            raise ValidationError("Không thêm được: " + ", ".join(bad or [group.name])
                                  + " là nhóm đơn vị, không làm thành viên của nhóm.")
        current = {u.id: u for u in s.scalars(select(Unit).where(Unit.parent_id == group_id))}
        before = sorted(u.code for u in current.values())
        for uid, u in current.items():
            if uid not in wanted:
                audit.apply_changes(s, u, {"parent_id": None})
        for u in s.scalars(select(Unit).where(Unit.id.in_(wanted - set(current)))):
            audit.apply_changes(s, u, {"parent_id": group_id})
        after = sorted(s.scalars(select(Unit.code).where(Unit.parent_id == group_id)))
        if before != after:
            group.updated_at = datetime.now()  # bumps the group's version
            s.flush()
            audit.record(s, "unit", group.id, "update", {"members": (", ".join(before), ", ".join(after))})
            refresh_regime(s, today)
    return get_unit(db, group_id)
