"""Progress against targets: comparison semantics, statuses and the per-target view.

Figures come from ``services.aggregates`` (yearly figures, rules 1–4 there); this module
only says what a figure means against its target:

- A numeric target has a value, a comparison (``>=``, ``>``, ``<=``, ``<``, ``=``) and a
  year. Ranks are targets too: "top 20" is stored as ``<= 20`` — a smaller rank is better,
  so a rank of 18 meets it and 24 does not.
- Status: ``dat`` (đạt) when the latest figure meets the comparison, ``chua_dat`` (chưa đạt)
  when it does not, ``theo_doi`` (đang theo dõi) while there is no figure yet. Qualitative
  targets (no number) carry the status the secretariat assessed, with a note.
- The latest figure is the figure of the latest year with data (for a ``sum`` indicator
  with monthly values this is the sum of that year's months so far).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Indicator
from models.db import Database
from models.indicators import TARGET
from services.aggregates import TrendPoint, data_years_in, scope_figures_in, short_label
from services.periods import YEAR, Period
from services.text import fold

COMPARISONS = (">=", ">", "<=", "<", "=")
COMPARISON_LABELS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
MET, NOT_MET, WATCHING = "dat", "chua_dat", "theo_doi"
STATUSES = (MET, NOT_MET, WATCHING)
STATUS_LABELS = {MET: "Đạt", NOT_MET: "Chưa đạt", WATCHING: "Đang theo dõi"}
STATUS_COLORS = {MET: "#d4edda", NOT_MET: "#f8d7da", WATCHING: "#fff3cd"}  # green, red, amber


def is_rank(uom: str) -> bool:
    """A rank ("thứ hạng", "xếp hạng"): smaller is better."""
    u = fold(uom)
    return "thu hang" in u or "xep hang" in u


def compare(value: float, comparison: str, target: float) -> bool:
    """Does `value` meet `comparison target`? Equality allows for float rounding."""
    if comparison == ">=":
        return value >= target or math.isclose(value, target)
    if comparison == ">":
        return value > target and not math.isclose(value, target)
    if comparison == "<=":
        return value <= target or math.isclose(value, target)
    if comparison == "<":
        return value < target and not math.isclose(value, target)
    if comparison == "=":
        return math.isclose(value, target, rel_tol=1e-9, abs_tol=1e-9)
    raise ValueError(f"unknown comparison {comparison!r}")


def evaluate(value: float | None, comparison: str, target: float | None, stored_status: str = "") -> str:
    """Status code of a target: qualitative targets keep their stored status."""
    if target is None or not comparison:
        return stored_status if stored_status in STATUSES else WATCHING
    if value is None:
        return WATCHING
    return MET if compare(value, comparison, target) else NOT_MET


def gap(value: float | None, comparison: str, target: float | None) -> float | None:
    """How far the figure still is from the target, in the target's direction (0 when met)."""
    if value is None or target is None or comparison not in COMPARISONS or comparison == "=":
        return None
    d = target - value if comparison in (">=", ">") else value - target
    return round(max(d, 0.0), 10)  # 12 - 11.1 is 0.9000000000000004 in floats


def percent(value: float | None, comparison: str, target: float | None) -> float | None:
    """Figure as a per cent of a "more is better" target (None for ranks and equalities)."""
    if value is None or not target or comparison not in (">=", ">"):
        return None
    return value / target * 100


@dataclass(frozen=True)
class TargetProgress:
    indicator_id: int
    code: str
    name: str
    description: str
    uom: str
    aggregation: str
    family: str
    target_value: float | None
    comparison: str
    target_year: int | None
    rank: bool
    latest_period: str | None  # "2026"
    latest_value: float | None
    status: str  # dat / chua_dat / theo_doi
    status_note: str
    gap: float | None
    percent: float | None
    trend: tuple[TrendPoint, ...]
    version: int

    @property
    def qualitative(self) -> bool:
        return self.target_value is None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def target_text(self) -> str:
        """"≤ 20 (thứ hạng trong cả nước)", "≥ 0,8 (chỉ số)", or "Định tính"."""
        if self.target_value is None:
            return "Định tính"
        v = f"{self.target_value:g}".replace(".", ",")
        uom = f" ({self.uom})" if self.uom else ""
        return f"{COMPARISON_LABELS.get(self.comparison, self.comparison)} {v}{uom}"

    @property
    def latest_label(self) -> str:
        return short_label(Period.parse(self.latest_period)) if self.latest_period else ""


