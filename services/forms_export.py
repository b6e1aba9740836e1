"""Pre-filled Excel report forms for units: which units owe a form for a period, and
one .xlsx per unit (services/forms_writer.py lays the workbook out).

Everything a form shows is read in one unit of work into plain `FormData` values;
the workbooks are then written without holding the session.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    Agency,
    Assignment,
    DirectiveDocument,
    ExpectedReport,
    Extension,
    IncomingReport,
    Indicator,
    IndicatorValue,
    ReportType,
    Task,
    Unit,
)
from models.db import Database
from models.indicators import ACTIVITY
from models.plan import DONE
from services.errors import Cancelled, Problem, ValidationError
from services.forms_common import FORM_VERSION, FormMeta, get_secret
from services.periods import Period, format_date_vn
from services.regime import due_date, load_calendar

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class FormUnit:
    """A unit offered in the export dialog."""

    unit_id: int
    code: str
    name: str
    owes: bool  # an expected report exists for the period
    received: bool  # a report for the period is already registered


@dataclass(frozen=True)
class TaskLine:
    assignment_id: int
    code: str
    text: str
    role: str
    due: str
    progress: str
    completion_date: date | None
    result_text: str
    difficulties: str


@dataclass(frozen=True)
class ActivityLine:
    indicator_id: int
    name: str
    uom: str
    previous: float | None
    current: float | None


@dataclass(frozen=True)
class FormData:
    meta: FormMeta
    agency: str
    unit_name: str
    report_name: str
    period_label: str
    previous_label: str
    window: tuple[date, date]
    due_text: str
    tasks: tuple[TaskLine, ...]
    activities: tuple[ActivityLine, ...]


@dataclass(frozen=True)
class ExportedForm:
    unit_code: str
    unit_name: str
    path: str
    form_id: str
    tasks: int


@dataclass(frozen=True)
class ExportResult:
    period: str
    folder: str
    forms: tuple[ExportedForm, ...]


UNIT_SORTS = {"code": Unit.code, "name": Unit.name}


def form_units(db: Database, period: str, include_all: bool = False, sort: str = "",
               descending: bool = False) -> list[FormUnit]:
    """Units owing a report for the period (not excused); with include_all, every unit
    that can report (group units never report themselves). Sorted in SQL by `sort`
    ("code", "name"; default: the units' own order)."""
    p = Period.parse(period)
    col = UNIT_SORTS.get(sort)
    order = [Unit.sort_order, Unit.code] if col is None else [col.desc() if descending else col]
    with db.session() as s:
        owing = set(s.scalars(select(ExpectedReport.unit_id).where(
            ExpectedReport.period == p.name, ExpectedReport.excused.is_(False),
            ExpectedReport.obsolete.is_(False))))
        received = set(s.scalars(select(IncomingReport.unit_id).where(IncomingReport.period == p.name)))
        units = s.scalars(select(Unit).where(Unit.is_group.is_(False)).order_by(*order)).all()
        return [FormUnit(u.id, u.code, u.name, u.id in owing, u.id in received)
                for u in units if include_all or u.id in owing]


def form_periods(db: Database, today: date | None = None, limit: int = 18) -> list[tuple[str, str]]:
    """(period, label) of recent and coming periods reports are owed for, newest deadline first."""
    today = today or date.today()
    with db.session() as s:
        rows = s.execute(select(ExpectedReport.period, func.max(ExpectedReport.last_on_time_day))
                         .group_by(ExpectedReport.period)
                         .order_by(func.max(ExpectedReport.last_on_time_day).desc())).all()
    horizon = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else today
    return [(name, Period.parse(name).label()) for name, due in rows if due <= horizon][:limit]


def default_period(db: Database, today: date | None = None) -> str:
    """The period whose deadline comes next (else the latest one owed)."""
    today = today or date.today()
    with db.session() as s:
        nxt = s.scalars(select(ExpectedReport.period).where(ExpectedReport.last_on_time_day >= today)
                        .order_by(ExpectedReport.last_on_time_day)).first()
        if nxt:
            return nxt
        last = s.scalars(select(ExpectedReport.period).order_by(ExpectedReport.last_on_time_day.desc())).first()
        return last or Period.month(today.year, today.month).name


def export_forms(db: Database, period: str, out_dir: str | Path, unit_codes: Sequence[str] | None = None,
                 progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                 today: date | None = None) -> ExportResult:
    """Write one form per unit owing the period (or per chosen unit) into out_dir."""
    from services.forms_writer import write_form

    p = Period.parse(period)
    out = Path(out_dir)
    with db.session() as s:
        secret = get_secret(s)
        forms = _collect(s, p, unit_codes, today or date.today())
    out.mkdir(parents=True, exist_ok=True)
    written: list[ExportedForm] = []
    for i, f in enumerate(forms):
        if cancelled and cancelled():
            raise Cancelled(f"Đã hủy: đã tạo {i}/{len(forms)} biểu mẫu trong {out}.")
        if progress:
            progress(i, len(forms), f"Biểu mẫu {f.meta.unit_code} ({i + 1}/{len(forms)})")
        path = out / file_name(p, f.meta.unit_code)
        write_form(path, f, secret)
        written.append(ExportedForm(f.meta.unit_code, f.unit_name, str(path), f.meta.form_id, len(f.tasks)))
    if progress:
        progress(len(forms), len(forms), "Xong")
    return ExportResult(p.name, str(out), tuple(written))


def file_name(p: Period, unit_code: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", unit_code).strip("_") or "donvi"
    return f"bieu-mau_{p.name}_{safe}.xlsx"


# ---- reading what the forms show -------------------------------------------------

def _collect(s: Session, p: Period, unit_codes: Sequence[str] | None, today: date) -> list[FormData]:
    rt, expected = _report_type(s, p)
    units = _units(s, p, unit_codes, expected)
    agency = s.get(Agency, 1)
    cal = load_calendar(s)
    prev = p.previous()
    indicators = s.scalars(select(Indicator).where(Indicator.family == ACTIVITY)
                           .order_by(Indicator.sort_order, Indicator.code)).all()
    values = _values(s, [u.id for u in units], [p.month_key, prev.month_key])
    created = datetime.now().replace(microsecond=0).isoformat()
    out = []
    for u in units:
        e = expected.get(u.id)
        if e is not None:
            window, last = (e.window_start, e.window_end), e.last_on_time_day
        else:
            window, last = p.window(rt.cutoff_day), due_date(rt, p, cal)[1]
        due_text = f"{rt.due_wording} — chậm nhất ngày {format_date_vn(last)}" if rt.due_wording \
            else f"chậm nhất ngày {format_date_vn(last)}"
        acts = tuple(ActivityLine(i.id, i.name, i.uom, values.get((i.id, u.id, prev.month_key)),
                                  values.get((i.id, u.id, p.month_key))) for i in indicators)
        meta = FormMeta(uuid.uuid4().hex, u.code, p.name, rt.code, FORM_VERSION, created)
        out.append(FormData(meta, agency.name if agency else "", u.name, rt.name, p.label(), prev.label(),
                            window, due_text, tuple(_tasks(s, u.id, window[0])), acts))
    return out


def _report_type(s: Session, p: Period) -> tuple[ReportType, dict[int, ExpectedReport]]:
    expected = {e.unit_id: e for e in s.scalars(select(ExpectedReport).where(
        ExpectedReport.period == p.name, ExpectedReport.obsolete.is_(False)))}
    if expected:
        counts: dict[int, int] = {}
        for e in expected.values():
            counts[e.report_type_id] = counts.get(e.report_type_id, 0) + 1
        rt = s.get(ReportType, max(counts, key=counts.__getitem__))
        assert rt is not None
        return rt, {u: e for u, e in expected.items() if e.report_type_id == rt.id}
    rt = s.scalars(select(ReportType).where(ReportType.period_kind == p.kind, ReportType.active)
                   .order_by(ReportType.sort_order)).first()
    if rt is None:
        raise ValidationError(f"Không có loại báo cáo nào theo kỳ {p.label()}: không tạo được biểu mẫu.")
    return rt, {}


def _units(s: Session, p: Period, unit_codes: Sequence[str] | None,
           expected: dict[int, ExpectedReport]) -> list[Unit]:
    if unit_codes is None:
        units = s.scalars(select(Unit).where(Unit.id.in_(
            [uid for uid, e in expected.items() if not e.excused])).order_by(Unit.sort_order, Unit.code)).all()
        if not units:
            raise ValidationError(f"Không có đơn vị nào phải nộp báo cáo {p.label()}.")
        return list(units)
    wanted = [c.strip() for c in unit_codes if c.strip()]
    found = {u.code.upper(): u for u in s.scalars(select(Unit).where(
        func.upper(Unit.code).in_([c.upper() for c in wanted])))}
    problems = []
    for c in wanted:
        u = found.get(c.upper())
        if u is None:
            problems.append(Problem(f"Không có đơn vị mã '{c}'."))
        elif u.is_group:
            problems.append(Problem(f"'{c}' là nhóm đơn vị; hãy chọn các đơn vị thành viên."))
    if problems or not wanted:
        raise ValidationError("Danh sách đơn vị không hợp lệ." if wanted else "Chưa chọn đơn vị nào.", problems)
    return sorted({u.id: u for u in found.values()}.values(), key=lambda u: (u.sort_order, u.code))


def _values(s: Session, unit_ids: list[int], months: list[str]) -> dict[tuple[int, int, str], float]:
    rows = s.execute(select(IndicatorValue.indicator_id, IndicatorValue.unit_id, IndicatorValue.period,
                            IndicatorValue.value).where(IndicatorValue.unit_id.in_(unit_ids),
                                                        IndicatorValue.period.in_(months)))
    return {(i, u, per): v for i, u, per, v in rows}


def _tasks(s: Session, unit_id: int, window_start: date) -> list[TaskLine]:
    """The unit's assignments, except those finished before the period began."""
    rows = s.execute(
        select(Assignment, Task, Unit.name)
        .join(Task, Task.id == Assignment.task_id)
        .join(DirectiveDocument, DirectiveDocument.id == Task.plan_id)
        .outerjoin(Unit, Unit.id == Assignment.via_unit_id)
        .where(Assignment.unit_id == unit_id)
        .order_by(DirectiveDocument.id, Task.sort_order, Task.code)).all()
    ext = dict(s.execute(select(Extension.assignment_id, func.max(Extension.new_due))
                         .where(Extension.assignment_id.in_([a.id for a, _t, _g in rows]))
                         .group_by(Extension.assignment_id)).all())
    out = []
    for a, t, group in rows:
        if a.progress == DONE and a.completion_date and a.completion_date < window_start:
            continue
        if a.id in ext:
            due = f"{format_date_vn(ext[a.id])} (gia hạn)"
        elif t.due_date:
            due = format_date_vn(t.due_date)
        else:
            due = "Thường xuyên" if t.recurring else ""
        role = f"{a.role} (giao cho {group})" if group else a.role
        out.append(TaskLine(a.id, t.code, t.text, role, due, a.progress, a.completion_date,
                            a.result_text or "", a.difficulties or ""))
    return out
