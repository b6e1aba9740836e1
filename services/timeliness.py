"""Timeliness of expected reports and the reporting rates (DESIGN.md §2–3).

Status of one expected report as of a date `today`:
- "mien" (miễn): excused by the secretariat, whatever was received;
- "dung_han" (đúng hạn): its first linked report was received on or before the last on-time day;
- "tre_han" (trễ hạn N ngày): received after it, N = calendar days after the last on-time day;
- "chua_nop" (chưa nộp): nothing received and the last on-time day is before `today`;
- "chua_den_han" (chưa đến hạn): nothing received and the last on-time day is `today` or later.
Only reports received on or before `today` count, so a past date shows the past.

Rates (decision, also in README): completeness = received ÷ expected and
timeliness = on time ÷ expected, where "expected" counts only the reports that can be
judged: excused reports (miễn) are left out of numerator and denominator, and so are
reports not received whose deadline has not passed yet (chưa đến hạn) — an early report
is counted. With nothing to judge the rate is None (shown as "—"). Obsolete expected
reports (kept only because a received report is linked) are not counted at all.

Everything is computed with SQL aggregates (GROUP BY over a CASE), never a Python loop
over all rows, so it stays fast with 50,000 expected reports.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, literal, select
from sqlalchemy.orm import Session

from models import ExpectedReport, IncomingReport, Unit
from models.db import Database

ON_TIME, LATE, MISSING, NOT_DUE, EXCUSED = "dung_han", "tre_han", "chua_nop", "chua_den_han", "mien"
STATUSES = (ON_TIME, LATE, MISSING, NOT_DUE, EXCUSED)
STATUS_LABELS = {
    ON_TIME: "Đúng hạn", LATE: "Trễ hạn", MISSING: "Chưa nộp", NOT_DUE: "Chưa đến hạn", EXCUSED: "Miễn",
}
STATUS_COLORS = {  # background colours shared by tables and charts
    ON_TIME: "#d9f2d9", LATE: "#ffe8b3", MISSING: "#f8c9c4", NOT_DUE: "#e8eef7", EXCUSED: "#e6e6e6",
}


def received_subquery(today: date):  # noqa: ANN201 - SQLAlchemy subquery
    """First received date (and count) of the reports linked to each expected report, up to today."""
    return (select(IncomingReport.expected_report_id.label("eid"),
                   func.min(IncomingReport.received_date).label("received"),
                   func.count(IncomingReport.id).label("n"))
            .where(IncomingReport.expected_report_id.is_not(None), IncomingReport.received_date <= today)
            .group_by(IncomingReport.expected_report_id)
            .subquery("rcv"))


def status_case(rcv, today: date):  # noqa: ANN001, ANN201 - SQL expressions
    """The status as a SQL CASE over ExpectedReport joined (outer) with `received_subquery`."""
    e = ExpectedReport
    return case(
        (e.excused.is_(True), literal(EXCUSED)),
        (rcv.c.received.is_(None) & (e.last_on_time_day < today), literal(MISSING)),
        (rcv.c.received.is_(None), literal(NOT_DUE)),
        (rcv.c.received <= e.last_on_time_day, literal(ON_TIME)),
        else_=literal(LATE),
    )


def first_received(today: date):  # noqa: ANN201 - SQL expression
    """Correlated scalar subquery over the enclosing query's ExpectedReport row: the first
    received date of its linked reports up to today (one seek in the covering index
    ix_incoming_report_expected_received, so a query filtered to one month reads only that
    month's reports instead of grouping every incoming report)."""
    return (select(func.min(IncomingReport.received_date))
            .where(IncomingReport.expected_report_id == ExpectedReport.id, IncomingReport.received_date <= today)
            .correlate(ExpectedReport).scalar_subquery())


def status_expr(today: date):  # noqa: ANN201 - SQL expression
    """The status of the enclosing query's ExpectedReport row as one SQL expression, same rule
    as `status_case`; the linked reports are looked up once per row (see `first_received`)."""
    e = ExpectedReport
    first = func.min(IncomingReport.received_date)
    received = (select(case((first <= e.last_on_time_day, literal(ON_TIME)),
                            (first.is_not(None), literal(LATE))))
                .where(IncomingReport.expected_report_id == e.id, IncomingReport.received_date <= today)
                .correlate(e).scalar_subquery())
    open_status = case((e.last_on_time_day < today, literal(MISSING)), else_=literal(NOT_DUE))
    return case((e.excused.is_(True), literal(EXCUSED)), else_=func.coalesce(received, open_status))


def status_of(excused: bool, received: date | None, last_on_time_day: date, today: date) -> str:
    """The same rule in Python, for one row already fetched."""
    if excused:
        return EXCUSED
    if received is None or received > today:
        return MISSING if last_on_time_day < today else NOT_DUE
    return ON_TIME if received <= last_on_time_day else LATE


def status_text(status: str, received: date | None, last_on_time_day: date, today: date,
                reason: str = "") -> str:
    """"Trễ hạn 3 ngày", "Chưa nộp (quá hạn 5 ngày)", "Chưa đến hạn (còn 2 ngày)", "Miễn: …"."""
    if status == LATE and received is not None:
        return f"Trễ hạn {(received - last_on_time_day).days} ngày"
    if status == MISSING:
        return f"Chưa nộp (quá hạn {(today - last_on_time_day).days} ngày)"
    if status == NOT_DUE:
        left = (last_on_time_day - today).days
        return "Chưa đến hạn (hạn cuối hôm nay)" if left == 0 else f"Chưa đến hạn (còn {left} ngày)"
    if status == EXCUSED and reason:
        return f"Miễn: {reason}"
    return STATUS_LABELS[status]


@dataclass(frozen=True)
class StatusCounts:
    """Counts per status of a set of expected reports, with the two rates."""

    total: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    not_due: int = 0
    excused: int = 0

    @property
    def received(self) -> int:
        return self.on_time + self.late

    @property
    def judged(self) -> int:
        """The rates' denominator: neither excused nor still open before the deadline."""
        return self.on_time + self.late + self.missing

    @property
    def owed(self) -> int:
        """Expected reports that are owed (not excused)."""
        return self.total - self.excused

    @property
    def completeness(self) -> float | None:
        return self.received / self.judged if self.judged else None

    @property
    def timeliness(self) -> float | None:
        return self.on_time / self.judged if self.judged else None

    def count(self, status: str) -> int:
        return {ON_TIME: self.on_time, LATE: self.late, MISSING: self.missing, NOT_DUE: self.not_due,
                EXCUSED: self.excused}[status]


@dataclass(frozen=True)
class RateRow:
    key: str  # unit code, group name or month key
    label: str
    counts: StatusCounts
    unit_id: int | None = None


def percent(rate: float | None) -> str:
    """"93,8%" (Vietnamese decimal comma) or "—"."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}".replace(".", ",").removesuffix(",0") + "%"


def status_rows(today: date) -> Select:
    """SELECT of (id, unit_id, month_key, period, status) for every current expected report;
    callers add WHERE clauses and aggregate over it."""
    e = ExpectedReport
    return (select(e.id.label("id"), e.unit_id.label("unit_id"), e.month_key.label("month_key"),
                   e.period.label("period"), e.report_type_id.label("report_type_id"),
                   status_expr(today).label("status"))
            .select_from(e)
            .where(e.obsolete.is_(False)))


def _aggregate(s: Session, base: Select, key_col: str | None) -> dict:
    """{key: StatusCounts} over `status_rows`-shaped SELECT, grouped by one of its columns
    (or a single entry under None)."""
    sub = base.subquery("st")
    cols = [func.count().label("total")] + [
        func.sum(case((sub.c.status == st, 1), else_=0)).label(st) for st in STATUSES]
    if key_col is None:
        q = select(literal(None).label("k"), *cols).select_from(sub)
    else:
        q = select(sub.c[key_col], *cols).group_by(sub.c[key_col])
    out = {}
    for row in s.execute(q):
        m = row._mapping
        if not m["total"]:
            continue
        out[row[0]] = StatusCounts(int(m["total"]), int(m[ON_TIME] or 0), int(m[LATE] or 0),
                                   int(m[MISSING] or 0), int(m[NOT_DUE] or 0), int(m[EXCUSED] or 0))
    return out


def _filtered(today: date, month_keys: list[str] | None, unit_id: int | None, group: str | None,
              report_type_id: int | None) -> Select:
    q = status_rows(today)
    e = ExpectedReport
    if month_keys:
        q = q.where(e.month_key.in_(month_keys))
    if unit_id is not None:
        q = q.where(e.unit_id == unit_id)
    if group:
        q = q.where(e.unit_id.in_(select(Unit.id).where(Unit.group == group)))
    if report_type_id is not None:
        q = q.where(e.report_type_id == report_type_id)
    return q


def counts(db: Database, today: date, month_keys: list[str] | None = None, unit_id: int | None = None,
           group: str | None = None, report_type_id: int | None = None) -> StatusCounts:
    """Status counts of the expected reports matching the filters (all periods when none given)."""
    with db.session() as s:
        return counts_in(s, today, month_keys, unit_id, group, report_type_id)


def counts_in(s: Session, today: date, month_keys: list[str] | None = None, unit_id: int | None = None,
              group: str | None = None, report_type_id: int | None = None) -> StatusCounts:
    q = _filtered(today, month_keys, unit_id, group, report_type_id)
    return _aggregate(s, q, None).get(None, StatusCounts())


def rates_by(db: Database, today: date, by: str, month_keys: list[str] | None = None,
             group: str | None = None, unit_id: int | None = None) -> list[RateRow]:
    """Counts and rates grouped by "unit", "group" or "period" (month key), in display order."""
    with db.session() as s:
        return rates_by_in(s, today, by, month_keys, group, unit_id)


def rates_by_in(s: Session, today: date, by: str, month_keys: list[str] | None = None,
                group: str | None = None, unit_id: int | None = None) -> list[RateRow]:
    base = _filtered(today, month_keys, unit_id, group, None)
    if by == "period":
        agg = _aggregate(s, base, "month_key")
        return [RateRow(k, month_label(k), agg[k]) for k in sorted(agg)]
    agg = _aggregate(s, base, "unit_id")
    units = {u.id: u for u in s.scalars(select(Unit).where(Unit.id.in_(list(agg))))}
    if by == "unit":
        ordered = sorted(agg, key=lambda i: (units[i].sort_order, units[i].code))
        return [RateRow(units[i].code, units[i].short_name or units[i].name, agg[i], i) for i in ordered]
    if by == "group":
        # Few units: summing their counts in Python is cheap (the heavy part was SQL).
        groups: dict[str, list[StatusCounts]] = {}
        for uid, c in agg.items():
            groups.setdefault(units[uid].group, []).append(c)
        return [RateRow(g, g, _sum(cs)) for g, cs in sorted(groups.items())]
    raise ValueError(by)


def _sum(cs: list[StatusCounts]) -> StatusCounts:
    return StatusCounts(*(sum(getattr(c, f) for c in cs)
                          for f in ("total", "on_time", "late", "missing", "not_due", "excused")))


def month_label(month_key: str) -> str:
    """"Tháng 11/2026" for a month key "2026-11"."""
    y, m = month_key.split("-")
    return f"Tháng {int(m)}/{y}"


def unit_report_status(db: Database, today: date) -> dict[str, dict]:
    """Per unit code: counts per status and the two rates over all periods due so far
    (for `status --json`). Rates follow the module's rule; None when nothing to judge."""
    out = {}
    for r in rates_by(db, today, "unit"):
        c = r.counts
        out[r.key] = {
            "name": r.label, "expected": c.total, **{st: c.count(st) for st in STATUSES},
            "received": c.received,
            "completeness": round(c.completeness, 4) if c.completeness is not None else None,
            "timeliness": round(c.timeliness, 4) if c.timeliness is not None else None,
        }
    return out
