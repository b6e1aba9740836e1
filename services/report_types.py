"""Report types (loại báo cáo): CRUD, the due-rule wording parser and previews.

A due rule is stored with the source wording. "trước ngày D" makes D−1 the last on-time
day; "chậm nhất ngày D" / "đến hết ngày D" make it D (DESIGN.md §3). Saving a type
regenerates the expected reports in the same transaction (services.regime).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from sqlalchemy import delete, func, select, update

from models import ExpectedReport, IncomingReport, ReportType, ReportTypeUnit, Unit
from models.db import Database
from services import audit
from services.errors import Conflict, NotFound, Problem, ValidationError
from services.locking import check_version
from services.periods import KIND_LABELS, KINDS, MONTH, ONCE
from services.regime import (
    Progress,
    RegenResult,
    regenerate_in,
)
from services.text import fold, nfc

DEFAULT_CUTOFF = 15  # NĐ 09/2019/NĐ-CP: data from the 15th of the month before to the 14th
FILTERS = {"half": {"H1", "H2"}, "quarter": {"Q1", "Q2", "Q3", "Q4"},
           MONTH: {f"{m:02d}" for m in range(1, 13)}}


@dataclass
class ReportTypeInput:
    code: str
    name: str
    period_kind: str = MONTH
    period_filter: str = ""
    cutoff_day: int | None = DEFAULT_CUTOFF
    due_wording: str = ""
    due_day: int = 18
    due_month_offset: int = 0
    due_inclusive: bool = False
    once_due: date | None = None
    owed_by_all: bool = True
    unit_ids: list[int] = field(default_factory=list)  # units or group units, when not owed_by_all
    stands_in_for_id: int | None = None
    stand_in_enabled: bool = True
    start_period: str = ""
    end_period: str = ""
    active: bool = True
    sort_order: int = 0
    id: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class ReportTypeInfo:
    id: int
    version: int
    code: str
    name: str
    period_kind: str
    kind_label: str
    period_filter: str
    cutoff_day: int | None
    window_text: str
    due_wording: str
    due_day: int
    due_month_offset: int
    due_inclusive: bool
    rule_text: str
    once_due: date | None
    owed_by_all: bool
    unit_ids: tuple[int, ...]
    owed_text: str
    stands_in_for_id: int | None
    stands_in_for_name: str
    stand_in_enabled: bool
    stand_in_text: str
    start_period: str
    end_period: str
    active: bool
    sort_order: int
    expected_count: int

    def to_input(self) -> ReportTypeInput:
        d = {k: v for k, v in asdict(self).items() if k in ReportTypeInput.__dataclass_fields__}
        d["unit_ids"] = list(self.unit_ids)
        return ReportTypeInput(**d)


@dataclass(frozen=True)
class DueRule:
    due_day: int
    inclusive: bool
    month_offset: int
    explanation: str


# ---- wording ----------------------------------------------------------------------
_EXCLUSIVE = re.compile(r"\btruoc\s+(?:ngay\s+)?(\d{1,2})(?:\s*[/-]\s*(\d{1,2}))?")
_INCLUSIVE = re.compile(r"\b(?:cham nhat|den het|han chot|khong muon hon|truoc hoac trong)"
                        r"(?:\s+(?:la|vao|trong))?\s+(?:ngay\s+)?(\d{1,2})(?:\s*[/-]\s*(\d{1,2}))?")
_MONTH = re.compile(r"^\s*(?:cua\s+)?thang\s+(\d{1,2})\b")
_NEXT = re.compile(r"thang (?:sau|tiep theo|ke tiep|lien sau)|ky sau|nam sau")


def _last_month(kind: str | None, period_filter: str) -> int | None:
    f = {x.strip().upper() for x in period_filter.split(",") if x.strip()}
    if kind == "year":
        return 12
    if kind == "9m":
        return 9
    if kind == "half" and len(f) == 1:
        return 6 if "H1" in f else 12
    return None


def suggest_due_rule(wording: str, period_kind: str | None = None, period_filter: str = "") -> DueRule | None:
    """Read the day (and the month, if said) from the wording of a due rule, or None."""
    text = fold(wording)
    m = _INCLUSIVE.search(text)
    inclusive = m is not None
    if m is None:
        m = _EXCLUSIVE.search(text)
    if m is None:
        return None
    day = int(m.group(1))
    if not 1 <= day <= 31:
        return None
    month = int(m.group(2)) if m.group(2) else None
    if month is None:
        mm = _MONTH.match(text[m.end():])
        month = int(mm.group(1)) if mm else None
    offset = 0
    last = _last_month(period_kind, period_filter)
    if month and 1 <= month <= 12 and last:
        offset = (month - last) % 12
    if _NEXT.search(text[m.end():]):
        offset = max(offset, 1)
    return DueRule(day, inclusive, offset, rule_text(day, inclusive, offset))


def rule_text(due_day: int, inclusive: bool, month_offset: int = 0) -> str:
    """"hạn cuối: ngày 17 của tháng cuối kỳ (trước ngày 18)"."""
    month = "tháng cuối kỳ" if month_offset == 0 else (
        "tháng sau kỳ" if month_offset == 1 else f"tháng thứ {month_offset} sau kỳ")
    if inclusive:
        return f"hạn cuối: hết ngày {due_day} của {month}"
    last = f"ngày {due_day - 1}" if due_day > 1 else "ngày cuối tháng trước"
    return f"hạn cuối: {last} của {month} (trước ngày {due_day})"


def window_text(kind: str, cutoff_day: int | None) -> str:
    if kind == ONCE:
        return "không áp dụng (báo cáo một lần)"
    if not cutoff_day:
        return "theo kỳ dương lịch (từ ngày 01 tháng đầu kỳ đến ngày cuối tháng cuối kỳ)"
    return (f"từ ngày {cutoff_day} tháng trước kỳ đến ngày {cutoff_day - 1} tháng cuối kỳ"
            if cutoff_day > 1 else "theo kỳ dương lịch")


# ---- reading ------------------------------------------------------------------------
def list_report_types(db: Database) -> list[ReportTypeInfo]:
    with db.session() as s:
        types = s.scalars(select(ReportType).order_by(ReportType.sort_order, ReportType.code)).all()
        names = {t.id: t.name for t in types}
        counts = dict(s.execute(select(ExpectedReport.report_type_id, func.count())
                                .where(ExpectedReport.obsolete.is_(False))
                                .group_by(ExpectedReport.report_type_id)).all())
        owed: dict[int, list[int]] = {}
        for tid, uid in s.execute(select(ReportTypeUnit.report_type_id, ReportTypeUnit.unit_id)):
            owed.setdefault(tid, []).append(uid)
        unit_names = dict(s.execute(select(Unit.id, Unit.code)).all())
        infos = [_info(t, names, owed.get(t.id, []), unit_names, counts.get(t.id, 0)) for t in types]
    # The lower report says which ones stand in for it (the setting lives on the higher one).
    by_lower: dict[int, list[str]] = {}
    for t in types:
        if t.stands_in_for_id and t.stand_in_enabled and t.active:
            by_lower.setdefault(t.stands_in_for_id, []).append(t.name.lower())
    return [replace(i, stand_in_text=f"Được thay bằng {', '.join(by_lower[i.id])} trong tháng cuối kỳ của chúng")
            if i.id in by_lower and not i.stand_in_text else i for i in infos]


def get_report_type(db: Database, type_id: int) -> ReportTypeInfo:
    for t in list_report_types(db):
        if t.id == type_id:
            return t
    raise NotFound("Không tìm thấy loại báo cáo.")


def _info(t: ReportType, names: dict[int, str], unit_ids: list[int], unit_codes: dict[int, str],
          expected: int) -> ReportTypeInfo:
    other = names.get(t.stands_in_for_id or 0, "")
    stand = ""
    if other:
        stand = (f"Thay cho {other.lower()} của tháng cuối kỳ" if t.stand_in_enabled
                 else f"Không thay cho {other.lower()} (tắt)")
    owed = "Tất cả đơn vị báo cáo" if t.owed_by_all else ", ".join(
        sorted(unit_codes.get(u, "?") for u in unit_ids)) or "(chưa chọn đơn vị)"
    return ReportTypeInfo(
        id=t.id, version=t.version, code=t.code, name=t.name, period_kind=t.period_kind,
        kind_label=KIND_LABELS.get(t.period_kind, t.period_kind), period_filter=t.period_filter,
        cutoff_day=t.cutoff_day, window_text=window_text(t.period_kind, t.cutoff_day),
        due_wording=t.due_wording, due_day=t.due_day, due_month_offset=t.due_month_offset,
        due_inclusive=t.due_inclusive,
        rule_text=(f"hạn cuối: ngày {t.once_due.strftime('%d/%m/%Y')}" if t.period_kind == ONCE and t.once_due
                   else rule_text(t.due_day, t.due_inclusive, t.due_month_offset)),
        once_due=t.once_due, owed_by_all=t.owed_by_all, unit_ids=tuple(sorted(unit_ids)), owed_text=owed,
        stands_in_for_id=t.stands_in_for_id, stands_in_for_name=other, stand_in_enabled=t.stand_in_enabled,
        stand_in_text=stand, start_period=t.start_period, end_period=t.end_period, active=t.active,
        sort_order=t.sort_order, expected_count=expected,
    )


# ---- validation and saving --------------------------------------------------------------
def _problems(s, d: ReportTypeInput) -> list[Problem]:  # noqa: ANN001 - Session
    out: list[Problem] = []

    def bad(label: str, msg: str) -> None:
        out.append(Problem(f"{label}: {msg}", extra={"field": label}))

    if not d.code:
        bad("Mã", "không được để trống.")
    elif s.scalar(select(ReportType.id).where(ReportType.code == d.code, ReportType.id != (d.id or 0))):
        bad("Mã", f"đã có loại báo cáo mã {d.code}.")
    if not d.name:
        bad("Tên", "không được để trống.")
    if d.period_kind not in KINDS:
        bad("Kỳ", f"loại kỳ không hợp lệ ({d.period_kind}).")
    if d.cutoff_day is not None and not 1 <= d.cutoff_day <= 28:
        bad("Ngày chốt số liệu", "phải từ 1 đến 28 (hoặc để trống: theo kỳ dương lịch).")
    if not 1 <= d.due_day <= 31:
        bad("Ngày hạn", "phải từ 1 đến 31.")
    if not 0 <= d.due_month_offset <= 12:
        bad("Tháng hạn", "số tháng sau kỳ phải từ 0 đến 12.")
    if d.period_kind == ONCE:
        if d.once_due is None:
            bad("Hạn nộp", "báo cáo một lần cần ngày hạn nộp.")
    else:
        for label, value in (("Kỳ bắt đầu", d.start_period), ("Kỳ kết thúc", d.end_period)):
            if value and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
                bad(label, f"'{value}' không đúng dạng năm-tháng (ví dụ 2025-03).")
        if not d.start_period:
            bad("Kỳ bắt đầu", "cần tháng bắt đầu theo dõi (ví dụ 2025-03).")
        elif d.end_period and d.end_period < d.start_period:
            bad("Kỳ kết thúc", "trước kỳ bắt đầu.")
    allowed = FILTERS.get(d.period_kind)
    tokens = [x.strip().upper() for x in d.period_filter.split(",") if x.strip()]
    if tokens and (allowed is None or any(x not in allowed for x in tokens)):
        hint = ", ".join(sorted(allowed)) if allowed else "không dùng cho loại kỳ này"
        bad("Chỉ các kỳ", f"'{d.period_filter}' không hợp lệ ({hint}).")
    if d.stands_in_for_id is not None:
        if d.id is not None and d.stands_in_for_id == d.id:
            bad("Thay thế cho", "một loại báo cáo không thể thay cho chính nó.")
        elif s.get(ReportType, d.stands_in_for_id) is None:
            bad("Thay thế cho", "không tìm thấy loại báo cáo.")
    if not d.owed_by_all and not d.unit_ids:
        bad("Đơn vị phải nộp", "chọn ít nhất một đơn vị hoặc nhóm đơn vị.")
    return out


@dataclass(frozen=True)
class SavedType:
    id: int
    regen: RegenResult


def save_report_type(db: Database, data: ReportTypeInput, today: date | None = None,
                     user: str | None = None, progress: Progress | None = None,
                     cancelled: Callable[[], bool] | None = None) -> SavedType:
    """Create or update (version-checked, audited), then regenerate the expected reports."""
    d = ReportTypeInput(**{**asdict(data), "code": nfc(data.code).upper(), "name": nfc(data.name),
                           "due_wording": nfc(data.due_wording),
                           "period_filter": ",".join(x.strip().upper() for x in data.period_filter.split(",")
                                                     if x.strip()),
                           "start_period": data.start_period.strip(), "end_period": data.end_period.strip()})
    with db.session() as s:
        problems = _problems(s, d)
        if problems:
            raise ValidationError("Không lưu được loại báo cáo.", problems)
        values = {k: v for k, v in asdict(d).items() if k not in ("id", "version", "unit_ids")}
        if d.id is None:
            rt = ReportType(**values)
            s.add(rt)
            audit.record_insert(s, rt, list(values), user)
        else:
            rt = s.get(ReportType, d.id)
            if rt is None:
                raise NotFound("Không tìm thấy loại báo cáo (có thể đã bị xóa).")
            check_version(rt, d.version, "loại báo cáo")
            audit.apply_changes(s, rt, values, user=user)
        old_units = set(s.scalars(select(ReportTypeUnit.unit_id).where(ReportTypeUnit.report_type_id == rt.id)))
        new_units = set() if d.owed_by_all else set(d.unit_ids)
        if old_units != new_units:
            s.execute(delete(ReportTypeUnit).where(ReportTypeUnit.report_type_id == rt.id))
            s.add_all([ReportTypeUnit(report_type_id=rt.id, unit_id=u) for u in sorted(new_units)])
            audit.record(s, "report_type", rt.id, "update",
                         {"unit_ids": (sorted(old_units), sorted(new_units))}, user)
        s.flush()
        # Cancelling the regeneration rolls the whole save back: nothing half-done.
        regen = regenerate_in(s, today or date.today(), progress, cancelled)
        return SavedType(rt.id, regen)


def delete_report_type(db: Database, type_id: int, version: int, today: date | None = None,
                       user: str | None = None, progress: Progress | None = None,
                       cancelled: Callable[[], bool] | None = None) -> RegenResult:
    """Delete a type that has no received report; otherwise it must be switched off instead."""
    with db.session() as s:
        rt = s.get(ReportType, type_id)
        if rt is None:
            raise NotFound("Không tìm thấy loại báo cáo (có thể đã bị xóa).")
        check_version(rt, version, "loại báo cáo")
        linked = s.scalar(select(func.count()).select_from(IncomingReport).where(
            (IncomingReport.report_type_id == rt.id)
            | IncomingReport.expected_report_id.in_(select(ExpectedReport.id)
                                                    .where(ExpectedReport.report_type_id == rt.id))))
        if linked:
            raise Conflict(f"Loại báo cáo '{rt.name}' đã có {linked} báo cáo đến: không xóa được. "
                           "Hãy bỏ chọn 'Đang áp dụng' để ngừng theo dõi mà vẫn giữ lịch sử.")
        s.execute(update(ReportType).where(ReportType.stands_in_for_id == rt.id).values(stands_in_for_id=None))
        s.execute(delete(ExpectedReport).where(ExpectedReport.report_type_id == rt.id))
        s.execute(delete(ReportTypeUnit).where(ReportTypeUnit.report_type_id == rt.id))
        audit.record(s, "report_type", rt.id, "delete", {"code": (rt.code, None), "name": (rt.name, None)}, user)
        s.delete(rt)
        s.flush()
        return regenerate_in(s, today or date.today(), progress, cancelled)


@dataclass(frozen=True)
class OwnerChoice:
    id: int
    code: str
    label: str  # "Các sở, ban, ngành (nhóm: 14 đơn vị)" or "Sở Nội vụ (SNV)"
    is_group: bool
    parent_id: int | None


def owner_choices(db: Database) -> list[OwnerChoice]:
    """Units and group units that can be chosen as owing a report type (groups first,
    each followed by its members)."""
    with db.session() as s:
        units = s.scalars(select(Unit).order_by(Unit.sort_order, Unit.code)).all()
    groups = {u.id for u in units if u.is_group}
    members: dict[int, list[Unit]] = {}
    for u in units:
        if u.parent_id in groups:
            members.setdefault(u.parent_id, []).append(u)
    out = []
    for u in units:
        if u.parent_id in groups:
            continue  # listed under its group
        if u.is_group:
            kids = [m for m in members.get(u.id, []) if m.owes_reports]
            out.append(OwnerChoice(u.id, u.code, f"{u.name} (nhóm: {len(kids)} đơn vị)", True, None))
            out += [OwnerChoice(m.id, m.code, f"{m.name} ({m.code})", False, u.id) for m in kids]
        elif u.owes_reports:
            out.append(OwnerChoice(u.id, u.code, f"{u.name} ({u.code})", False, u.parent_id))
    return out
