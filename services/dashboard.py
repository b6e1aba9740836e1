"""Everything the Tổng quan page shows for one period (a month key: "2026-06" also covers
the six-month report standing in for June) as of a date, in one call and one session.

Periods are month keys because that is where reports of different kinds meet; the
figures follow services/timeliness.py (statuses, rates and what their denominators count).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Assignment, ExpectedReport, Extension, ReminderLog, ReportType, Task, Unit
from models.db import Database
from models.plan import DONE
from services import task_status, tracking
from services import timeliness as tl
from services.incoming_list import periods_of_month
from services.periods import Period

UPCOMING_DAYS = 14
HISTORY = 12  # periods in the charts


@dataclass(frozen=True)
class PeriodChoice:
    month_key: str
    label: str  # "Tháng 6/2026 — 6 tháng đầu năm 2026"


@dataclass(frozen=True)
class UpcomingDeadline:
    day: date
    days_left: int
    report_type_id: int
    report_type: str
    due_wording: str
    period: str
    period_label: str
    month_key: str
    owed: int
    received: int


@dataclass(frozen=True)
class OverdueTask:
    assignment_id: int
    task_code: str
    task_text: str
    unit_code: str
    unit_name: str
    due: date
    days_overdue: int
    progress: str


@dataclass(frozen=True)
class UnitBar:
    unit_id: int
    code: str
    name: str
    on_time: int
    late: int
    missing: int


@dataclass(frozen=True)
class Dashboard:
    today: date
    month_key: str
    period_label: str
    deadline_text: str  # "hạn cuối 17/11/2026 (trước ngày 18 hằng tháng)"
    counts: tl.StatusCounts
    missing: tuple[tracking.ExpectedRow, ...]  # units to chase, most overdue first
    late: tuple[tracking.ExpectedRow, ...]
    upcoming: tuple[UpcomingDeadline, ...]
    upcoming_days: int
    overdue_tasks: tuple[OverdueTask, ...]
    by_period: tuple[tl.RateRow, ...]  # the last periods up to this one (chart 1)
    by_unit: tuple[UnitBar, ...]  # the same periods, per unit (chart 2)
    by_group: tuple[tl.RateRow, ...]  # this period, per unit group
    history_keys: tuple[str, ...]
    reminders_sent: int


def period_choices(db: Database) -> list[PeriodChoice]:
    """Month keys that have expected reports, newest first, labelled with their periods."""
    with db.session() as s:
        return _choices(s)


def _choices(s: Session) -> list[PeriodChoice]:
    rows = s.execute(select(ExpectedReport.month_key, ExpectedReport.period).distinct()
                     .where(ExpectedReport.obsolete.is_(False))).all()
    by_key: dict[str, set[str]] = {}
    for mk, period in rows:
        by_key.setdefault(mk, set()).add(period)
    out = []
    for mk in sorted(by_key, reverse=True):
        others = [Period.parse(p).label() for p in sorted(by_key[mk]) if p != mk]
        label = tl.month_label(mk) + (f" — {', '.join(others)}" if others else "")
        out.append(PeriodChoice(mk, label))
    return out


def default_period(db: Database, today: date) -> str | None:
    """The period being collected and chased now: the latest one whose data window has
    closed before `today` (else the earliest there is)."""
    with db.session() as s:
        mk = s.scalar(select(func.max(ExpectedReport.month_key))
                      .where(ExpectedReport.window_end < today, ExpectedReport.obsolete.is_(False)))
        return mk or s.scalar(select(func.min(ExpectedReport.month_key)))


def dashboard(db: Database, month_key: str, today: date, upcoming_days: int = UPCOMING_DAYS,
              history: int = HISTORY) -> Dashboard:
    with db.session() as s:
        choices = {c.month_key: c.label for c in _choices(s)}
        counts = tl.counts_in(s, today, [month_key])
        missing = tracking.rows_in(s, tracking.ReportFilter(month_key=month_key, status=tl.MISSING), today,
                                   "last_on_time_day")
        late = tracking.rows_in(s, tracking.ReportFilter(month_key=month_key, status=tl.LATE), today,
                                "unit_name")
        keys = [k for k in sorted(choices) if k <= month_key][-history:]
        by_period = tl.rates_by_in(s, today, "period", keys)
        by_unit = [UnitBar(r.unit_id or 0, r.key, r.label, r.counts.on_time, r.counts.late, r.counts.missing)
                   for r in tl.rates_by_in(s, today, "unit", keys)]
        sent = s.scalar(select(func.count()).select_from(ReminderLog)
                        .where(ReminderLog.period.in_(periods_of_month(month_key)))) or 0
        return Dashboard(
            today=today, month_key=month_key, period_label=choices.get(month_key, tl.month_label(month_key)),
            deadline_text=_deadline_text(s, month_key), counts=counts,
            missing=tuple(sorted(missing, key=lambda r: -r.days)), late=tuple(late),
            upcoming=tuple(upcoming_deadlines_in(s, today, upcoming_days)), upcoming_days=upcoming_days,
            overdue_tasks=tuple(overdue_tasks_in(s, today)), by_period=tuple(by_period),
            by_unit=tuple(by_unit), by_group=tuple(tl.rates_by_in(s, today, "group", [month_key])),
            history_keys=tuple(keys), reminders_sent=int(sent),
        )


def _deadline_text(s: Session, month_key: str) -> str:
    rows = s.execute(select(ReportType.name, ReportType.due_wording, func.min(ExpectedReport.last_on_time_day),
                            func.max(ExpectedReport.last_on_time_day))
                     .join(ReportType, ReportType.id == ExpectedReport.report_type_id)
                     .where(ExpectedReport.month_key == month_key, ExpectedReport.obsolete.is_(False))
                     .group_by(ReportType.id, ReportType.name, ReportType.due_wording)).all()
    parts = []
    for name, wording, first, last in rows:
        day = first.strftime("%d/%m/%Y") + ("" if first == last else f"–{last.strftime('%d/%m/%Y')}")
        parts.append(f"{name}: hạn cuối {day}" + (f" ({wording})" if wording else ""))
    return "; ".join(parts)


def upcoming_deadlines_in(s: Session, today: date, days: int = UPCOMING_DAYS) -> list[UpcomingDeadline]:
    """Deadlines from today to today + days, per report type and period, with how many
    units owe it (not excused) and how many have sent it."""
    e = ExpectedReport
    rows = s.execute(
        select(e.report_type_id, ReportType.name, ReportType.due_wording, e.period, e.month_key,
               e.last_on_time_day, func.count(e.id), func.count(tl.first_received(today)))
        .join(ReportType, ReportType.id == e.report_type_id)
        .where(e.obsolete.is_(False), e.excused.is_(False), e.last_on_time_day >= today,
               e.last_on_time_day <= today + timedelta(days=days))
        .group_by(e.report_type_id, ReportType.name, ReportType.due_wording, e.period, e.month_key,
                  e.last_on_time_day)
        .order_by(e.last_on_time_day, e.period)).all()
    return [UpcomingDeadline(day, (day - today).days, tid, name, wording or "", period,
                             Period.parse(period).label(), mk, int(n), int(got))
            for tid, name, wording, period, mk, day, n, got in rows]


def overdue_tasks_in(s: Session, today: date) -> list[OverdueTask]:
    """Assignments not completed whose effective due date (the latest extension, else the
    task's date) has passed — the "quá hạn" classes of services.task_status; a task with
    no date at all ("thường xuyên") has no deadline to miss."""
    latest_ext = (select(Extension.new_due).where(Extension.assignment_id == Assignment.id)
                  .order_by(Extension.id.desc()).limit(1).scalar_subquery())
    due = func.coalesce(latest_ext, Task.due_date)
    rows = s.execute(
        select(Assignment.id, Task.code, Task.text, Unit.code, Unit.name, due.label("due"), Assignment.progress)
        .join(Task, Task.id == Assignment.task_id).join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.progress != DONE, due.is_not(None), due < today)
        .order_by(due, Task.code, Unit.sort_order)).all()
    out = []
    for aid, code, text, ucode, uname, d, progress in rows:
        d = d if isinstance(d, date) else date.fromisoformat(str(d))  # SQLite may return text via coalesce
        cls = task_status.classify(progress, None, d, d, False, today, -1)
        out.append(OverdueTask(aid, code, text, ucode, uname, d, (today - d).days, task_status.label(cls)))
    return out
