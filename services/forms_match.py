"""Who a returned form belongs to, read once per batch (`Lookups`), and the rows of a
form whose hidden sheet is missing, matched by what they show (`manual_rows`)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Assignment, Indicator, ReportType, Task, Unit
from models.db import Database
from services.errors import Problem
from services.forms_common import (
    ACT_FIRST_ROW,
    ACT_NAME_COL,
    ACTIVITY,
    TASK_CODE_COL,
    TASK_FIRST_ROW,
    TASKS,
    RowMap,
    canon,
    get_secret,
)
from services.text import fold
from services.xlsx_safety import XBook


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class Lookups:
    """What every file of a batch looks up, read once per batch (plain values, no ORM)."""

    secret: str
    units: dict[str, UnitRef]  # code → unit
    units_by_id: dict[int, UnitRef]
    report_types: dict[str, int]  # code → id
    by_kind: dict[str, int]  # period kind → the first active report type of that kind
    activity_names: dict[int, str]  # activity indicator id → name


def load_lookups(db: Database) -> Lookups:
    with db.session() as s:
        units = [UnitRef(i, c, n) for i, c, n in s.execute(select(Unit.id, Unit.code, Unit.name))]
        types = s.execute(select(ReportType.id, ReportType.code, ReportType.period_kind, ReportType.active)
                          .order_by(ReportType.sort_order, ReportType.id)).all()
        by_kind: dict[str, int] = {}
        for rid, _code, kind, active in types:
            if active:
                by_kind.setdefault(kind, rid)
        names = dict(s.execute(select(Indicator.id, Indicator.name).where(Indicator.family == "activity")).all())
        return Lookups(get_secret(s, create=False), {u.code: u for u in units}, {u.id: u for u in units},
                       {code: rid for rid, code, _k, _a in types}, by_kind, names)


def manual_rows(s: Session, book: XBook, file: str, unit_id: int, activity_names: dict[int, str],
                 problems: list[Problem]) -> tuple[RowMap, ...]:
    """Rows matched by what they show: task code → the unit's assignment, name → activity indicator."""
    rows: list[RowMap] = []
    by_code: dict[str, list[int]] = {}
    for aid, code in s.execute(select(Assignment.id, Task.code).join(Task, Task.id == Assignment.task_id)
                               .where(Assignment.unit_id == unit_id)):
        by_code.setdefault(fold(code), []).append(aid)
    by_name = {fold(n): i for i, n in activity_names.items()}
    for sheet, first, col, lookup, kind in ((TASKS, TASK_FIRST_ROW, TASK_CODE_COL, by_code, "task"),
                                            (ACTIVITY, ACT_FIRST_ROW, ACT_NAME_COL, by_name, "activity")):
        ws = book.sheets.get(sheet)
        if ws is None:
            problems.append(Problem(f"không có trang '{sheet}'.", file=file, severity="warning"))
            continue
        last = max((int("".join(ch for ch in c if ch.isdigit())) for c in ws.cells), default=0)
        for r in range(first, last + 1):
            cell = ws.get(f"{col}{r}")
            if cell is None or not canon(cell.value):
                continue
            found = lookup.get(fold(canon(cell.value)))
            ids = found if isinstance(found, list) else ([found] if found else [])
            if len(ids) == 1:
                rows.append(RowMap(kind, r, ids[0]))
            else:
                why = "không khớp với nhiệm vụ nào của đơn vị" if kind == "task" else "không phải chỉ tiêu hoạt động"
                if len(ids) > 1:
                    why = "khớp nhiều nhiệm vụ của đơn vị (trùng mã giữa các kế hoạch)"
                problems.append(Problem(f"'{canon(cell.value)[:40]}' {why}: bỏ qua dòng này.", file=file,
                                        sheet=sheet, cell=f"{col}{r}", severity="warning"))
    return tuple(rows)
