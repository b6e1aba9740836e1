"""Figures of a consolidated report for one period, gathered from the data services.

Owns ``gather(db, period, as_of)`` → ``ReportData`` (frozen): the agency and plan header
data, report timeliness (services.timeliness, services.tracking), task status classes
(services.task_status), activity indicators against the previous period and per unit
(services.aggregates), target statuses (services.targets) and highlights quoted from the
units' summaries. The document builders (consolidated_report, report_drafts,
reminder_letter) only word these figures; no figure is computed twice.

"as_of" is the document date: statuses are those on that day, so a report can be
regenerated later and still say what it said.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from models import DirectiveDocument, Unit
from models.db import Database
from services import task_status as ts
from services import timeliness as tl
from services.periods import MONTH, Period
from services.settings import AgencyInfo, get_agency
from services.text import fold

MAX_HIGHLIGHTS = 5


@dataclass(frozen=True)
class PlanInfo:
    id: int
    doc_type: str   # "Kế hoạch"
    symbol: str     # "726/KH-UBND"
    doc_date: date | None
    issuer: str
    title: str

    def reference(self) -> str:
        """"Kế hoạch số 726/KH-UBND ngày 20/02/2025 của Ủy ban nhân dân tỉnh X"."""
        parts = [self.doc_type or "Kế hoạch"]
        if self.symbol:
            parts.append(f"số {self.symbol}")
        if self.doc_date:
            parts.append(f"ngày {self.doc_date:%d/%m/%Y}")
        if self.issuer:
            parts.append(f"của {self.issuer}")
        return " ".join(parts)


@dataclass(frozen=True)
class ReportingRow:
    """One expected report of the period (annex 1 of a monthly report; reminder letters)."""
    unit_id: int
    unit_name: str
    report_type_id: int
    report_type: str
    period: str
    due_wording: str
    last_on_time_day: date
    received: date | None
    doc_number: str
    summary: str
    status: str
    status_text: str
    days: int


@dataclass(frozen=True)
class UnitRate:
    """Counts per unit over a multi-month period (annex 1 of a six-month or annual report)."""
    unit_name: str
    counts: tl.StatusCounts


@dataclass(frozen=True)
class TaskRow:
    unit_id: int
    unit_code: str
    unit_name: str
    task_code: str
    task_text: str
    role: str
    due: date | None
    progress: str      # "Đang thực hiện"
    status: str        # task_status class key
    result: str


@dataclass(frozen=True)
class ActivityRow:
    code: str
    name: str
    uom: str
    value: float | None
    previous: float | None
    target: float | None
    comparison: str


@dataclass(frozen=True)
class UnitFigures:
    unit_name: str
    values: tuple[float | None, ...]  # one per ReportData.activity indicator


@dataclass(frozen=True)
class Highlight:
    unit_name: str
    text: str


@dataclass(frozen=True)
class ReportData:
    period: str
    period_label: str          # "tháng 11 năm 2026"
    previous_label: str        # "tháng 10 năm 2026"
    next_label: str
    as_of: date
    agency: AgencyInfo
    agency_title: str          # the agency in running text: "Sở Khoa học và Công nghệ"
    plan: PlanInfo | None
    reporting: tl.StatusCounts
    reporting_rows: tuple[ReportingRow, ...]   # every expected report of the period's months
    unit_rates: tuple[UnitRate, ...]
    task_counts: tuple[tuple[str, int], ...]   # (class key, count) in official order
    unit_task_counts: tuple[tuple[str, tuple[int, ...]], ...]  # (unit name, counts as task_counts)
    task_rows: tuple[TaskRow, ...]
    activity: tuple[ActivityRow, ...]
    unit_figures: tuple[UnitFigures, ...]
    target_status: tuple[tuple[str, int], ...]  # (targets status label, count)
    highlights: tuple[Highlight, ...]

    @property
    def is_month(self) -> bool:
        return Period.parse(self.period).kind == MONTH

    def rows_with(self, *statuses: str) -> list[ReportingRow]:
        return [r for r in self.reporting_rows if r.status in statuses]


def title_case_agency(agency: AgencyInfo, unit_name: str) -> str:
    """The agency as running text: its unit's name, else the header name in sentence case."""
    if unit_name:
        return unit_name
    n = agency.name.strip()
    return n[:1] + n[1:].lower() if n else "Cơ quan thường trực"


