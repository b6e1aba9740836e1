"""Chasing reports (đôn đốc): the units that have not sent a period's reports, with their
contacts, a Vietnamese e-mail text to copy, and the log of reminders sent (ReminderLog).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Agency, ExpectedReport, ReminderLog, ReportType, Unit
from models.db import Database
from services import audit, tracking
from services import timeliness as tl
from services.errors import Problem, ValidationError
from services.incoming_list import periods_of_month
from services.periods import Period
from services.text import nfc

CHANNELS = {"email": "Thư điện tử", "phone": "Điện thoại", "eoffice": "Hệ thống văn bản điện tử",
            "paper": "Công văn giấy"}


@dataclass(frozen=True)
class ChaseRow:
    expected_id: int
    unit_id: int
    unit_code: str
    unit_name: str
    contact_person: str
    phone: str
    email: str
    report_type_id: int
    report_type: str
    period: str
    period_label: str
    last_on_time_day: date
    status: str
    status_text: str
    reminders: int
    last_reminder: date | None

    @property
    def id(self) -> int:
        return self.expected_id


@dataclass(frozen=True)
class EmailDraft:
    subject: str
    body: str
    recipients: tuple[str, ...]  # e-mail addresses of the units chased

    def recipients_text(self) -> str:
        return "; ".join(self.recipients)


@dataclass(frozen=True)
class ReminderRow:
    id: int
    sent_date: date
    unit_code: str
    unit_name: str
    report_type: str
    period: str
    channel: str
    channel_label: str
    note: str


def units_to_chase(db: Database, month_key: str, today: date, overdue_only: bool = False) -> list[ChaseRow]:
    """Expected reports of the period not received and not excused: overdue ones first."""
    with db.session() as s:
        return _chase(s, month_key, today, overdue_only)


def _chase(s: Session, month_key: str, today: date, overdue_only: bool) -> list[ChaseRow]:
    statuses = [tl.MISSING] if overdue_only else [tl.MISSING, tl.NOT_DUE]
    rows = [r for st in statuses
            for r in tracking.rows_in(s, tracking.ReportFilter(month_key=month_key, status=st), today, "unit_name")]
    if not rows:
        return []
    units = {u.id: u for u in s.scalars(select(Unit).where(Unit.id.in_({r.unit_id for r in rows})))}
    logs: dict[tuple[int, int | None, str], tuple[int, date]] = {}
    for uid, tid, period, n, last in s.execute(
            select(ReminderLog.unit_id, ReminderLog.report_type_id, ReminderLog.period, func.count(),
                   func.max(ReminderLog.sent_date))
            .where(ReminderLog.period.in_(periods_of_month(month_key)))
            .group_by(ReminderLog.unit_id, ReminderLog.report_type_id, ReminderLog.period)):
        logs[(uid, tid, period)] = (int(n), last)
    out = []
    for r in rows:
        u = units[r.unit_id]
        n, last = logs.get((r.unit_id, r.report_type_id, r.period), (0, None))
        out.append(ChaseRow(r.id, u.id, u.code, u.name, u.contact_person, u.phone, u.email, r.report_type_id,
                            r.report_type, r.period, r.period_label, r.last_on_time_day, r.status,
                            r.status_text, n, last))
    return out


def _agency_name(s: Session) -> str:
    a = s.get(Agency, 1)
    if a is None:
        return "Bộ phận tham mưu, giúp việc"
    if a.unit_id:
        u = s.get(Unit, a.unit_id)
        if u is not None:
            return u.name  # "Sở Khoa học và Công nghệ": normal case, unlike the header's capitals
    return a.name or "Bộ phận tham mưu, giúp việc"


def email_text(db: Database, month_key: str, today: date, expected_ids: list[int] | None = None) -> EmailDraft:
    """A reminder e-mail for the chosen rows (all units to chase when None)."""
    with db.session() as s:
        rows = _chase(s, month_key, today, False)
        if expected_ids is not None:
            wanted = set(expected_ids)
            rows = [r for r in rows if r.expected_id in wanted]
        agency = _agency_name(s)
        wording = dict(s.execute(select(ReportType.id, ReportType.due_wording)).all())
    if not rows:
        return EmailDraft("", "", ())
    by_type: dict[tuple[int, str], list[ChaseRow]] = {}
    for r in rows:
        by_type.setdefault((r.report_type_id, r.period), []).append(r)
    names = sorted({r.unit_name for r in rows})
    # "báo cáo tháng 11 năm 2026", "báo cáo 6 tháng đầu năm 2026": the period label names the
    # report without repeating the type's own name ("Báo cáo tháng tháng 11…").
    labels = sorted({r.period_label for r in rows})
    subject = "Đôn đốc gửi báo cáo " + " và ".join(labels)
    lines = ["Kính gửi: " + (names[0] if len(names) == 1 else "Các cơ quan, đơn vị có tên dưới đây."), ""]
    for (tid, _period), group in by_type.items():
        r0 = group[0]
        rule = f" ({wording.get(tid)})" if wording.get(tid) else ""
        lines.append(f"Theo chế độ báo cáo, báo cáo {r0.period_label} "
                     f"gửi về {agency}{rule}, hạn cuối ngày {r0.last_on_time_day.strftime('%d/%m/%Y')}. "
                     f"Đến ngày {today.strftime('%d/%m/%Y')}, {agency} chưa nhận được báo cáo của:")
        for i, r in enumerate(sorted(group, key=lambda x: x.unit_name), 1):
            lines.append(f"{i}. {r.unit_name} — {r.status_text[:1].lower()}{r.status_text[1:]}.")
        lines.append("")
    lines += [f"Đề nghị các cơ quan, đơn vị khẩn trương hoàn thành và gửi báo cáo về {agency} "
              "qua hệ thống văn bản điện tử hoặc thư điện tử để tổng hợp, báo cáo theo quy định.",
              "", "Trân trọng cảm ơn./.", "", agency]
    recipients = tuple(sorted({r.email for r in rows if r.email}))
    return EmailDraft(subject, "\n".join(lines), recipients)


def record_reminders(db: Database, expected_ids: list[int], sent_date: date, channel: str, note: str = "",
                     user: str | None = None) -> int:
    """Log that the units of these expected reports were reminded (one row each, audited)."""
    problems = []
    if channel not in CHANNELS:
        problems.append(Problem(f"Hình thức: không hợp lệ ({channel}).", extra={"field": "Hình thức"}))
    if not expected_ids:
        problems.append(Problem("Đơn vị: chưa chọn đơn vị nào để ghi nhận đôn đốc.", extra={"field": "Đơn vị"}))
    if problems:
        raise ValidationError("Không ghi nhận được việc đôn đốc.", problems)
    n = 0
    with db.session() as s:
        for e in s.scalars(select(ExpectedReport).where(ExpectedReport.id.in_(expected_ids))):
            row = ReminderLog(period=e.period, unit_id=e.unit_id, report_type_id=e.report_type_id,
                              sent_date=sent_date, channel=channel, note=nfc(note))
            s.add(row)
            audit.record_insert(s, row, ["period", "unit_id", "report_type_id", "sent_date", "channel"], user)
            n += 1
    return n


def reminder_log(db: Database, month_key: str) -> list[ReminderRow]:
    """Reminders sent for the reports of a period, newest first."""
    with db.session() as s:
        rows = s.execute(select(ReminderLog, Unit.code, Unit.name, ReportType.name)
                         .join(Unit, Unit.id == ReminderLog.unit_id)
                         .outerjoin(ReportType, ReportType.id == ReminderLog.report_type_id)
                         .where(ReminderLog.period.in_(periods_of_month(month_key)))
                         .order_by(ReminderLog.sent_date.desc(), ReminderLog.id.desc())).all()
        return [ReminderRow(r.id, r.sent_date, code, name, tname or "", Period.parse(r.period).label(),
                            r.channel, CHANNELS.get(r.channel, r.channel), r.note)
                for r, code, name, tname in rows]
