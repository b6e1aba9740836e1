"""Units (đơn vị): list and search, create, edit, deactivate, delete (only without history).

Merging and group membership live in services/unit_merge.py. Every write is audited,
edits check the row version, and the expected reports follow the change (a new unit
starts owing reports, a deactivated one stops) through services.regime.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, aliased

from models import (
    Agency,
    Assignment,
    ExpectedReport,
    IncomingReport,
    IndicatorValue,
    ReminderLog,
    ReportTypeUnit,
    Unit,
)
from models.db import Database
from services import audit
from services.dates import format_date
from services.errors import Conflict, NotFound, Problem, ValidationError
from services.locking import check_version
from services.text import like_pattern, nfc, search_key

GROUPS: tuple[str, ...] = (
    "Sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã", "Cơ quan báo chí", "Đoàn thể",
    "Cơ quan Đảng", "Khác",
)
FIELD_LABELS = {
    "code": "Mã đơn vị", "name": "Tên đơn vị", "short_name": "Tên viết tắt", "group": "Nhóm",
    "parent_id": "Thuộc nhóm", "is_group": "Là nhóm đơn vị", "contact_person": "Người liên hệ",
    "phone": "Điện thoại", "email": "Thư điện tử", "active_from": "Hoạt động từ",
    "active_to": "Hoạt động đến ngày", "owes_reports": "Phải nộp báo cáo", "notes": "Ghi chú",
    "sort_order": "Thứ tự", "merged_into_id": "Sáp nhập vào",
}
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    short_name: str
    group: str
    parent_id: int | None
    parent_name: str
    is_group: bool
    contact_person: str
    phone: str
    email: str
    active_from: date | None
    active_to: date | None
    merged_into_id: int | None
    merged_into_name: str
    owes_reports: bool
    notes: str
    sort_order: int
    version: int
    member_count: int

    @property
    def contact(self) -> str:
        return " · ".join(p for p in (self.contact_person, self.phone, self.email) if p)

    def active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and \
            (self.active_to is None or self.active_to >= day)

    @property
    def status(self) -> str:
        if self.merged_into_id:
            return f"Đã sáp nhập vào {self.merged_into_name} ngày {format_date(self.active_to)}"
        if self.active_to:
            return f"Ngừng hoạt động (hoạt động đến hết {format_date(self.active_to)})"
        return "Đang hoạt động"

    @property
    def label(self) -> str:
        """'SNV — Sở Nội vụ', for combo boxes and messages."""
        return f"{self.code} — {self.name}"


@dataclass
class UnitData:
    """What a user edits; ids of other units, dates as dates."""

    code: str
    name: str
    short_name: str = ""
    group: str = "Khác"
    parent_id: int | None = None
    is_group: bool = False
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    active_from: date | None = None
    active_to: date | None = None
    owes_reports: bool = True
    notes: str = ""
    sort_order: int | None = None  # None: after the last unit


def _rows(s: Session, units: list[Unit]) -> list[UnitRow]:
    ids = {u.parent_id for u in units} | {u.merged_into_id for u in units}
    names = dict(s.execute(select(Unit.id, Unit.name).where(Unit.id.in_([i for i in ids if i]))).all())
    counts = dict(s.execute(select(Unit.parent_id, func.count()).where(
        Unit.parent_id.in_([u.id for u in units])).group_by(Unit.parent_id)).all())
    return [UnitRow(
        id=u.id, code=u.code, name=u.name, short_name=u.short_name or "", group=u.group or "",
        parent_id=u.parent_id, parent_name=names.get(u.parent_id, ""), is_group=bool(u.is_group),
        contact_person=u.contact_person or "", phone=u.phone or "", email=u.email or "",
        active_from=u.active_from, active_to=u.active_to, merged_into_id=u.merged_into_id,
        merged_into_name=names.get(u.merged_into_id, ""), owes_reports=bool(u.owes_reports),
        notes=u.notes or "", sort_order=u.sort_order or 0, version=u.version,
        member_count=counts.get(u.id, 0),
    ) for u in units]


def active_clause(day: date):  # noqa: ANN201 - SQL expression
    return (or_(Unit.active_from.is_(None), Unit.active_from <= day)
            & or_(Unit.active_to.is_(None), Unit.active_to >= day))


def search_units(db: Database, query: str = "", group: str | None = None, active: bool | None = True,
                 sort: str = "sort_order", descending: bool = False, today: date | None = None,
                 groups_only: bool = False) -> list[int]:
    """Ids of matching units in display order. The query ignores diacritics and case
    ("so khoa hoc" finds "Sở Khoa học"); it matches code, name, short name and the names
    of units merged into a unit. active: True = active today, False = inactive, None = all."""
    day = today or date.today()
    parent = aliased(Unit)
    order = {
        "code": Unit.code, "name": Unit.name, "group": Unit.group, "parent_name": parent.name,
        "contact": Unit.contact_person, "status": Unit.active_to, "sort_order": Unit.sort_order,
    }.get(sort, Unit.sort_order)
    q = select(Unit.id).outerjoin(parent, parent.id == Unit.parent_id)
    pattern = like_pattern(query)
    if pattern:
        q = q.where(Unit.search_key.like(pattern, escape="\\"))
    if group:
        q = q.where(Unit.group == group)
    if groups_only:
        q = q.where(Unit.is_group)
    if active is True:
        q = q.where(active_clause(day))
    elif active is False:
        q = q.where(~active_clause(day))
    q = q.order_by(order.desc() if descending else order.asc(), Unit.sort_order, Unit.code)
    with db.session() as s:
        return list(s.scalars(q))


def get_units(db: Database, ids: list[int]) -> list[UnitRow]:
    """Rows for ids, in the same order (what LazyTableModel pages ask for)."""
    with db.session() as s:
        units = {u.id: u for u in s.scalars(select(Unit).where(Unit.id.in_(ids)))}
        rows = {r.id: r for r in _rows(s, list(units.values()))}
    return [rows[i] for i in ids if i in rows]


def get_unit(db: Database, unit_id: int) -> UnitRow:
    rows = get_units(db, [unit_id])
    if not rows:
        raise NotFound("Không tìm thấy đơn vị (có thể đã bị xóa).")
    return rows[0]


def list_units(db: Database, active_only: bool = True, today: date | None = None) -> list[UnitRow]:
    """Every unit in sort order, for pickers."""
    return get_units(db, search_units(db, active=True if active_only else None, today=today))


def group_names(db: Database) -> list[str]:
    """The usual groups plus any other group text already in the data."""
    with db.session() as s:
        used = [g for g in s.scalars(select(Unit.group).distinct()) if g]
    return list(GROUPS) + sorted(set(used) - set(GROUPS))


def unit_search_key(s: Session, unit_id: int | None, code: str, name: str, short_name: str = "") -> str:
    """Code, names, and the names of units merged into this one (found under both names)."""
    former = s.execute(select(Unit.code, Unit.name).where(Unit.merged_into_id == unit_id)).all() \
        if unit_id else []
    return search_key(code, name, short_name, *[p for r in former for p in r])


def _clean(data: UnitData) -> dict:
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    for k in ("code", "name", "short_name", "group", "contact_person", "phone", "email", "notes"):
        values[k] = nfc(values[k])
    values["code"] = values["code"].upper()
    values["group"] = values["group"] or "Khác"
    return values


def validate(s: Session, v: dict, unit_id: int | None = None) -> list[Problem]:
    """Every problem of one unit's values, each naming its field."""
    p: list[Problem] = []

    def bad(key: str, msg: str) -> None:
        p.append(Problem(msg, column=FIELD_LABELS[key]))

    if not v["code"]:
        bad("code", "Chưa nhập mã đơn vị.")
    elif len(v["code"]) > 40 or not CODE_RE.match(v["code"]):
        bad("code", f"Mã '{v['code']}' không hợp lệ: chỉ dùng chữ không dấu, số, dấu - . _ và không có khoảng trắng.")
    else:
        other = s.scalar(select(Unit.id).where(func.upper(Unit.code) == v["code"]))
        if other is not None and other != unit_id:
            bad("code", f"Mã '{v['code']}' đã có đơn vị khác dùng.")
    if not v["name"]:
        bad("name", "Chưa nhập tên đơn vị.")
    elif len(v["name"]) > 300:
        bad("name", "Tên đơn vị dài quá 300 ký tự.")
    if v["email"] and not EMAIL_RE.match(v["email"]):
        bad("email", f"Địa chỉ thư điện tử '{v['email']}' không hợp lệ.")
    if v["active_from"] and v["active_to"] and v["active_to"] < v["active_from"]:
        bad("active_to", "Ngày cuối cùng hoạt động trước ngày bắt đầu hoạt động.")
    if v["parent_id"] is not None:
        parent = s.get(Unit, v["parent_id"])
        if parent is None:
            bad("parent_id", "Nhóm đơn vị không còn tồn tại.")
        elif not parent.is_group:
            bad("parent_id", f"'{parent.name}' không phải nhóm đơn vị.")
        elif unit_id is not None and _is_ancestor(s, unit_id, parent):
            bad("parent_id", "Một nhóm không thể thuộc chính nó hay thành viên của nó.")
    if unit_id is not None and not v["is_group"]:
        n = s.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == unit_id))
        if n:
            bad("is_group", f"Nhóm đang có {n} đơn vị thành viên: chuyển các thành viên ra trước.")
    return p


