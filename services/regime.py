"""The reporting regime: who owes which report for which period, and by when.

`regenerate` brings the expected reports (unit × report type × period) in line
with the report types, the units and the working-day calendar, keeping every
link to reports already received.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from models import (
    ExpectedReport,
    HolidayOverride,
    IncomingReport,
    ReportType,
    ReportTypeUnit,
    Setting,
    Unit,
)
from models.db import Database
from services.errors import Cancelled
from services.periods import ONCE, Period, add_months, iter_periods
from services.workdays import WorkCalendar

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class RegenResult:
    added: int
    updated: int
    removed: int
    kept_obsolete: int
    total: int


def load_calendar(s: Session) -> WorkCalendar:
    rows = s.scalars(select(HolidayOverride)).all()
    return WorkCalendar({r.day: r.kind for r in rows}, {r.day: r.note for r in rows})


def due_date(rt: ReportType, period: Period, cal: WorkCalendar) -> tuple[date, date]:
    """(nominal last on-time day, last on-time day after the working-day shift)."""
    if rt.period_kind == ONCE and rt.once_due:
        nominal = rt.once_due
    else:
        nominal = period.nominal_due(rt.due_day, rt.due_month_offset, rt.due_inclusive)
    return nominal, cal.roll_forward(nominal)


def _active_in(u: Unit, start: date, end: date) -> bool:
    return (u.active_from is None or u.active_from <= end) and (u.active_to is None or u.active_to >= start)


def owing_units(s: Session, rt: ReportType) -> list[Unit]:
    """Reporting units (group units expand to their members); merged-away units keep their
    history through their validity dates."""
    units = s.scalars(select(Unit).order_by(Unit.sort_order, Unit.code)).all()
    if rt.owed_by_all:
        return [u for u in units if u.owes_reports and not u.is_group]
    chosen = set(s.scalars(select(ReportTypeUnit.unit_id).where(ReportTypeUnit.report_type_id == rt.id)))
    out = []
    for u in units:
        if u.is_group:
            continue
        if u.id in chosen or (u.parent_id in chosen):
            out.append(u)
    return out


def periods_for(rt: ReportType, until: date) -> list[Period]:
    """Periods owed from the type's start up to the period after `until`'s month."""
    if rt.period_kind == ONCE:
        if not rt.once_due:
            return []
        d = rt.once_due
        return [Period(d.year, d.month, ONCE, 1, d.day)]
    if not rt.start_period:
        return []
    ny, nm = add_months(until.year, until.month, 1)
    out = []
    # A period is owed once it has started (its first month ≤ next month).
    horizon_y, horizon_m = add_months(ny, nm, 11)
    allowed = {p.strip().upper() for p in rt.period_filter.split(",") if p.strip()}
    for p in iter_periods(rt.period_kind, rt.start_period, f"{horizon_y}-{horizon_m:02d}"):
        if (p.year, p.first_month) > (ny, nm):
            continue
        if rt.end_period and p.month_key > rt.end_period:
            continue
        if allowed and p.name.split("-")[-1].upper() not in allowed and p.name.upper() not in allowed:
            continue
        out.append(p)
    return out


def regenerate(db: Database, until: date, progress: Progress | None = None,
               cancel: Callable[[], bool] | None = None) -> RegenResult:
    """Rebuild expected reports in one transaction (all or nothing)."""
    with db.session() as s:
        res = regenerate_in(s, until, progress, cancel)
    return res


def wanted_reports(s: Session, until: date, progress: Progress | None = None,
                   cancel: Callable[[], bool] | None = None) -> dict[tuple[int, int, str], dict]:
    """What the regime owes up to `until`, computed without writing:
    (unit_id, report_type_id, period) → column values of the expected report."""
    cal = load_calendar(s)
    types = s.scalars(select(ReportType).where(ReportType.active).order_by(ReportType.sort_order)).all()
    # Stand-in: month keys where a higher report replaces a lower one, per lower type.
    standins: dict[int, set[str]] = {}
    wanted: dict[tuple[int, int, str], dict] = {}
    plan: list[tuple[ReportType, list[Period], list[Unit]]] = []
    for rt in types:
        plan.append((rt, periods_for(rt, until), owing_units(s, rt)))
    for rt, periods, _ in plan:
        if rt.stands_in_for_id and rt.stand_in_enabled:
            standins.setdefault(rt.stands_in_for_id, set()).update(p.month_key for p in periods)
    total_steps = max(1, len(plan))
    for i, (rt, periods, units) in enumerate(plan):
        if cancel and cancel():
            raise Cancelled("Đã hủy tạo danh sách báo cáo phải nộp.")
        if progress:
            progress(i, total_steps, f"Loại báo cáo: {rt.name}")
        skip = standins.get(rt.id, set())
        for p in periods:
            if p.month_key in skip:
                continue
            ws, we = p.window(rt.cutoff_day)
            nominal, last = due_date(rt, p, cal)
            for u in units:
                if not _active_in(u, ws, we):
                    continue
                wanted[(u.id, rt.id, p.name)] = dict(
                    unit_id=u.id, report_type_id=rt.id, period=p.name, month_key=p.month_key,
                    window_start=ws, window_end=we, nominal_due=nominal, last_on_time_day=last,
                )
    if progress:
        progress(total_steps, total_steps, "Xong")
    return wanted


def regenerate_in(s: Session, until: date, progress: Progress | None = None,
                  cancel: Callable[[], bool] | None = None) -> RegenResult:
    wanted = wanted_reports(s, until, progress, cancel)
    existing = {
        (r.unit_id, r.report_type_id, r.period): r
        for r in s.execute(select(ExpectedReport.id, ExpectedReport.unit_id, ExpectedReport.report_type_id,
                                  ExpectedReport.period, ExpectedReport.window_start,
                                  ExpectedReport.window_end, ExpectedReport.nominal_due,
                                  ExpectedReport.last_on_time_day, ExpectedReport.month_key,
                                  ExpectedReport.obsolete))
    }
    linked = set(s.scalars(select(IncomingReport.expected_report_id)
                           .where(IncomingReport.expected_report_id.is_not(None))))
    to_add = [v for k, v in wanted.items() if k not in existing]
    updated = 0
    for k, v in wanted.items():
        r = existing.get(k)
        if r is None:
            continue
        if (r.window_start, r.window_end, r.nominal_due, r.last_on_time_day, r.month_key, r.obsolete) != (
            v["window_start"], v["window_end"], v["nominal_due"], v["last_on_time_day"], v["month_key"], False
        ):
            s.execute(update(ExpectedReport).where(ExpectedReport.id == r.id).values(
                window_start=v["window_start"], window_end=v["window_end"], nominal_due=v["nominal_due"],
                last_on_time_day=v["last_on_time_day"], month_key=v["month_key"], obsolete=False))
            updated += 1
    stale = [r for k, r in existing.items() if k not in wanted]
    keep = [r.id for r in stale if r.id in linked]
    drop = [r.id for r in stale if r.id not in linked]
    if keep:
        s.execute(update(ExpectedReport).where(ExpectedReport.id.in_(keep)).values(obsolete=True))
    for i in range(0, len(drop), 500):
        s.execute(delete(ExpectedReport).where(ExpectedReport.id.in_(drop[i:i + 500])))
    if to_add:
        s.execute(ExpectedReport.__table__.insert(), [dict(v, excused=False, excuse_reason="", obsolete=False)
                                                       for v in to_add])
    _save_stamp(s, until)
    return RegenResult(len(to_add), updated, len(drop), len(keep), len(wanted))


STAMP_KEY = "expected_reports_stamp"


def _stamp(s: Session, until: date) -> str:
    """What the expected reports depend on, cheaply: the month and the last change of the
    units, the report types and the calendar overrides."""
    units = s.execute(select(func.count(Unit.id), func.max(Unit.updated_at))).one()
    types = s.execute(select(func.count(ReportType.id), func.max(ReportType.updated_at))).one()
    days = s.scalar(select(func.count()).select_from(HolidayOverride))
    return f"{until:%Y-%m}|{units[0]}|{units[1]}|{types[0]}|{types[1]}|{days}"


def _save_stamp(s: Session, until: date) -> None:
    row = s.get(Setting, STAMP_KEY)
    value = _stamp(s, until)
    if row is None:
        s.add(Setting(key=STAMP_KEY, value=value))
    else:
        row.value = value


def refresh(db: Database, today: date, progress: Progress | None = None,
            cancel: Callable[[], bool] | None = None) -> RegenResult | None:
    """Regenerate at start-up only when something it depends on changed since the last run
    (a new month, units, report types, calendar): most starts then cost two tiny queries."""
    with db.session() as s:
        row = s.get(Setting, STAMP_KEY)
        if row is not None and row.value == _stamp(s, today):
            return None
    return regenerate(db, today, progress, cancel)
