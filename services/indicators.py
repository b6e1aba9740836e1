"""Indicator catalogue (chỉ tiêu) and values per unit × period.

Catalogue edits check the row's version and are audited. Values are entered by hand
(source "user:<name>") or arrive from imported forms / incoming reports (source
"report:<id>", linked to the report); every set or clear is audited old → new. Figures
(roll-ups over units and periods) are computed by ``services.aggregates`` only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import IncomingReport, Indicator, IndicatorValue, Unit
from models.db import Database
from models.indicators import ACTIVITY, TARGET
from services import audit
from services.aggregates import AGGREGATION_LABELS, AGGREGATIONS, as_period, short_label
from services.errors import ConcurrentEdit, Conflict, NotFound, Problem, ValidationError
from services.locking import check_version
from services.targets import COMPARISONS, STATUS_LABELS, STATUSES, is_rank
from services.text import like_pattern, nfc, search_key

FAMILY_LABELS = {TARGET: "Mục tiêu của kế hoạch", ACTIVITY: "Hoạt động"}
_EDITABLE = ("code", "name", "description", "uom", "aggregation", "family", "owner_unit_id",
             "target_value", "comparison", "target_year", "status", "status_note", "sort_order")


@dataclass(frozen=True)
class IndicatorData:
    """An indicator as an edit form holds it (id None = new; version from when it was read)."""

    code: str
    name: str
    uom: str = ""
    aggregation: str = "sum"
    family: str = ACTIVITY
    description: str = ""
    owner_unit_id: int | None = None
    target_value: float | None = None
    comparison: str = ""
    target_year: int | None = None
    status: str = ""
    status_note: str = ""
    sort_order: int = 0
    id: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class IndicatorRow:
    id: int
    code: str
    name: str
    uom: str
    aggregation: str
    aggregation_label: str
    family: str
    family_label: str
    owner: str  # owner unit code
    target_text: str
    target_year: int | None
    status_label: str
    values_count: int
    sort_order: int
    version: int


@dataclass(frozen=True)
class UnitChoice:
    id: int
    code: str
    name: str
    is_group: bool
    parent_id: int | None
    owes_reports: bool


@dataclass(frozen=True)
class ValueRow:
    id: int
    indicator_id: int
    indicator_code: str
    unit_id: int | None
    unit_code: str
    period: str
    period_label: str
    value: float
    source: str
    source_label: str
    incoming_report_id: int | None
    entered_at: datetime | None


@dataclass(frozen=True)
class ValueEntry:
    """Set (value) or clear (value None) one unit × period value. With ``check`` the stored
    value must still be ``old`` (what the form showed), else nothing is written."""

    indicator_id: int
    unit_id: int | None
    period: str
    value: float | None
    check: bool = False
    old: float | None = None


@dataclass(frozen=True)
class ValuesSaved:
    inserted: int
    updated: int
    deleted: int
    unchanged: int

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


# ---- catalogue ------------------------------------------------------------------------------

def _target_text(i: Indicator) -> str:
    if i.target_value is None:
        return "Định tính" if i.family == TARGET else ""
    from services.targets import COMPARISON_LABELS

    v = f"{i.target_value:g}".replace(".", ",")
    return f"{COMPARISON_LABELS.get(i.comparison, i.comparison)} {v}"  # the year has its own column


_SORT = {"code": Indicator.code, "name": Indicator.name, "uom": Indicator.uom,
         "aggregation_label": Indicator.aggregation, "family_label": Indicator.family,
         "target_year": Indicator.target_year, "sort_order": Indicator.sort_order}


def list_indicators(db: Database, family: str | None = None, query: str = "",
                    sort: str = "sort_order", descending: bool = False) -> list[IndicatorRow]:
    """The catalogue, filtered by family and a diacritic-free search, sorted in SQL."""
    counts = (select(IndicatorValue.indicator_id, func.count().label("n"))
              .group_by(IndicatorValue.indicator_id).subquery())
    n = func.coalesce(counts.c.n, 0)
    key = n if sort == "values_count" else _SORT.get(sort, Indicator.sort_order)
    q = (select(Indicator, Unit.code, n).outerjoin(Unit, Unit.id == Indicator.owner_unit_id)
         .outerjoin(counts, counts.c.indicator_id == Indicator.id)
         .order_by(key.desc() if descending else key, Indicator.code))
    if family:
        q = q.where(Indicator.family == family)
    pattern = like_pattern(query)
    if pattern:
        q = q.where(Indicator.search_key.ilike(pattern, escape="\\"))
    with db.session() as s:
        return [IndicatorRow(i.id, i.code, i.name, i.uom, i.aggregation, AGGREGATION_LABELS.get(i.aggregation, i.aggregation),
                             i.family, FAMILY_LABELS.get(i.family, i.family), owner or "", _target_text(i),
                             i.target_year, STATUS_LABELS.get(i.status, "") if i.target_value is None else "",
                             cnt, i.sort_order, i.version)
                for i, owner, cnt in s.execute(q)]


def get_indicator(db: Database, indicator_id: int) -> IndicatorData:
    with db.session() as s:
        i = s.get(Indicator, indicator_id)
        if i is None:
            raise NotFound("Không tìm thấy chỉ tiêu (có thể đã bị xóa).")
        return IndicatorData(**{k: getattr(i, k) for k in _EDITABLE}, id=i.id, version=i.version)


def _clean(s: Session, d: IndicatorData) -> IndicatorData:
    """NFC text, then every problem at once (ValidationError), nothing written."""
    d = replace(d, code=nfc(d.code).upper(), name=nfc(d.name), uom=nfc(d.uom), description=nfc(d.description),
                status_note=nfc(d.status_note), comparison=(d.comparison or "").strip())
    problems = []

    def bad(field: str, message: str) -> None:
        problems.append(Problem(message, column=field))

    if not d.code:
        bad("Mã", "Chưa nhập mã chỉ tiêu.")
    elif s.scalars(select(Indicator.id).where(Indicator.code == d.code, Indicator.id != (d.id or 0))).first():
        bad("Mã", f"Mã chỉ tiêu {d.code} đã có.")
    if not d.name:
        bad("Tên", "Chưa nhập tên chỉ tiêu.")
    if d.aggregation not in AGGREGATIONS:
        bad("Cách tổng hợp", f"Cách tổng hợp không hợp lệ: {d.aggregation}.")
    if d.family not in FAMILY_LABELS:
        bad("Nhóm", f"Nhóm chỉ tiêu không hợp lệ: {d.family}.")
    if d.target_value is not None:
        if not math.isfinite(d.target_value):
            bad("Giá trị mục tiêu", "Giá trị mục tiêu phải là một số.")
        if d.comparison not in COMPARISONS:
            bad("So sánh", "Chỉ tiêu có giá trị mục tiêu phải chọn phép so sánh (≥, >, ≤, <, =).")
        if is_rank(d.uom) and d.comparison not in ("<=", "<"):
            bad("So sánh", "Chỉ tiêu thứ hạng: hạng càng nhỏ càng tốt, dùng ≤ (ví dụ “tốp 20” là ≤ 20).")
    elif d.comparison:
        d = replace(d, comparison="")  # a comparison without a value means nothing
    if d.target_year is not None and not 2000 <= d.target_year <= 2100:
        bad("Năm mục tiêu", "Năm mục tiêu phải trong khoảng 2000–2100.")
    if d.status and d.status not in STATUSES:
        bad("Trạng thái", f"Trạng thái không hợp lệ: {d.status}.")
    if d.owner_unit_id is not None and s.get(Unit, d.owner_unit_id) is None:
        bad("Đơn vị theo dõi", "Không tìm thấy đơn vị theo dõi.")
    if problems:
        raise ValidationError("Không lưu được chỉ tiêu: " + "; ".join(p.message for p in problems), problems)
    return d


def save_indicator(db: Database, data: IndicatorData, user: str | None = None) -> IndicatorData:
    """Create (id None) or update an indicator; the update refuses a stale version."""
    with db.session() as s:
        d = _clean(s, data)
        values = {k: getattr(d, k) for k in _EDITABLE}
        values["search_key"] = search_key(d.code, d.name, d.description)
        if d.id is None:
            ind = Indicator(**values)
            s.add(ind)
            audit.record_insert(s, ind, list(_EDITABLE), user)
        else:
            ind = s.get(Indicator, d.id)
            if ind is None:
                raise NotFound("Không tìm thấy chỉ tiêu (có thể đã bị xóa).")
            check_version(ind, d.version, "chỉ tiêu")
            audit.apply_changes(s, ind, values, user=user)
        s.flush()
        return IndicatorData(**{k: getattr(ind, k) for k in _EDITABLE}, id=ind.id, version=ind.version)


def set_status(db: Database, indicator_id: int, status: str, note: str, version: int | None,
               user: str | None = None) -> IndicatorData:
    """Assess a qualitative target: đạt / chưa đạt / đang theo dõi, with a note."""
    d = get_indicator(db, indicator_id)
    return save_indicator(db, replace(d, status=status, status_note=note, version=version), user)


def delete_indicator(db: Database, indicator_id: int, version: int | None, user: str | None = None) -> None:
    """Delete an indicator that has no values (values are history: clear them first)."""
    with db.session() as s:
        ind = s.get(Indicator, indicator_id)
        if ind is None:
            raise NotFound("Không tìm thấy chỉ tiêu (có thể đã bị xóa).")
        check_version(ind, version, "chỉ tiêu")
        n = s.scalar(select(func.count()).where(IndicatorValue.indicator_id == ind.id)) or 0
        if n:
            raise Conflict(f"Chỉ tiêu {ind.code} đã có {n} số liệu; không xóa để giữ lịch sử.")
        audit.record(s, "indicator", ind.id, "delete", {"code": (ind.code, None), "name": (ind.name, None)}, user)
        s.delete(ind)


def unit_choices(db: Database) -> list[UnitChoice]:
    """Units for pickers, in display order (group units included, flagged)."""
    with db.session() as s:
        q = select(Unit.id, Unit.code, Unit.name, Unit.is_group, Unit.parent_id, Unit.owes_reports)
        return [UnitChoice(*r) for r in s.execute(q.order_by(Unit.sort_order, Unit.code))]


# ---- values ---------------------------------------------------------------------------------

def source_label(source: str, doc_number: str | None = None) -> str:
    kind, _, rest = (source or "").partition(":")
    if kind == "report":
        return f"Báo cáo {doc_number}" if doc_number else f"Báo cáo #{rest}"
    if kind == "user":
        return f"Nhập tay ({rest})"
    if source == "demo":
        return "Dữ liệu minh họa"
    return source or ""


def list_values(db: Database, indicator_id: int | None = None, unit_id: int | None = None,
                period: str | None = None, limit: int = 5000, province: bool = False) -> list[ValueRow]:
    """Stored values (not roll-ups) with their source, newest period first; ``province``
    keeps only the province-wide values (no unit)."""
    iv = IndicatorValue
    q = (select(iv, Indicator.code, Unit.code, IncomingReport.doc_number)
         .join(Indicator, Indicator.id == iv.indicator_id).outerjoin(Unit, Unit.id == iv.unit_id)
         .outerjoin(IncomingReport, IncomingReport.id == iv.incoming_report_id)
         .order_by(iv.period.desc(), Unit.sort_order, Indicator.sort_order).limit(limit))
    if indicator_id is not None:
        q = q.where(iv.indicator_id == indicator_id)
    if province:
        q = q.where(iv.unit_id.is_(None))
    elif unit_id is not None:
        q = q.where(iv.unit_id == unit_id)
    if period:
        q = q.where(iv.period == as_period(period).name)
    with db.session() as s:
        return [ValueRow(v.id, v.indicator_id, icode, v.unit_id, ucode or "", v.period,
                         short_label(as_period(v.period)), v.value, v.source, source_label(v.source, doc),
                         v.incoming_report_id, v.entered_at)
                for v, icode, ucode, doc in s.execute(q)]


def stored_values(db: Database, unit_id: int | None, period: str) -> dict[int, float]:
    """{indicator id: value} stored for exactly this unit × period (to fill an entry form)."""
    p = as_period(period)
    iv = IndicatorValue
    with db.session() as s:
        q = select(iv.indicator_id, iv.value).where(iv.period == p.name, iv.unit_id.is_(None) if unit_id is None
                                                    else iv.unit_id == unit_id)
        return dict(s.execute(q).tuples().all())


def user_source(db: Database, user: str | None = None) -> str:
    from services.settings import get_setting

    return f"user:{user or get_setting(db, 'user_name') or audit.current_user()}"


def _check_entry(s: Session, e: ValueEntry, row: int, problems: list[Problem],
                 inds: dict[int, Indicator]) -> str | None:
    """Validate one entry; returns the normalised period name (None when invalid)."""
    ind = inds.get(e.indicator_id) or s.get(Indicator, e.indicator_id)
    where = {"row": row, "column": ind.code if ind else str(e.indicator_id)}
    if ind is None:
        problems.append(Problem("Không tìm thấy chỉ tiêu.", **where))
        return None
    inds[ind.id] = ind
    try:
        period = as_period(e.period).name
    except ValidationError as err:
        problems.append(Problem(str(err), **where))
        period = None
    if e.unit_id is not None:
        unit = s.get(Unit, e.unit_id)
        if unit is None:
            problems.append(Problem("Không tìm thấy đơn vị.", **where))
        elif unit.is_group:
            problems.append(Problem(f"{unit.name} là đơn vị nhóm: số liệu được tổng hợp từ các đơn vị "
                                    "thành viên, hãy nhập cho từng đơn vị.", **where))
    if e.value is not None:
        if not math.isfinite(e.value):
            problems.append(Problem("Giá trị phải là một số.", **where))
        elif ind.family == ACTIVITY and e.value < 0:
            problems.append(Problem(f"Số {ind.name.lower()} không thể âm.", **where))
        elif is_rank(ind.uom) and e.value < 1:
            problems.append(Problem("Thứ hạng phải từ 1 trở lên.", **where))
    return period


def set_values_in(s: Session, entries: list[ValueEntry], source: str, incoming_report_id: int | None = None,
                  user: str | None = None) -> ValuesSaved:
    """Write entries within an existing unit of work (imports use this). All or nothing:
    every problem is reported (row = entry number, column = indicator code)."""
    if source.startswith("report:") and incoming_report_id is None:
        incoming_report_id = int(source.partition(":")[2] or 0) or None
    if incoming_report_id is not None and s.get(IncomingReport, incoming_report_id) is None:
        raise NotFound(f"Không tìm thấy báo cáo đến #{incoming_report_id}.")
    problems: list[Problem] = []
    inds: dict[int, Indicator] = {}
    periods = [_check_entry(s, e, n, problems, inds) for n, e in enumerate(entries, start=1)]
    if problems:
        raise ValidationError("Không ghi được số liệu chỉ tiêu: " + "; ".join(str(p) for p in problems[:5]), problems)
    iv = IndicatorValue
    ins = upd = dele = same = 0
    for e, period in zip(entries, periods, strict=True):
        row = s.scalars(select(iv).where(iv.indicator_id == e.indicator_id, iv.period == period,
                                         iv.unit_id.is_(None) if e.unit_id is None else iv.unit_id == e.unit_id)).first()
        old = row.value if row else None
        if e.check and old != e.old:
            raise ConcurrentEdit(f"Số liệu {inds[e.indicator_id].code} kỳ {period} đã được người khác sửa "
                                 "sau khi bạn mở. Không ghi đè: hãy tải lại rồi nhập lại.")
        context = {"indicator": inds[e.indicator_id].code, "unit_id": e.unit_id, "period": period}
        if e.value is None:
            if row is None:
                same += 1
                continue
            audit.record(s, "indicator_value", row.id, "delete",
                         {"value": (old, None), "source": (row.source, None)} | {k: (v, v) for k, v in context.items()}, user)
            s.delete(row)
            dele += 1
        elif row is None:
            row = iv(indicator_id=e.indicator_id, unit_id=e.unit_id, period=period, value=float(e.value),
                     source=source, incoming_report_id=incoming_report_id)
            s.add(row)
            s.flush()
            audit.record(s, "indicator_value", row.id, "insert",
                         {"value": (None, row.value), "source": (None, source)} | {k: (None, v) for k, v in context.items()}, user)
            ins += 1
        elif old == float(e.value) and row.source == source:
            same += 1
        else:
            changes = {k: (a, b) for k, (a, b) in {"value": (old, float(e.value)),
                                                     "source": (row.source, source)}.items() if a != b}
            row.value, row.source, row.incoming_report_id = float(e.value), source, incoming_report_id
            row.entered_at = datetime.now()
            audit.record(s, "indicator_value", row.id, "update", changes | {k: (v, v) for k, v in context.items()}, user)
            upd += 1
    return ValuesSaved(ins, upd, dele, same)


def set_values(db: Database, entries: list[ValueEntry], user: str | None = None, source: str | None = None,
               incoming_report_id: int | None = None) -> ValuesSaved:
    """Set or clear values; the source defaults to "user:<name>" (the settings' user name
    or the login name)."""
    src = source or user_source(db, user)
    with db.session() as s:
        return set_values_in(s, entries, src, incoming_report_id, user)


def set_value(db: Database, indicator_id: int, unit_id: int | None, period: str, value: float | None,
              user: str | None = None, source: str | None = None) -> ValuesSaved:
    """One value (None clears it)."""
    return set_values(db, [ValueEntry(indicator_id, unit_id, period, value)], user, source)


def clear_value(db: Database, indicator_id: int, unit_id: int | None, period: str,
                user: str | None = None) -> ValuesSaved:
    return set_value(db, indicator_id, unit_id, period, None, user)