def _is_ancestor(s: Session, unit_id: int, start: Unit) -> bool:
    seen, cur = set(), start
    while cur is not None and cur.id not in seen:
        if cur.id == unit_id:
            return True
        seen.add(cur.id)
        cur = s.get(Unit, cur.parent_id) if cur.parent_id else None
    return False


def refresh_regime(s: Session, today: date | None = None) -> None:
    """Keep expected reports in step with units (same transaction, all or nothing)."""
    from services.regime import regenerate_in

    regenerate_in(s, today or date.today())


def create_unit(db: Database, data: UnitData, today: date | None = None) -> UnitRow:
    with db.session() as s:
        v = _clean(data)
        problems = validate(s, v)
        if problems:
            raise ValidationError("Không lưu được đơn vị.", problems)
        if v["sort_order"] is None:
            v["sort_order"] = (s.scalar(select(func.max(Unit.sort_order))) or 0) + 10
        unit = Unit(**v, search_key=unit_search_key(s, None, v["code"], v["name"], v["short_name"]))
        s.add(unit)
        audit.record_insert(s, unit, [k for k in v if v[k] not in (None, "", False)])
        refresh_regime(s, today)
        new_id = unit.id
    return get_unit(db, new_id)


def update_unit(db: Database, unit_id: int, data: UnitData, version: int,
                today: date | None = None) -> UnitRow:
    """Save an edit; ConcurrentEdit if the unit changed since the form was filled."""
    with db.session() as s:
        unit = s.get(Unit, unit_id)
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị (có thể đã bị xóa).")
        check_version(unit, version, "đơn vị")
        v = _clean(data)
        if v["sort_order"] is None:
            v["sort_order"] = unit.sort_order
        problems = validate(s, v, unit_id)
        if problems:
            raise ValidationError("Không lưu được đơn vị.", problems)
        # Set before apply_changes flushes, so the edit is one UPDATE (one version step).
        unit.search_key = unit_search_key(s, unit.id, v["code"], v["name"], v["short_name"])
        changed = audit.apply_changes(s, unit, v)
        if changed.keys() & {"active_from", "active_to", "owes_reports", "parent_id", "is_group"}:
            refresh_regime(s, today)
    return get_unit(db, unit_id)