def target_progress_in(s: Session, target_year: int | None = None, unit_id: int | None = None,
                       indicator_ids: list[int] | None = None) -> list[TargetProgress]:
    q = select(Indicator).order_by(Indicator.sort_order, Indicator.code)
    if indicator_ids is not None:
        q = q.where(Indicator.id.in_(indicator_ids))
    else:  # the plan's targets, and any other indicator that was given a target
        q = q.where(or_(Indicator.family == TARGET, Indicator.target_value.is_not(None)))
    if target_year is not None:
        q = q.where(Indicator.target_year == target_year)
    inds = s.scalars(q).all()
    ids = [i.id for i in inds]
    span = data_years_in(s, ids) if ids else None
    years = [Period.of_kind(YEAR, y) for y in range(span[0], span[1] + 1)] if span else []
    # One query for every target and every year (yearly figures, rules of services.aggregates).
    got = scope_figures_in(s, ids, [(p.name, [p]) for p in years], unit_id,
                           {i.id: i.aggregation for i in inds}) if years else {}
    out = []
    for i in inds:
        trend = tuple(TrendPoint(p.name, short_label(p), got.get((i.id, p.name)))
                      for p in years)
        last = next((t for t in reversed(trend) if t.value is not None), None)
        latest = last.value if last else None
        out.append(TargetProgress(
            i.id, i.code, i.name, i.description, i.uom, i.aggregation, i.family, i.target_value,
            i.comparison, i.target_year, is_rank(i.uom) and i.comparison in ("<=", "<"),
            last.period if last else None, latest,
            evaluate(latest, i.comparison, i.target_value, i.status), i.status_note,
            gap(latest, i.comparison, i.target_value), percent(latest, i.comparison, i.target_value),
            tuple(t for t in trend if t.value is not None), i.version,
        ))
    return out


_STATUS_ORDER = {NOT_MET: 0, WATCHING: 1, MET: 2}


def _sort_key(sort: str):  # noqa: ANN202 - a key function
    if sort == "status_label":
        return lambda r: _STATUS_ORDER.get(r.status, 9)
    if sort in ("code", "name", "target_text", "latest_label"):
        return lambda r: fold(str(getattr(r, sort) or ""))
    return lambda r: getattr(r, sort)


def target_progress(db: Database, target_year: int | None = None, unit_id: int | None = None,
                    indicator_ids: list[int] | None = None, sort: str | None = None,
                    descending: bool = False) -> list[TargetProgress]:
    """Every target (the plan's targets, plus any indicator given a target), optionally only
    those for one target year (2030, 2045), with its latest yearly figure, status and trend.
    ``unit_id`` None = province figures; a unit or group unit for its own progress.
    ``sort``: a TargetProgress field (computed figures, so ordered here; empty ones last)."""
    with db.session() as s:
        rows = target_progress_in(s, target_year, unit_id, indicator_ids)
    if sort and rows and hasattr(rows[0], sort):
        key = _sort_key(sort)
        have = [r for r in rows if getattr(r, sort) is not None]
        rows = sorted(have, key=key, reverse=descending) + [r for r in rows if getattr(r, sort) is None]
    return rows


def status_counts(rows: list[TargetProgress]) -> dict[str, int]:
    """{status: count} for a summary line ("12 đạt, 10 chưa đạt, 8 đang theo dõi")."""
    out = dict.fromkeys(STATUSES, 0)
    for r in rows:
        out[r.status] = out.get(r.status, 0) + 1
    return out