def main_plan(s, plan_id: int | None = None) -> PlanInfo | None:  # noqa: ANN001 - Session
    """The plan reported on: the one asked for, else the first plan entered (lowest id)."""
    q = select(DirectiveDocument).where(DirectiveDocument.is_plan.is_(True))
    q = q.where(DirectiveDocument.id == plan_id) if plan_id else q.order_by(DirectiveDocument.id)
    d = s.scalars(q).first()
    if d is None:
        return None
    return PlanInfo(d.id, d.doc_type or "Kế hoạch", d.symbol, d.doc_date, d.issuer, d.title)


def plan_info(db: Database, plan_id: int | None = None) -> PlanInfo | None:
    with db.session() as s:
        return main_plan(s, plan_id)


def reporting_rows(db: Database, p: Period, as_of: date) -> list[ReportingRow]:
    """Every expected report whose month lies in the period, with its status on `as_of`."""
    from services.tracking import ReportFilter, rows

    out = []
    for mk in p.months():
        for r in rows(db, ReportFilter(month_key=mk), as_of, sort="unit_name"):
            out.append(ReportingRow(r.unit_id, r.unit_name, r.report_type_id, r.report_type,
                                    r.period, r.due_wording, r.last_on_time_day, r.received_date, r.doc_number,
                                    r.summary, r.status, r.status_text, r.days))
    return out


def _tasks(db: Database, as_of: date, plan_id: int | None) -> tuple[list[TaskRow], list]:
    """Assignments (services.assignments, official classes: no "sắp đến hạn") in unit order,
    and the per-unit class counts (services.assignments.unit_summary)."""
    from services.assignments import (
        AssignmentFilter,
        get_assignments,
        search_assignments,
        unit_summary,
    )

    summary = unit_summary(db, as_of, plan_id, due_soon_days=-1)
    ids = search_assignments(db, AssignmentFilter(plan_id=plan_id), as_of, sort="task", due_soon_days=-1)
    rows = get_assignments(db, ids, as_of, due_soon_days=-1)
    order = {u.unit_id: i for i, u in enumerate(summary)}
    rows = sorted(rows, key=lambda r: order.get(r.unit_id, len(order)))  # stable: task order kept
    return [TaskRow(r.unit_id, r.unit_code, r.unit_name, r.task_code, r.task_text, r.role, r.effective_due,
                    r.progress_label, r.status, r.result_text) for r in rows], summary


def _activity(db: Database, p: Period) -> tuple[list[ActivityRow], list[UnitFigures]]:
    from models import Indicator
    from services import aggregates as ag

    with db.session() as s:
        totals = ag.activity_totals_in(s, p)
        targets = {i.id: (i.target_value, i.comparison) for i in s.scalars(
            select(Indicator).where(Indicator.id.in_([t.indicator_id for t in totals])))}
        rows = [ActivityRow(t.code, t.name, t.uom, t.value, t.previous, *targets.get(t.indicator_id, (None, "")))
                for t in totals]
        # One unit × period table per indicator (rows include reporting units with no figure).
        tables = [ag.table_in(s, t.indicator_id, [p]) for t in totals]
    names: dict[object, str] = {}
    cells: dict[object, list[float | None]] = {}
    for i, tab in enumerate(tables):
        for r in tab.rows:
            names.setdefault(r.key, r.name)
            cells.setdefault(r.key, [None] * len(tables))[i] = r.values[0]
    return rows, [UnitFigures(names[k], tuple(v)) for k, v in cells.items()]


_PREFIX = re.compile(r"^[^:]{0,250}:\s*")


def quote_of(summary: str, unit_name: str) -> str:
    """The substance of a summary: a "Kết quả … của <unit>:" lead-in is dropped."""
    text = " ".join((summary or "").split())
    m = _PREFIX.match(text)
    if m and fold(unit_name) in fold(m.group(0)):
        text = text[m.end():]
    text = text.rstrip(" ;.")
    return text[:1].upper() + text[1:] if text else ""


def _highlights(rows: list[ReportingRow], figures: list[UnitFigures], n_ind: int) -> list[Highlight]:
    """Summaries of the units leading an activity indicator (one per unit), then others."""
    with_summary = {r.unit_name: r.summary for r in rows if r.received and r.summary.strip()}
    leaders: list[str] = []
    for i in range(n_ind):
        ranked = sorted((f for f in figures if f.values[i] is not None and f.unit_name in with_summary),
                        key=lambda f: -(f.values[i] or 0))
        if ranked and ranked[0].unit_name not in leaders:
            leaders.append(ranked[0].unit_name)
    for name in with_summary:  # no figures at all: the first summaries received
        if len(leaders) >= MAX_HIGHLIGHTS:
            break
        if name not in leaders and not figures:
            leaders.append(name)
    out = [Highlight(u, quote_of(with_summary[u], u)) for u in leaders[:MAX_HIGHLIGHTS]]
    return [h for h in out if h.text]


