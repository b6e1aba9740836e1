"""The SQL behind services.aggregates (its rules are documented there).

Stored values are tagged with the bucket (output period) they fall in; the figures come
from one GROUP BY when months simply add up or take a maximum, and otherwise from window
functions that let a value stored for a whole period win over its months and find each
unit's latest month. Results are keyed (indicator id, row key, bucket name).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    case,
    func,
    literal,
    literal_column,
    null,
    select,
)
from sqlalchemy.orm import Session

from models import Indicator, IndicatorValue, Unit
from models.indicators import LATEST, MAX, MEAN, SUM
from services.errors import NotFound, ValidationError
from services.periods import MONTH, Period

# Row levels: one row per unit, per group unit, per unit category (Unit.group), or one for all.
ROWS_UNIT, ROWS_GROUP, ROWS_CATEGORY, ALL = "unit", "group", "category", "all"


def scope_units(s: Session, unit_id: int) -> list[int]:
    """The unit, plus its members when it is a group unit (rule 3)."""
    if s.get(Unit, unit_id) is None:
        raise NotFound("Không tìm thấy đơn vị.")
    return [unit_id, *s.scalars(select(Unit.id).where(Unit.parent_id == unit_id))]



Bucket = tuple[str, Sequence[Period]]  # (name, member periods whose values it rolls up)


@dataclass
class _Mapping:
    """How stored period names map to buckets: SQL expressions over indicator_value.period."""

    keys: list[str]  # every period name that can contribute (for an indexed IN)
    directs: list[tuple[str, str, str, str]]  # (whole-period name, bucket, member, its last month)
    ranges: list[tuple[str, str, str, str]]  # (first month, last month, bucket, member)

    @property
    def single(self) -> str | None:
        """The bucket name when there is only one (it is then a constant, not a CASE)."""
        names = {r[2] for r in self.ranges}
        return names.pop() if len(names) == 1 else None

    @property
    def yearly(self) -> bool:
        """Every bucket is one calendar year named after it ("2025")."""
        return all(f[5:] == "01" and la[5:] == "12" and b == m == f[:4] for f, la, b, m in self.ranges)

    def bucket(self, with_directs: bool) -> ColumnElement:
        col = IndicatorValue.period
        if self.yearly:  # long trends: a substring beats a CASE of one range per year
            return func.substr(col, 1, 4)
        whens = [(col == d, b) for d, b, _m, _e in self.directs] if with_directs else []
        merged: list[list[str]] = []  # contiguous month ranges of one bucket become one BETWEEN
        for first, last, b, _m in self.ranges:
            if merged and merged[-1][2] == b and _next_month(merged[-1][1]) == first:
                merged[-1][1] = last
            else:
                merged.append([first, last, b])
        # A one-month bucket named after its month needs no WHEN at all (ELSE period).
        whens += [(col.between(f, la), b) for f, la, b in merged if not (f == la == b)]
        return case(*whens, else_=col) if whens else col

    def member(self) -> ColumnElement:
        col = IndicatorValue.period
        if self.yearly:
            return func.substr(col, 1, 4)
        whens = [(col == d, m) for d, _b, m, _e in self.directs]
        whens += [(col.between(f, la), m) for f, la, _b, m in self.ranges if f != la]
        return case(*whens, else_=col) if whens else col

    def end_key(self) -> ColumnElement:
        col = IndicatorValue.period
        return case(*[(col == d, e) for d, _b, _m, e in self.directs], else_=col) if self.directs else col

    def direct(self) -> ColumnElement:
        names = [d for d, _b, _m, _e in self.directs]
        return case((IndicatorValue.period.in_(names), 1), else_=0) if names else literal_column("0")


def _next_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:7])
    return f"{y + m // 12}-{m % 12 + 1:02d}"


def _mapping(buckets: Sequence[Bucket]) -> _Mapping:
    keys: list[str] = []
    directs, ranges = [], []
    seen: set[str] = set()
    for bname, members in buckets:
        for p in members:
            # Months are strings "YYYY-MM", so a member's months are a string range.
            months, own = p.months(), [p.name] if p.kind != MONTH else []
            for k in months + own:
                if k in seen:
                    raise ValidationError(f"Các kỳ tổng hợp chồng lên nhau (tháng {k}).")
                seen.add(k)
            keys += months + own
            if own:
                directs.append((p.name, bname, p.name, p.month_key))
            ranges.append((months[0], months[-1], bname, p.name))
    return _Mapping(keys, directs, ranges)


def _filtered(q: Select, ind_ids: Sequence[int], mp: _Mapping, units: Sequence[int] | None,
              province: bool) -> Select:
    iv = IndicatorValue
    q = q.where(iv.indicator_id.in_(list(ind_ids)), iv.period.in_(mp.keys))
    if units is not None:
        q = q.where(iv.unit_id.in_(list(units)))
    # COALESCE, not IS NOT NULL: the latter lets SQLite pick the (indicator, unit, period)
    # index and scan every unit's history instead of seeking the periods asked for.
    return q.where(iv.unit_id.is_(None) if province else func.coalesce(iv.unit_id, 0) != 0)


def _row_key(level: str) -> ColumnElement | None:
    if level == ROWS_GROUP:
        return func.coalesce(Unit.parent_id, Unit.id)
    return Unit.group if level == ROWS_CATEGORY else None


def _plain_query(ind_ids: Sequence[int], mp: _Mapping, level: str, units: Sequence[int] | None,
                 province: bool, max_ids: Sequence[int]) -> Select:
    """Sums and maxima of months, no whole-period value in the way: rules 1 and 2 reduce to
    one GROUP BY (a sum of unit sums is the sum; a max of unit maxima is the max)."""
    iv = IndicatorValue
    v = iv.value
    value = case((iv.indicator_id.in_(list(max_ids)), func.max(v)), else_=func.sum(v)) if max_ids else func.sum(v)
    single = mp.single
    bucket = literal(single, String) if single is not None else mp.bucket(with_directs=False)
    key = iv.unit_id if level == ROWS_UNIT else _row_key(level)
    q = select(iv.indicator_id, key if key is not None else null(), bucket, value)
    if level in (ROWS_GROUP, ROWS_CATEGORY):
        q = q.join(Unit, Unit.id == iv.unit_id)
    by = [c for c in (key, None if single is not None else bucket) if c is not None]
    return _filtered(q, ind_ids, mp, units, province).group_by(iv.indicator_id, *by)


def _ranked_query(ind_ids: Sequence[int], mp: _Mapping, level: str, units: Sequence[int] | None,
                  province: bool) -> Select:
    """The general case. Each value is tagged with its bucket, its member period, whether it
    is a value for the whole member period ("direct") and the month it ends in; window
    functions keep, per unit and member, the direct value or else the months (dense_rank),
    and find the latest value per unit and bucket (row_number). Stage 1 rolls months up per
    unit (rule 1); stage 2 rolls units up per row key (rule 2)."""
    iv = IndicatorValue
    base = select(iv.indicator_id.label("ind"), iv.unit_id.label("unit"), iv.value.label("v"),
                  mp.bucket(with_directs=True).label("bucket"), mp.member().label("member"),
                  mp.end_key().label("end_key"), mp.direct().label("direct"))
    b = _filtered(base, ind_ids, mp, units, province).subquery("b")
    ranked = select(
        b,
        func.dense_rank().over(partition_by=(b.c.ind, b.c.unit, b.c.member),
                               order_by=b.c.direct.desc()).label("drk"),
        func.row_number().over(partition_by=(b.c.ind, b.c.unit, b.c.bucket),
                               order_by=(b.c.end_key.desc(), b.c.direct.desc())).label("rn"),
    ).subquery("r")
    r, agg = ranked.c, Indicator.aggregation
    v1 = case((agg == MEAN, func.avg(r.v)), (agg == MAX, func.max(r.v)),
              (agg == LATEST, func.max(case((r.rn == 1, r.v)))), else_=func.sum(r.v))
    stage1 = (select(r.ind, r.unit, r.bucket, agg.label("agg"), v1.label("v"))
              .join(Indicator, Indicator.id == r.ind).where(r.drk == 1)
              .group_by(r.ind, r.unit, r.bucket, agg))
    s1 = stage1.subquery("s1")
    if level == ROWS_UNIT:
        return select(s1.c.ind, s1.c.unit, s1.c.bucket, s1.c.v)
    v2 = case((s1.c.agg == MEAN, func.avg(s1.c.v)), (s1.c.agg == MAX, func.max(s1.c.v)),
              else_=func.sum(s1.c.v))
    key = _row_key(level)
    if key is None:
        return (select(s1.c.ind, null(), s1.c.bucket, v2)
                .group_by(s1.c.ind, s1.c.bucket, s1.c.agg))
    return (select(s1.c.ind, key, s1.c.bucket, v2)
            .join(Unit, Unit.id == s1.c.unit).group_by(s1.c.ind, key, s1.c.bucket, s1.c.agg))


Result = dict[tuple[int, object, str], float]  # (indicator id, row key, bucket) → figure
Aggs = dict[int, str]  # indicator id → aggregation


def aggregations(s: Session, ind_ids: Sequence[int]) -> Aggs:
    q = select(Indicator.id, Indicator.aggregation).where(Indicator.id.in_(list(ind_ids)))
    return dict(s.execute(q).tuples().all())


def has_direct(s: Session, ind_ids: Sequence[int], buckets: Sequence[Bucket]) -> bool:
    """Is any value stored for a whole (non-month) period of the buckets? One index probe."""
    names = [p.name for _b, members in buckets for p in members if p.kind != MONTH]
    iv = IndicatorValue
    return bool(names) and s.execute(select(iv.id).where(
        iv.indicator_id.in_(list(ind_ids)), iv.period.in_(names)).limit(1)).first() is not None


def additive(aggs: Aggs, direct: bool) -> bool:
    """Months and units combine by plain sum/max: figures of parts give the figure of the whole."""
    return not direct and all(a in (SUM, MAX) for a in aggs.values())


def figures_in(s: Session, ind_ids: Sequence[int], buckets: Sequence[Bucket], level: str = ALL,
               units: Sequence[int] | None = None, province: bool = False, aggs: Aggs | None = None,
               direct: bool | None = None) -> Result:
    """Figures per indicator × row key × bucket (missing = no value). ``aggs`` and ``direct``
    (see has_direct) save their look-ups when the caller already has them."""
    if not ind_ids or not buckets:
        return {}
    mp = _mapping(buckets)
    aggs = aggs if aggs is not None else aggregations(s, ind_ids)
    direct = has_direct(s, ind_ids, buckets) if direct is None else direct
    # Window functions cost a sort; most roll-ups (monthly activity counts) need none.
    if additive(aggs, direct):
        q = _plain_query(ind_ids, mp, level, units, province, [i for i, a in aggs.items() if a == MAX])
    else:
        q = _ranked_query(ind_ids, mp, level, units, province)
    return {(ind, key, bucket): v for ind, key, bucket, v in s.execute(q)}


def scope_figures_in(s: Session, ind_ids: Sequence[int], buckets: Sequence[Bucket],
                     unit_id: int | None, aggs: Aggs | None = None) -> dict[tuple[int, str], float]:
    """Figures for one scope: a unit, a group unit (rule 3) or the province (rule 4)."""
    aggs = aggs if aggs is not None else aggregations(s, ind_ids)
    direct = has_direct(s, ind_ids, buckets)
    if unit_id is not None:
        got = figures_in(s, ind_ids, buckets, ALL, scope_units(s, unit_id), aggs=aggs, direct=direct)
        return {(ind, b): v for (ind, _k, b), v in got.items()}
    out = {(ind, b): v for (ind, _k, b), v in figures_in(s, ind_ids, buckets, ALL, aggs=aggs, direct=direct).items()}
    # Province-wide stored figures take precedence over the roll-up of units.
    prov = figures_in(s, ind_ids, buckets, ROWS_UNIT, province=True, aggs=aggs, direct=direct)
    out.update({(ind, b): v for (ind, _k, b), v in prov.items()})
    return out


def data_years_in(s: Session, ind_ids: Sequence[int]) -> tuple[int, int] | None:
    """First and last year with a stored value for these indicators."""
    iv = IndicatorValue
    # Period names start with the year. Two scalar subqueries, not min() and max() in one
    # SELECT: alone, each is read straight off the (indicator, period) index.
    where = iv.indicator_id == ind_ids[0] if len(ind_ids) == 1 else iv.indicator_id.in_(list(ind_ids))
    lo, hi = s.execute(select(select(func.min(iv.period)).where(where).scalar_subquery(),
                              select(func.max(iv.period)).where(where).scalar_subquery())).one()
    return (int(lo[:4]), int(hi[:4])) if lo else None