def deactivate_unit(db: Database, unit_id: int, on: date, version: int,
                    today: date | None = None) -> UnitRow:
    """`on` is the unit's last active day (it still owes periods starting by then); history stays."""
    with db.session() as s:
        unit = s.get(Unit, unit_id)
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị.")
        check_version(unit, version, "đơn vị")
        if unit.active_from and on < unit.active_from:
            raise ValidationError("Ngày ngừng hoạt động trước ngày bắt đầu hoạt động của đơn vị.",
                                  [Problem("Ngày không hợp lệ.", column=FIELD_LABELS["active_to"])])
        audit.apply_changes(s, unit, {"active_to": on}, action="deactivate")
        refresh_regime(s, today)
    return get_unit(db, unit_id)


def history_counts(s: Session, unit_id: int) -> dict[str, int]:
    """What ties a unit to the record; any non-zero count forbids deleting it."""
    def n(q) -> int:  # noqa: ANN001
        return s.scalar(select(func.count()).select_from(q.subquery())) or 0

    return {
        "nhiệm vụ được giao": n(select(Assignment.id).where(
            or_(Assignment.unit_id == unit_id, Assignment.via_unit_id == unit_id))),
        "báo cáo đã nhận": n(select(IncomingReport.id).where(IncomingReport.unit_id == unit_id)),
        "số liệu chỉ tiêu": n(select(IndicatorValue.id).where(IndicatorValue.unit_id == unit_id)),
        "lần đôn đốc": n(select(ReminderLog.id).where(ReminderLog.unit_id == unit_id)),
        "đơn vị thành viên": n(select(Unit.id).where(Unit.parent_id == unit_id)),
        "đơn vị sáp nhập vào": n(select(Unit.id).where(Unit.merged_into_id == unit_id)),
        "loại báo cáo riêng": n(select(ReportTypeUnit.unit_id).where(ReportTypeUnit.unit_id == unit_id)),
        "thông tin cơ quan": n(select(Agency.id).where(Agency.unit_id == unit_id)),
    }


def delete_unit(db: Database, unit_id: int, version: int) -> None:
    """Delete a unit entered by mistake. A unit with any history is never deleted
    (Conflict, saying what it has): deactivate or merge it instead."""
    with db.session() as s:
        unit = s.get(Unit, unit_id)
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị.")
        check_version(unit, version, "đơn vị")
        used = {k: c for k, c in history_counts(s, unit_id).items() if c}
        if used:
            what = ", ".join(f"{c} {k}" for k, c in used.items())
            raise Conflict(f"Đơn vị '{unit.name}' đã có dữ liệu ({what}) nên không xóa được. "
                           "Hãy cho ngừng hoạt động hoặc sáp nhập vào đơn vị khác.")
        # Expected reports are generated, not history: they go with the unit.
        s.execute(delete(ExpectedReport).where(ExpectedReport.unit_id == unit_id))
        audit.record(s, "unit", unit.id, "delete", {"code": (unit.code, None), "name": (unit.name, None)})
        s.delete(unit)
