"""The follow-up list of expected reports (Tình hình nộp báo cáo): one row per
unit × report type × period with its deadline, the report received and its status.

Filtering and sorting happen in SQL; the GUI holds ids and fetches rows a page at a time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from models import ExpectedReport, IncomingReport, ReportType, Unit
from models.db import Database
from services import timeliness as tl
from services.periods import Period
from services.text import like_pattern


@dataclass(frozen=True)
class ReportFilter:
    month_key: str | None = None  # "2026-06" also finds the six-month report standing in for June
    unit_id: int | None = None
    group: str | None = None
    status: str | None = None  # one of timeliness.STATUSES
    query: str = ""  # diacritic-free, in unit names, document numbers and summaries
    report_type_id: int | None = None


@dataclass(frozen=True)
class ExpectedRow:
    id: int
    unit_id: int
    unit_code: str
    unit_name: str
    group: str
    report_type_id: int
    report_type: str
    period: str
    period_label: str
    month_key: str
    window_start: date
    window_end: date
    due_wording: str
    nominal_due: date
    last_on_time_day: date
    received_date: date | None
    incoming_id: int | None
    doc_number: str
    summary: str
    status: str
    status_text: str
    days: int  # days late (trễ hạn) or overdue (chưa nộp), else 0
    excused: bool
    excuse_reason: str
    contact: str  # contact person, phone, e-mail (for chasing)


SORTS = {
    "unit_name": (Unit.sort_order, Unit.code),
    "unit_code": (Unit.code,),
    "group": (Unit.group, Unit.sort_order),
    "report_type": (ReportType.sort_order, ReportType.name),
    "period_label": (ExpectedReport.month_key, ExpectedReport.period),
    "period": (ExpectedReport.month_key, ExpectedReport.period),
    "last_on_time_day": (ExpectedReport.last_on_time_day,),
    "window_end": (ExpectedReport.window_end,),
}


def _query(f: ReportFilter, today: date) -> tuple[Select, object]:
    st, received = tl.status_expr(today), tl.first_received(today)
    e = ExpectedReport
    q = (select(e.id).select_from(e).join(Unit, Unit.id == e.unit_id)
         .join(ReportType, ReportType.id == e.report_type_id)
         .where(e.obsolete.is_(False)))
    if f.month_key:
        q = q.where(e.month_key == f.month_key)
    if f.unit_id is not None:
        q = q.where(e.unit_id == f.unit_id)
    if f.group:
        q = q.where(Unit.group == f.group)
    if f.report_type_id is not None:
        q = q.where(e.report_type_id == f.report_type_id)
    if f.status:
        q = q.where(st == f.status)
    pattern = like_pattern(f.query)
    if pattern:
        in_reports = exists().where(IncomingReport.expected_report_id == e.id,
                                    IncomingReport.search_key.like(pattern, escape="\\"))
        q = q.where(Unit.search_key.like(pattern, escape="\\") | in_reports)
    return q, (st, received)


def list_ids(db: Database, f: ReportFilter, today: date, sort: str = "", descending: bool = False) -> list[int]:
    """Ids of the matching expected reports, sorted in SQL."""
    with db.session() as s:
        return list_ids_in(s, f, today, sort, descending)


def list_ids_in(s: Session, f: ReportFilter, today: date, sort: str = "", descending: bool = False) -> list[int]:
    q, (st, received) = _query(f, today)
    extra = {"status": (st,), "status_text": (st,), "received_date": (received,)}
    cols = SORTS.get(sort) or extra.get(sort)
    if cols is None:
        cols = (ExpectedReport.month_key.desc(), ExpectedReport.period, ReportType.sort_order,
                Unit.sort_order, Unit.code)
    else:
        cols = tuple(c.desc() if descending else c for c in cols) + (Unit.sort_order, ExpectedReport.id)
    return list(s.scalars(q.order_by(*cols)))


def fetch(db: Database, ids: list[int], today: date) -> list[ExpectedRow]:
    """Rows for ids, in the same order."""
    if not ids:
        return []
    with db.session() as s:
        return fetch_in(s, ids, today)


def fetch_in(s: Session, ids: list[int], today: date) -> list[ExpectedRow]:
    e = ExpectedReport
    rows = s.execute(select(e, Unit, ReportType).join(Unit, Unit.id == e.unit_id)
                     .join(ReportType, ReportType.id == e.report_type_id).where(e.id.in_(ids))).all()
    first: dict[int, IncomingReport] = {}
    for r in s.scalars(select(IncomingReport).where(IncomingReport.expected_report_id.in_(ids),
                                                    IncomingReport.received_date <= today)
                       .order_by(IncomingReport.received_date, IncomingReport.id)):
        first.setdefault(r.expected_report_id, r)
    by_id = {}
    for x, u, rt in rows:
        inc = first.get(x.id)
        received = inc.received_date if inc else None
        st = tl.status_of(x.excused, received, x.last_on_time_day, today)
        days = ((received - x.last_on_time_day).days if st == tl.LATE and received
                else (today - x.last_on_time_day).days if st == tl.MISSING else 0)
        by_id[x.id] = ExpectedRow(
            id=x.id, unit_id=u.id, unit_code=u.code, unit_name=u.name, group=u.group,
            report_type_id=rt.id, report_type=rt.name, period=x.period,
            period_label=Period.parse(x.period).label(), month_key=x.month_key,
            window_start=x.window_start, window_end=x.window_end, due_wording=rt.due_wording,
            nominal_due=x.nominal_due, last_on_time_day=x.last_on_time_day, received_date=received,
            incoming_id=inc.id if inc else None, doc_number=inc.doc_number if inc else "",
            summary=inc.summary if inc else "", status=st,
            status_text=tl.status_text(st, received, x.last_on_time_day, today, x.excuse_reason),
            days=days, excused=x.excused, excuse_reason=x.excuse_reason,
            contact=", ".join(p for p in (u.contact_person, u.phone, u.email) if p),
        )
    return [by_id[i] for i in ids if i in by_id]


def rows(db: Database, f: ReportFilter, today: date, sort: str = "", descending: bool = False,
         limit: int | None = None) -> list[ExpectedRow]:
    """Convenience for short lists (dashboard, reminders): ids then rows."""
    with db.session() as s:
        return rows_in(s, f, today, sort, descending, limit)


def rows_in(s: Session, f: ReportFilter, today: date, sort: str = "", descending: bool = False,
            limit: int | None = None) -> list[ExpectedRow]:
    ids = list_ids_in(s, f, today, sort, descending)
    return fetch_in(s, ids[:limit] if limit else ids, today) if ids else []
