"""The working-day calendar as users edit it: overrides announced by the Government each
year (an extra day off, or a Saturday made a working day to swap for a bridge day) and
the year view (days off with their names, deadlines of the year).

Saving or deleting an override regenerates the expected reports in the same transaction,
so every last on-time day follows the calendar (BLDS 2015 Điều 148.5).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from models import ExpectedReport, HolidayOverride, IncomingReport, ReportType
from models.db import Database
from services import audit
from services.errors import NotFound, Problem, ValidationError
from services.periods import Period
from services.regime import Progress, RegenResult, load_calendar, regenerate_in, wanted_reports
from services.text import nfc

OFF, WORK = "off", "work"
KIND_LABELS = {OFF: "Nghỉ thêm", WORK: "Làm việc bù"}
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class OverrideInfo:
    day: date
    kind: str
    kind_label: str
    note: str
    weekday: str

    @property
    def id(self) -> int:
        """Row key for tables (yyyymmdd)."""
        return _row_id(self.day)


def _row_id(d: date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def list_overrides(db: Database, year: int | None = None) -> list[OverrideInfo]:
    with db.session() as s:
        q = select(HolidayOverride).order_by(HolidayOverride.day)
        if year is not None:
            q = q.where(HolidayOverride.day >= date(year, 1, 1), HolidayOverride.day <= date(year, 12, 31))
        return [OverrideInfo(r.day, r.kind, KIND_LABELS.get(r.kind, r.kind), r.note, WEEKDAYS[r.day.weekday()])
                for r in s.scalars(q)]


def save_override(db: Database, day: date, kind: str, note: str, today: date | None = None,
                  original_day: date | None = None, user: str | None = None,
                  progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> RegenResult:
    """Add or change an override (moving it when `original_day` differs), audited, then
    regenerate expected reports."""
    note = nfc(note)
    problems = []
    if kind not in KIND_LABELS:
        problems.append(Problem(f"Loại ngày: không hợp lệ ({kind}).", extra={"field": "Loại ngày"}))
    if day is None:
        problems.append(Problem("Ngày: chưa chọn ngày.", extra={"field": "Ngày"}))
    if problems:
        raise ValidationError("Không lưu được ngày điều chỉnh.", problems)
    with db.session() as s:
        if original_day is not None and original_day != day:
            old = s.get(HolidayOverride, original_day)
            if old is not None:
                audit.record(s, "holiday_override", _row_id(original_day), "delete",
                             {"day": (original_day, None), "kind": (old.kind, None)}, user)
                s.delete(old)
                s.flush()
        row = s.get(HolidayOverride, day)
        if row is None:
            s.add(HolidayOverride(day=day, kind=kind, note=note))
            audit.record(s, "holiday_override", _row_id(day), "insert",
                         {"day": (None, day), "kind": (None, kind), "note": (None, note)}, user)
        else:
            changes = {k: (getattr(row, k), v) for k, v in (("kind", kind), ("note", note)) if getattr(row, k) != v}
            row.kind, row.note = kind, note
            if changes:
                audit.record(s, "holiday_override", _row_id(day), "update", changes, user)
        s.flush()
        return regenerate_in(s, today or date.today(), progress, cancelled)


def delete_override(db: Database, day: date, today: date | None = None, user: str | None = None,
                    progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> RegenResult:
    with db.session() as s:
        row = s.get(HolidayOverride, day)
        if row is None:
            raise NotFound("Không tìm thấy ngày điều chỉnh (có thể đã bị xóa).")
        audit.record(s, "holiday_override", _row_id(day), "delete",
                     {"day": (day, None), "kind": (row.kind, None), "note": (row.note, None)}, user)
        s.delete(row)
        s.flush()
        return regenerate_in(s, today or date.today(), progress, cancelled)


# ---- year view ----------------------------------------------------------------------------
@dataclass(frozen=True)
class DayOff:
    day: date
    name: str
    kind: str  # "weekend" | "holiday" | "override"

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()]


@dataclass(frozen=True)
class Deadline:
    day: date  # last on-time day (after the shift)
    nominal: date  # before the shift
    report_type: str
    due_wording: str
    period: str
    period_label: str
    units: int  # units owing it
    received: int  # of which received


@dataclass(frozen=True)
class YearView:
    year: int
    days_off: tuple[DayOff, ...]  # weekends, public holidays and extra days off
    working_overrides: tuple[OverrideInfo, ...]  # weekend days made working days
    deadlines: tuple[Deadline, ...]

    def holidays(self) -> tuple[DayOff, ...]:
        """Days off other than ordinary weekends (for lists)."""
        return tuple(d for d in self.days_off if d.kind != "weekend")


def year_view(db: Database, year: int) -> YearView:
    """Days off with names and the deadlines whose last on-time day falls in `year`.

    Deadlines already generated come from the expected reports (with received counts);
    later ones of the year are computed from the regime without writing."""
    with db.session() as s:
        cal = load_calendar(s)
        overrides = {r.day: r for r in s.scalars(select(HolidayOverride).where(
            HolidayOverride.day >= date(year, 1, 1), HolidayOverride.day <= date(year, 12, 31)))}
        days_off = []
        for d, name in cal.days_off(year):
            kind = "override" if d in overrides else ("holiday" if cal.holiday_name(d) else "weekend")
            days_off.append(DayOff(d, name, kind))
        working = tuple(OverrideInfo(d, r.kind, KIND_LABELS[WORK], r.note, WEEKDAYS[d.weekday()])
                        for d, r in sorted(overrides.items()) if r.kind == WORK)
        deadlines = _deadlines(s, year)
    return YearView(year, tuple(days_off), working, tuple(deadlines))


def _deadlines(s, year: int) -> list[Deadline]:  # noqa: ANN001 - Session
    start, end = date(year, 1, 1), date(year, 12, 31)
    e = ExpectedReport
    received = (select(IncomingReport.expected_report_id).where(IncomingReport.expected_report_id.is_not(None))
                .distinct().subquery())
    rows = s.execute(
        select(e.report_type_id, e.period, e.last_on_time_day, e.nominal_due, func.count(e.id),
               func.count(received.c.expected_report_id))
        .outerjoin(received, received.c.expected_report_id == e.id)
        .where(e.obsolete.is_(False), e.last_on_time_day >= start, e.last_on_time_day <= end)
        .group_by(e.report_type_id, e.period, e.last_on_time_day, e.nominal_due)).all()
    types = {t.id: t for t in s.scalars(select(ReportType))}
    seen = {(r[0], r[1]) for r in rows}
    found: dict[tuple, list[int]] = {}
    for (tid, period, last, nominal, n, got) in rows:
        found.setdefault((tid, period, last, nominal), [0, 0])
        found[(tid, period, last, nominal)][0] += n
        found[(tid, period, last, nominal)][1] += got
    # Periods of the year not generated yet (the regime only looks one month ahead).
    for v in wanted_reports(s, end + timedelta(days=1)).values():
        if start <= v["last_on_time_day"] <= end and (v["report_type_id"], v["period"]) not in seen:
            key = (v["report_type_id"], v["period"], v["last_on_time_day"], v["nominal_due"])
            found.setdefault(key, [0, 0])[0] += 1
    out = []
    for (tid, period, last, nominal), (n, got) in found.items():
        t = types.get(tid)
        out.append(Deadline(last, nominal, t.name if t else "?", t.due_wording if t else "", period,
                            Period.parse(period).label(), n, got))
    return sorted(out, key=lambda d: (d.day, d.report_type))