def gather(db: Database, period: str | Period, as_of: date, plan_id: int | None = None) -> ReportData:
    """Everything the consolidated report says about `period`, as of `as_of`."""
    from services.targets import STATUS_LABELS, status_counts, target_progress

    p = period if isinstance(period, Period) else Period.parse(period)
    agency = get_agency(db)
    with db.session() as s:
        plan = main_plan(s, plan_id)
        unit = s.get(Unit, agency.unit_id) if agency.unit_id else None
        agency_title = title_case_agency(agency, unit.name if unit else "")
    task_rows, summary = _tasks(db, as_of, plan_id)
    months = p.months()
    counts = tl.counts(db, as_of, months)
    rep_rows = reporting_rows(db, p, as_of)
    unit_rates: list[UnitRate] = []
    if p.kind != MONTH:
        unit_rates = [UnitRate(r.label, r.counts) for r in tl.rates_by(db, as_of, "unit", months)]
    classes = [k for k in ts.CLASSES if k != ts.SAP_DEN_HAN]  # not an official class
    by_class = {k: sum(u.counts[k] for u in summary) for k in classes}
    unit_counts = tuple((u.name, tuple(u.counts[k] for k in classes)) for u in summary)
    activity, figures = _activity(db, p)
    targets = status_counts(target_progress(db))
    return ReportData(
        period=p.name, period_label=p.label(), previous_label=p.previous().label(),
        next_label=p.next().label(), as_of=as_of, agency=agency, agency_title=agency_title,
        plan=plan, reporting=counts, reporting_rows=tuple(rep_rows), unit_rates=tuple(unit_rates),
        task_counts=tuple((k, by_class[k]) for k in classes), unit_task_counts=unit_counts,
        task_rows=tuple(task_rows), activity=tuple(activity), unit_figures=tuple(figures),
        target_status=tuple((STATUS_LABELS[k], v) for k, v in targets.items()),
        highlights=tuple(_highlights(rep_rows, figures, len(activity))),
    )


# ---- wording helpers shared by the builders ---------------------------------------------

_DATE_CLAUSE = re.compile(r"\s+ngày\s+\d{1,2}/\d{1,2}/\d{4}")
_ISSUER_AFTER_NUMBER = re.compile(r"(số\s+[^\s,]+)\s+của\s+[^,]*?(?=\s+và\s|\s+về\s|,|$)")
_AREA = re.compile(r"\s+trên địa bàn\b.*$")


def short_title(title: str, limit: int = 120) -> str:
    """A plan title fit for a trích yếu: dates and issuers after document numbers dropped,
    the "trên địa bàn …" tail dropped, and cut before "về …" (then "và …") while too long."""
    t = " ".join((title or "").split())
    t = _DATE_CLAUSE.sub("", t)
    t = _ISSUER_AFTER_NUMBER.sub(r"\1", t)
    t = _AREA.sub("", t)
    for word in (" về ", " và "):
        while len(t) > limit and word in t[30:]:
            t = t[: t.rindex(word)]
    return t.strip(" ,;.")


def plan_phrase(plan: PlanInfo | None, limit: int = 120) -> str:
    """"Kế hoạch tuyên truyền thực hiện Nghị quyết số 03/NQ-CP …" (type + shortened title)."""
    if plan is None:
        return "Kế hoạch"
    kind = plan.doc_type or "Kế hoạch"
    t = short_title(plan.title, limit)
    if fold(t).startswith(fold(kind)):
        return t
    return f"{kind} {t[:1].lower()}{t[1:]}" if t else kind


def number(v: float | None) -> int | float | None:
    """Whole figures as int so tables print "4.856", not "4.856,0"."""
    if v is None:
        return None
    return int(v) if float(v).is_integer() else round(float(v), 2)


def percent(rate: float | None) -> str:
    return tl.percent(rate)


def expand_abbreviations(name: str) -> str:
    """"UBND tỉnh" → "Ủy ban nhân dân tỉnh": Kính gửi and running text spell names out."""
    return re.sub(r"\bUBND\b", "Ủy ban nhân dân", name)
