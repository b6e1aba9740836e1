"""Deadlines computed from the regime without writing anything: the preview shown while a
report type is edited, and every report owed in a year (the `deadlines` command)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select

from models import ReportType, Unit
from models.db import Database
from services.periods import ONCE, Period, iter_periods
from services.regime import due_date, load_calendar, wanted_reports
from services.report_types import ReportTypeInput


# ---- preview ----------------------------------------------------------------------
@dataclass(frozen=True)
class DeadlinePreview:
    period: str
    label: str
    window_start: date
    window_end: date
    nominal_due: date
    last_on_time_day: date


def preview(db: Database, data: ReportTypeInput, around: date, count: int = 6) -> list[DeadlinePreview]:
    """Windows and computed deadlines of the next periods from `around` (for the form),
    with the working-day calendar; nothing is written."""
    rt = ReportType(**{k: v for k, v in asdict(data).items() if k not in ("id", "version", "unit_ids")})
    with db.session() as s:
        cal = load_calendar(s)
    if rt.period_kind == ONCE:
        if not rt.once_due:
            return []
        periods = [Period(rt.once_due.year, rt.once_due.month, ONCE, 1, rt.once_due.day)]
    else:
        allowed = {x.strip().upper() for x in rt.period_filter.split(",") if x.strip()}
        start = f"{around.year}-{around.month:02d}"
        periods = [p for p in iter_periods(rt.period_kind, start, f"{around.year + 3}-12")
                   if not allowed or p.name.split("-")[-1].upper() in allowed][:count]
    out = []
    for p in periods:
        ws, we = p.window(rt.cutoff_day)
        nominal, last = due_date(rt, p, cal)
        out.append(DeadlinePreview(p.name, p.label(), ws, we, nominal, last))
    return out


# ---- deadlines of a year (CLI `deadlines`) ---------------------------------------------
@dataclass(frozen=True)
class ExpectedDeadline:
    unit_code: str
    report_type: str
    period: str
    window_start: date
    window_end: date
    due_wording: str
    nominal_due: date
    last_on_time_day: date


def year_deadlines(db: Database, year: int) -> list[ExpectedDeadline]:
    """Every report owed for a period of `year` (unit × type × period), computed from the
    regime and the calendar as they are now — the whole year, not only what has been
    generated so far — without writing anything."""
    with db.session() as s:
        wanted = [v for v in wanted_reports(s, date(year, 12, 31)).values() if v["period"][:4] == str(year)]
        types = {t.id: t for t in s.scalars(select(ReportType))}
        units = {u.id: u for u in s.scalars(select(Unit))}
    wanted.sort(key=lambda v: (v["last_on_time_day"], types[v["report_type_id"]].sort_order, v["period"],
                               units[v["unit_id"]].sort_order, units[v["unit_id"]].code))
    return [ExpectedDeadline(units[v["unit_id"]].code, types[v["report_type_id"]].name, v["period"],
                             v["window_start"], v["window_end"], types[v["report_type_id"]].due_wording,
                             v["nominal_due"], v["last_on_time_day"]) for v in wanted]
