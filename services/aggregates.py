"""Indicator aggregation: the one service that turns stored values into figures.

The Chỉ tiêu page, the consolidated report and the Excel forms all read figures here, so
one set of rules holds everywhere. Every figure is computed in SQL (window functions and
GROUP BY over ``indicator_value``), never by looping over stored rows in Python.

Rules
-----
Values are stored per unit (``unit_id`` NULL = a province-wide figure) × period, where the
period is a month (``"2026-05"``) or a whole period (``"2026"``, ``"2026-Q2"``, ``"2026-H1"``,
``"2026-9M"``).

1. A unit's figure for a period P is the value stored for exactly P when there is one;
   otherwise its months inside P rolled up by the indicator's aggregation:
   ``sum`` = sum of the months, ``mean`` = mean of the months that have a value,
   ``max`` = the largest month, ``latest`` = the latest month that has a value.
   Values stored for other sub-periods of P (a quarter inside a year) are not used for P:
   mixing them with months would count the same activity twice.
2. Several units (a group's members, a unit category, the whole province): unit figures
   add up for ``sum`` and ``latest`` (a latest value is a stock at the end of the period, and
   stocks of different units add up), ``mean`` gives the mean of the unit figures, ``max``
   the largest one.
3. A group unit ("Các sở, ban, ngành") stands for its members (units whose parent it is),
   plus anything stored on the group unit itself.
4. The province (``unit_id=None``): the province-wide figure stored for the period if there
   is one, otherwise rule 2 over all units.
5. Targets: see ``services.targets`` (comparison semantics, statuses, progress), which
   reads its figures from here.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Indicator, Unit
from models.db import Database
from models.indicators import LATEST, MAX, MEAN, SUM
from services.aggregates_sql import (
    ALL,
    ROWS_CATEGORY,
    ROWS_GROUP,
    ROWS_UNIT,
    Bucket,
    Result,
    additive,
    data_years_in,
    figures_in,
    has_direct,
    scope_figures_in,
    scope_units,
)
from services.errors import NotFound, ValidationError
from services.periods import MONTH, ONCE, YEAR, Period, periods_of_kind
from services.text import fold

__all__ = [  # the public API (with the dataclasses below); the SQL lives in aggregates_sql
    "ROWS_UNIT", "ROWS_GROUP", "ROWS_CATEGORY", "value", "values", "values_in", "unit_period_table",
    "table_in", "table_periods", "group_totals", "activity_totals", "activity_totals_in", "trend",
    "trend_in", "data_years_in", "scope_figures_in", "short_label", "as_period",
]

AGGREGATIONS = (SUM, MEAN, LATEST, MAX)
AGGREGATION_LABELS = {SUM: "Cộng dồn (tổng)", MEAN: "Trung bình", LATEST: "Giá trị mới nhất",
                      MAX: "Lớn nhất"}
TOTAL = "__total__"  # bucket name of a table's total column

PeriodLike = Period | str
IndicatorRef = int | str  # id or code


@dataclass(frozen=True)
class TableRow:
    key: int | str | None  # unit id, group unit id, category name; None = province-wide row
    code: str
    name: str
    values: tuple[float | None, ...]  # one per column period
    total: float | None  # over all the columns


@dataclass(frozen=True)
class PeriodTable:
    """Unit (or group) × period table of one indicator, with totals."""

    indicator_id: int
    code: str
    name: str
    uom: str
    aggregation: str
    periods: tuple[str, ...]
    labels: tuple[str, ...]  # Vietnamese column labels ("Quý I/2025")
    rows: tuple[TableRow, ...]
    totals: TableRow  # the rows rolled up (rule 2), per column and overall
    province: TableRow | None  # province-wide figures stored with no unit, if any


@dataclass(frozen=True)
class ActivityTotal:
    indicator_id: int
    code: str
    name: str
    uom: str
    aggregation: str
    period: str
    value: float | None
    previous_period: str
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_pct(self) -> float | None:
        """Change in per cent of the previous figure (None when it is 0 or missing)."""
        if self.change is None or not self.previous:
            return None
        return self.change / self.previous * 100


@dataclass(frozen=True)
class TrendPoint:
    period: str
    label: str
    value: float | None


# ---- helpers --------------------------------------------------------------------------------

def as_period(p: PeriodLike) -> Period:
    period = p if isinstance(p, Period) else Period.parse(p)
    if period.kind == ONCE:
        raise ValidationError("Chỉ tiêu không tổng hợp theo kỳ đột xuất; chọn tháng, quý, 6 tháng, 9 tháng hoặc năm.")
    return period


def short_label(p: Period) -> str:
    """Column label: "T5/2026", "Quý II/2026", "6T đầu/2026", "9T/2026", "2026"."""
    from services.periods import HALF, NINE_MONTHS, QUARTER, ROMAN

    if p.kind == MONTH:
        return f"T{p.last_month}/{p.year}"
    if p.kind == QUARTER:
        return f"Quý {ROMAN[p.index]}/{p.year}"
    if p.kind == HALF:
        return f"6T {'đầu' if p.index == 1 else 'cuối'}/{p.year}"
    if p.kind == NINE_MONTHS:
        return f"9T/{p.year}"
    return str(p.year)


def get_indicator(s: Session, ref: IndicatorRef) -> Indicator:
    ind = s.get(Indicator, ref) if isinstance(ref, int) else \
        s.scalars(select(Indicator).where(Indicator.code == ref)).first()
    if ind is None:
        raise NotFound(f"Không tìm thấy chỉ tiêu {ref}.")
    return ind

def values_in(s: Session, indicator: IndicatorRef, periods: Sequence[PeriodLike],
              unit_id: int | None = None) -> dict[str, float | None]:
    ind = get_indicator(s, indicator)
    ps = [as_period(p) for p in periods]
    got = scope_figures_in(s, [ind.id], [(p.name, [p]) for p in ps], unit_id, {ind.id: ind.aggregation})
    return {p.name: got.get((ind.id, p.name)) for p in ps}


def values(db: Database, indicator: IndicatorRef, periods: Sequence[PeriodLike],
           unit_id: int | None = None) -> dict[str, float | None]:
    """Figures of one indicator for several non-overlapping periods, keyed by period name.

    ``unit_id``: a unit, a group unit (its members roll up) or None for the province."""
    with db.session() as s:
        return values_in(s, indicator, periods, unit_id)


def value(db: Database, indicator: IndicatorRef, period: PeriodLike, unit_id: int | None = None) -> float | None:
    """The figure of one indicator for one period (month, quarter, half, 9 months or year)
    for a unit, a group unit or the province (None); None when nothing was reported."""
    p = as_period(period)
    return values(db, indicator, [p], unit_id)[p.name]


def table_periods(kind: str, year: int, years: int = 5) -> list[Period]:
    """Columns for a table: the periods of a kind in a year; for "year", the last `years` years."""
    if kind == YEAR:
        return [Period.of_kind(YEAR, y) for y in range(year - years + 1, year + 1)]
    return periods_of_kind(kind, year)


def _row_meta(s: Session, rows: str, keys: set, group_id: int | None) -> list[tuple[object, str, str]]:
    """(key, code, name) of the table rows in display order."""
    if rows == ROWS_CATEGORY:
        return [(k, "", str(k)) for k in sorted(keys, key=str)]
    q = select(Unit.id, Unit.code, Unit.name, Unit.is_group, Unit.parent_id, Unit.owes_reports)
    if rows == ROWS_GROUP:
        q = q.where(Unit.parent_id.is_(None))
    elif group_id is not None:
        q = q.where(or_(Unit.parent_id == group_id, Unit.id == group_id))
    out = []
    for uid, code, name, is_group, _parent, owes in s.execute(q.order_by(Unit.sort_order, Unit.code)):
        # Rows with figures always show; reporting units (or a chosen group's members)
        # show even when empty, so a missing figure is visible.
        wanted = rows == ROWS_GROUP and is_group or rows == ROWS_UNIT and owes and not is_group
        if uid in keys or wanted:
            out.append((uid, code, name))
    return out


def _sorted(body: list[TableRow], names: list[str], sort: str | None, descending: bool) -> list[TableRow]:
    """Rows are already aggregated (one per unit at most), so they are ordered here; rows
    without a figure go last either way."""
    if not sort:
        return body
    if sort in ("code", "name"):
        return sorted(body, key=lambda r: fold(getattr(r, sort)), reverse=descending)
    idx = names.index(sort) if sort in names else None

    def fig(r: TableRow) -> float | None:
        return r.values[idx] if idx is not None else r.total

    have = sorted((r for r in body if fig(r) is not None), key=fig, reverse=descending)  # type: ignore[arg-type]
    return have + [r for r in body if fig(r) is None]


def _with_totals(got: Result, ind: int, keys: set, names: list[str], agg: str) -> None:
    """Additive indicators (sum/max, no whole-period value): the total column and the totals
    row follow from the already aggregated cells, so the table costs one GROUP BY."""
    combine = max if agg == MAX else sum
    for k in keys:
        row = [got[(ind, k, n)] for n in names if (ind, k, n) in got]
        if row:
            got[(ind, k, TOTAL)] = combine(row)


def table_in(s: Session, indicator: IndicatorRef, periods: Sequence[PeriodLike], rows: str = ROWS_UNIT,
             group_id: int | None = None, sort: str | None = None, descending: bool = False) -> PeriodTable:
    ind = get_indicator(s, indicator)
    ps = [as_period(p) for p in periods]
    if not ps:
        raise ValidationError("Chưa chọn kỳ nào để tổng hợp.")
    units = scope_units(s, group_id) if group_id is not None else None
    cols: list[Bucket] = [(p.name, [p]) for p in ps]
    ids, aggs, names = [ind.id], {ind.id: ind.aggregation}, [p.name for p in ps]
    direct = has_direct(s, ids, cols)
    easy = additive(aggs, direct) or len(ps) == 1  # one column: it is its own total

    def figures(level: str, province: bool = False) -> Result:
        got = figures_in(s, ids, cols, level, None if province else units, province, aggs, direct)
        keys = {k for (_i, k, _b) in got}
        if easy:
            _with_totals(got, ind.id, keys, names, ind.aggregation)
        else:
            got.update(figures_in(s, ids, [(TOTAL, ps)], level, None if province else units, province, aggs, direct))
        return got

    cells = figures(rows)
    keys = {k for (_i, k, _b) in cells}
    if easy and ind.aggregation in (SUM, MAX):  # the totals row from the rows, too
        totals = {}
        for n in [*names, TOTAL]:
            col = [v for (_i, _k, b), v in cells.items() if b == n]
            if col:
                totals[(ind.id, None, n)] = (max if ind.aggregation == MAX else sum)(col)
    else:
        totals = figures(ALL)

    def make_row(key: object, code: str, name: str, got: Result) -> TableRow:
        return TableRow(key, code, name, tuple(got.get((ind.id, key, n)) for n in names),  # type: ignore[arg-type]
                        got.get((ind.id, key, TOTAL)))

    body = [make_row(k, code, name, cells) for k, code, name in _row_meta(s, rows, keys, group_id)]
    province = None
    if group_id is None:
        prov = figures(ROWS_UNIT, province=True)
        if prov:
            province = make_row(None, "", "Số liệu chung toàn tỉnh", prov)
    return PeriodTable(ind.id, ind.code, ind.name, ind.uom, ind.aggregation, tuple(names),
                       tuple(short_label(p) for p in ps), tuple(_sorted(body, names, sort, descending)),
                       make_row(None, "", "Tổng cộng", totals), province)


def unit_period_table(db: Database, indicator: IndicatorRef, periods: Sequence[PeriodLike],
                      rows: str = ROWS_UNIT, group_id: int | None = None, sort: str | None = None,
                      descending: bool = False) -> PeriodTable:
    """Unit × period table of one indicator with a total column (the indicator's aggregation
    over all the columns) and a totals row (the rows rolled up, rule 2).

    ``rows``: ROWS_UNIT (one row per unit; with ``group_id`` only that group's members),
    ROWS_GROUP (one row per top-level unit: group units with their members rolled up, and
    units outside any group), ROWS_CATEGORY (one row per unit category, Unit.group).
    Periods must not overlap (use ``table_periods(kind, year)``). ``sort``: "code", "name",
    "total" or a period name (None keeps the units' display order)."""
    with db.session() as s:
        return table_in(s, indicator, periods, rows, group_id, sort, descending)


def group_totals(db: Database, indicator: IndicatorRef, period: PeriodLike,
                 rows: str = ROWS_GROUP) -> PeriodTable:
    """One period, one row per group unit (or per category): a one-column table."""
    return unit_period_table(db, indicator, [period], rows)


def activity_totals_in(s: Session, period: PeriodLike, unit_id: int | None = None,
                       family: str | None = "activity") -> list[ActivityTotal]:
    p = as_period(period)
    prev = p.previous()
    q = select(Indicator).order_by(Indicator.sort_order, Indicator.code)
    if family:
        q = q.where(Indicator.family == family)
    inds = s.scalars(q).all()
    got = scope_figures_in(s, [i.id for i in inds], [(p.name, [p]), (prev.name, [prev])], unit_id,
                           {i.id: i.aggregation for i in inds})
    return [ActivityTotal(i.id, i.code, i.name, i.uom, i.aggregation, p.name,
                          got.get((i.id, p.name)), prev.name, got.get((i.id, prev.name))) for i in inds]


def activity_totals(db: Database, period: PeriodLike, unit_id: int | None = None,
                    family: str | None = "activity") -> list[ActivityTotal]:
    """Every indicator of a family (default: the activity counts) for a period and the
    previous period of the same kind, for a unit, a group unit or the province (None).
    The consolidated report's "kết quả tuyên truyền" paragraph and annex use this."""
    with db.session() as s:
        return activity_totals_in(s, period, unit_id, family)


def trend_in(s: Session, indicator: IndicatorRef, kind: str = YEAR, unit_id: int | None = None,
             first_year: int | None = None, last_year: int | None = None) -> list[TrendPoint]:
    ind = get_indicator(s, indicator)
    span = data_years_in(s, [ind.id])
    if span is None:
        return []
    lo, hi = first_year or span[0], last_year or span[1]
    ps = [p for y in range(lo, hi + 1) for p in periods_of_kind(kind, y)]
    got = scope_figures_in(s, [ind.id], [(p.name, [p]) for p in ps], unit_id, {ind.id: ind.aggregation})
    return [TrendPoint(p.name, short_label(p), got.get((ind.id, p.name))) for p in ps]


def trend(db: Database, indicator: IndicatorRef, kind: str = YEAR, unit_id: int | None = None,
          first_year: int | None = None, last_year: int | None = None) -> list[TrendPoint]:
    """The figure for every period of a kind from the first to the last year with data
    (or the years given); periods without data have value None."""
    with db.session() as s:
        return trend_in(s, indicator, kind, unit_id, first_year, last_year)
