"""Listing and search of the incoming report register (Sổ báo cáo đến).

Filters (period, unit, group, status, diacritic-free search in unit names, document
numbers and summaries) and sorting run in SQL; the GUI holds ids and fetches pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, literal, or_, select

from models import Attachment, ExpectedReport, IncomingReport, ReportType, Unit
from models.db import Database
from services import timeliness as tl
from services.incoming import CHANNELS
from services.periods import Period
from services.text import like_pattern
from services.tracking import ReportFilter

UNLINKED = "ngoai"  # a report that answers no expected report
UNLINKED_LABEL = "Ngoài chế độ báo cáo"


@dataclass(frozen=True)
class IncomingRow:
    id: int
    version: int
    unit_id: int
    unit_code: str
    unit_name: str
    group: str
    report_type: str
    period: str
    period_label: str
    doc_number: str
    doc_date: date | None
    received_date: date
    channel: str
    channel_label: str
    summary: str
    files: int
    expected_report_id: int | None
    last_on_time_day: date | None
    status: str
    status_text: str


def periods_of_month(month_key: str) -> list[str]:
    """Period names whose last month is `month_key` ("2026-06" → 2026-06, 2026-Q2, 2026-H1)."""
    p = Period.parse(month_key)
    y, m = p.year, p.last_month
    out = [month_key]
    if m % 3 == 0:
        out.append(f"{y}-Q{m // 3}")
    if m % 6 == 0:
        out.append(f"{y}-H{m // 6}")
    if m == 9:
        out.append(f"{y}-9M")
    if m == 12:
        out.append(str(y))
    return out


def _status_col():  # noqa: ANN202 - SQL expression
    e = ExpectedReport
    return case(
        (e.id.is_(None), literal(UNLINKED)),
        (e.excused.is_(True), literal(tl.EXCUSED)),
        (IncomingReport.received_date <= e.last_on_time_day, literal(tl.ON_TIME)),
        else_=literal(tl.LATE),
    )


def _query(f: ReportFilter) -> Select:
    r, e = IncomingReport, ExpectedReport
    q = (select(r.id).select_from(r).join(Unit, Unit.id == r.unit_id)
         .outerjoin(e, e.id == r.expected_report_id)
         .outerjoin(ReportType, ReportType.id == r.report_type_id))
    if f.month_key:
        # The report's own period, or the expected report it answers (stand-ins).
        q = q.where(or_(r.period.in_(periods_of_month(f.month_key)), r.period.like(f"{f.month_key}-__"),
                        e.month_key == f.month_key))
    if f.unit_id is not None:
        q = q.where(r.unit_id == f.unit_id)
    if f.group:
        q = q.where(Unit.group == f.group)
    if f.report_type_id is not None:
        q = q.where(r.report_type_id == f.report_type_id)
    if f.status:
        q = q.where(_status_col() == f.status)
    pattern = like_pattern(f.query)
    if pattern:
        q = q.where(or_(r.search_key.like(pattern, escape="\\"), Unit.search_key.like(pattern, escape="\\")))
    return q


SORTS = {
    "unit_name": (Unit.sort_order, Unit.code), "unit_code": (Unit.code,), "group": (Unit.group,),
    "report_type": (ReportType.sort_order,), "period_label": (IncomingReport.period,),
    "period": (IncomingReport.period,), "doc_number": (IncomingReport.doc_number,),
    "doc_date": (IncomingReport.doc_date,), "received_date": (IncomingReport.received_date,),
    "channel_label": (IncomingReport.channel,), "summary": (IncomingReport.summary,),
    "last_on_time_day": (ExpectedReport.last_on_time_day,),
}


def search_ids(db: Database, f: ReportFilter, sort: str = "", descending: bool = False) -> list[int]:
    """Ids of matching incoming reports; newest received first unless a sort is asked."""
    q = _query(f)
    cols = SORTS.get(sort) or ((_status_col(),) if sort in ("status", "status_text") else None)
    if cols is None:
        order = (IncomingReport.received_date.desc(), IncomingReport.id.desc())
    else:
        order = tuple(c.desc() if descending else c for c in cols) + (IncomingReport.id,)
    with db.session() as s:
        return list(s.scalars(q.order_by(*order)))


def fetch(db: Database, ids: list[int]) -> list[IncomingRow]:
    if not ids:
        return []
    r, e = IncomingReport, ExpectedReport
    files = (select(Attachment.incoming_report_id.label("rid"), func.count().label("n"))
             .where(Attachment.incoming_report_id.in_(ids)).group_by(Attachment.incoming_report_id).subquery())
    with db.session() as s:
        rows = s.execute(select(r, Unit, ReportType.name, e.last_on_time_day, e.excused, e.excuse_reason,
                                files.c.n)
                         .join(Unit, Unit.id == r.unit_id).outerjoin(e, e.id == r.expected_report_id)
                         .outerjoin(ReportType, ReportType.id == r.report_type_id)
                         .outerjoin(files, files.c.rid == r.id).where(r.id.in_(ids))).all()
    by_id = {}
    for rep, u, rt_name, last, excused, reason, n in rows:
        if rep.expected_report_id is None or last is None:
            status, text = UNLINKED, UNLINKED_LABEL
        else:
            status = tl.status_of(bool(excused), rep.received_date, last, max(rep.received_date, last))
            text = tl.status_text(status, rep.received_date, last, rep.received_date, reason or "")
        try:
            plabel = Period.parse(rep.period).label()
        except Exception:  # noqa: BLE001 - an old free-text period still lists
            plabel = rep.period
        by_id[rep.id] = IncomingRow(
            id=rep.id, version=rep.version, unit_id=u.id, unit_code=u.code, unit_name=u.name, group=u.group,
            report_type=rt_name or "", period=rep.period, period_label=plabel, doc_number=rep.doc_number,
            doc_date=rep.doc_date, received_date=rep.received_date, channel=rep.channel,
            channel_label=CHANNELS.get(rep.channel, rep.channel), summary=rep.summary, files=int(n or 0),
            expected_report_id=rep.expected_report_id, last_on_time_day=last, status=status,
            status_text=text)
    return [by_id[i] for i in ids if i in by_id]
