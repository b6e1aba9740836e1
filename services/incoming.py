"""Register of incoming reports (Báo cáo đến): register, edit, link to the expected report,
keep attachments (add, delete, duplicate detection), excuse expected reports (miễn).

Listing and search of the register are in services/incoming_list.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models import Attachment, ExpectedReport, IncomingReport, IndicatorValue, ReportType, Unit
from models.db import Database
from services import audit
from services.errors import NotFound, Problem, ValidationError
from services.filestore import attachment_path, sha256_of, store_file, stored_path  # noqa: F401 - re-exported
from services.locking import check_version
from services.periods import Period
from services.text import nfc, search_key

CHANNELS = {"paper": "Giấy", "email": "Thư điện tử", "eoffice": "Hệ thống văn bản điện tử", "form": "Biểu mẫu Excel"}


@dataclass
class NewIncoming:
    unit_id: int
    period: str
    report_type_id: int | None = None
    doc_number: str = ""
    doc_date: date | None = None
    received_date: date | None = None  # default: today
    channel: str = "email"
    summary: str = ""
    files: list[str] = field(default_factory=list)
    form_id: str = ""
    form_checksum: str = ""


@dataclass(frozen=True)
class Registered:
    id: int
    expected_report_id: int | None
    duplicate_files: list[str]  # names of files whose content was already stored


def find_expected(s: Session, unit_id: int, period: str, report_type_id: int | None) -> ExpectedReport | None:
    """The expected report a received report answers; a stand-in report answers the
    higher one (June's monthly report → the six-month report of that month)."""
    q = select(ExpectedReport).where(ExpectedReport.unit_id == unit_id, ExpectedReport.period == period)
    if report_type_id is not None:
        q = q.where(ExpectedReport.report_type_id == report_type_id)
    e = s.scalars(q.order_by(ExpectedReport.obsolete, ExpectedReport.id)).first()
    if e is not None or report_type_id is None:
        return e
    month_key = Period.parse(period).month_key
    higher = select(ReportType.id).where(ReportType.stands_in_for_id == report_type_id, ReportType.stand_in_enabled)
    return s.scalars(select(ExpectedReport).where(
        ExpectedReport.unit_id == unit_id, ExpectedReport.month_key == month_key,
        ExpectedReport.report_type_id.in_(higher))).first()


def _validate(s: Session, unit_id: int, period: str, report_type_id: int | None, doc_date: date | None,
              received: date, channel: str) -> Unit:
    """Every problem at once, each naming the field, or the unit when all is well."""
    problems = []

    def bad(field_label: str, message: str) -> None:
        problems.append(Problem(f"{field_label}: {message}", extra={"field": field_label}))

    unit = s.get(Unit, unit_id) if unit_id else None
    if unit is None:
        bad("Đơn vị", "chưa chọn hoặc không tìm thấy đơn vị.")
    try:
        Period.parse(period)
    except ValidationError as e:
        bad("Kỳ báo cáo", str(e))
    if report_type_id is not None and s.get(ReportType, report_type_id) is None:
        bad("Loại báo cáo", "không tìm thấy loại báo cáo.")
    if doc_date and doc_date > received:
        bad("Ngày văn bản", "ngày văn bản của đơn vị sau ngày nhận.")
    if channel not in CHANNELS:
        bad("Hình thức nhận", f"không hợp lệ ({channel}).")
    if problems:
        raise ValidationError("Không ghi được báo cáo đến.", problems)
    assert unit is not None
    return unit


def register_in(s: Session, db: Database, data: NewIncoming, user: str | None = None) -> Registered:
    """Register within an existing unit of work (used by form imports too)."""
    received = data.received_date or date.today()
    unit = _validate(s, data.unit_id, data.period, data.report_type_id, data.doc_date, received, data.channel)
    expected = find_expected(s, unit.id, data.period, data.report_type_id)
    summary = nfc(data.summary)
    rep = IncomingReport(
        expected_report_id=expected.id if expected else None, unit_id=unit.id,
        report_type_id=data.report_type_id or (expected.report_type_id if expected else None),
        period=data.period, doc_number=nfc(data.doc_number), doc_date=data.doc_date, received_date=received,
        channel=data.channel, summary=summary, search_key=search_key(summary, data.doc_number, unit.name),
        form_id=data.form_id, form_checksum=data.form_checksum, created_by=user or audit.current_user(),
    )
    s.add(rep)
    s.flush()
    dups = attach_files(s, db, rep.id, data.files)
    audit.record(s, "incoming_report", rep.id, "insert",
                 {"unit": (None, unit.code), "period": (None, data.period), "received_date": (None, received),
                  "files": (None, [Path(f).name for f in data.files])}, user)
    return Registered(rep.id, rep.expected_report_id, dups)


def register(db: Database, data: NewIncoming, user: str | None = None) -> Registered:
    with db.session() as s:
        return register_in(s, db, data, user)


def attach_files(s: Session, db: Database, incoming_id: int, files: list[str]) -> list[str]:
    """Store files and attach them; returns names whose content was already in the store."""
    dups = []
    for f in files:
        stored = store_file(db, f)
        already = s.scalars(select(Attachment).where(Attachment.sha256 == stored.sha256)).first()
        if stored.already_stored or already is not None:
            dups.append(Path(f).name)
        s.add(Attachment(sha256=stored.sha256, original_name=stored.original_name, size=stored.size,
                         incoming_report_id=incoming_id))
    return dups


# ---- reading one report (edit form) ------------------------------------------
@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    original_name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class IncomingDetail:
    id: int
    version: int
    unit_id: int
    period: str
    report_type_id: int | None
    expected_report_id: int | None
    doc_number: str
    doc_date: date | None
    received_date: date
    channel: str
    summary: str
    attachments: tuple[AttachmentInfo, ...]


def get_incoming(db: Database, incoming_id: int) -> IncomingDetail:
    with db.session() as s:
        r = s.get(IncomingReport, incoming_id)
        if r is None:
            raise NotFound("Không tìm thấy báo cáo đến (có thể đã bị xóa).")
        atts = s.scalars(select(Attachment).where(Attachment.incoming_report_id == r.id).order_by(Attachment.id))
        return IncomingDetail(
            r.id, r.version, r.unit_id, r.period, r.report_type_id, r.expected_report_id, r.doc_number,
            r.doc_date, r.received_date, r.channel, r.summary,
            tuple(AttachmentInfo(a.id, a.original_name, a.size, a.sha256) for a in atts))


# ---- editing -------------------------------------------------------------------
@dataclass
class EditIncoming:
    id: int
    version: int
    unit_id: int
    period: str
    report_type_id: int | None
    doc_number: str
    doc_date: date | None
    received_date: date
    channel: str
    summary: str
    add_files: list[str] = field(default_factory=list)


def edit(db: Database, data: EditIncoming, user: str | None = None) -> Registered:
    """Save the edit form (version-checked, audited). A new unit, period or report type
    links the report to the matching expected report again."""
    with db.session() as s:
        rep = s.get(IncomingReport, data.id)
        if rep is None:
            raise NotFound("Không tìm thấy báo cáo đến (có thể đã bị xóa).")
        check_version(rep, data.version, "báo cáo đến")
        unit = _validate(s, data.unit_id, data.period, data.report_type_id, data.doc_date,
                         data.received_date, data.channel)
        summary = nfc(data.summary)
        values: dict = dict(unit_id=unit.id, period=data.period.strip(), report_type_id=data.report_type_id,
                            doc_number=nfc(data.doc_number), doc_date=data.doc_date,
                            received_date=data.received_date, channel=data.channel, summary=summary,
                            search_key=search_key(summary, data.doc_number, unit.name))
        if (unit.id, values["period"], data.report_type_id) != (rep.unit_id, rep.period, rep.report_type_id):
            expected = find_expected(s, unit.id, values["period"], data.report_type_id)
            values["expected_report_id"] = expected.id if expected else None
            if data.report_type_id is None and expected is not None:
                values["report_type_id"] = expected.report_type_id
        audit.apply_changes(s, rep, values, user=user)
        dups = attach_files(s, db, rep.id, data.add_files)
        if data.add_files:
            audit.record(s, "incoming_report", rep.id, "update",
                         {"files": (None, [Path(f).name for f in data.add_files])}, user)
        return Registered(rep.id, rep.expected_report_id, dups)


def delete_incoming(db: Database, incoming_id: int, version: int, user: str | None = None) -> None:
    """Remove a report registered by mistake (its attachments rows go with it; the files
    stay in the store while another row still uses the same content)."""
    with db.session() as s:
        rep = s.get(IncomingReport, incoming_id)
        if rep is None:
            raise NotFound("Không tìm thấy báo cáo đến (có thể đã bị xóa).")
        check_version(rep, version, "báo cáo đến")
        atts = s.scalars(select(Attachment).where(Attachment.incoming_report_id == rep.id)).all()
        hashes = [(a.sha256, a.original_name) for a in atts]
        for a in atts:
            s.delete(a)
        # Values carried by the report (indicator values) point at it: detach them first.
        s.execute(update(IndicatorValue).where(IndicatorValue.incoming_report_id == rep.id)
                  .values(incoming_report_id=None))
        audit.record(s, "incoming_report", rep.id, "delete",
                     {"unit_id": (rep.unit_id, None), "period": (rep.period, None),
                      "doc_number": (rep.doc_number, None), "received_date": (rep.received_date, None)}, user)
        s.delete(rep)
    for sha, name in hashes:
        _drop_unused_file(db, sha, name)


def delete_attachment(db: Database, attachment_id: int, user: str | None = None) -> None:
    with db.session() as s:
        a = s.get(Attachment, attachment_id)
        if a is None:
            raise NotFound("Không tìm thấy tệp đính kèm (có thể đã bị xóa).")
        sha, name, owner = a.sha256, a.original_name, a.incoming_report_id
        audit.record(s, "attachment", a.id, "delete",
                     {"original_name": (name, None), "incoming_report_id": (owner, None)}, user)
        s.delete(a)
    _drop_unused_file(db, sha, name)


def _drop_unused_file(db: Database, sha256: str, original_name: str) -> None:
    """After the commit: delete the stored file when no row uses that content any more."""
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha256)):
            return
    stored_path(db, sha256, original_name).unlink(missing_ok=True)




@dataclass(frozen=True)
class DuplicateFile:
    path: str
    existing_name: str
    where: str  # "12/BC-SNV — SNV, 2026-05" (the report it is attached to)


def duplicates_of(db: Database, paths: list[str]) -> list[DuplicateFile]:
    """Files whose content is already attached somewhere (warned before saving)."""
    out = []
    with db.session() as s:
        for p in paths:
            if not Path(p).is_file():
                continue
            digest = sha256_of(Path(p))
            a = s.scalars(select(Attachment).where(Attachment.sha256 == digest).order_by(Attachment.id)).first()
            if a is None:
                continue
            where = "một hồ sơ khác"
            if a.incoming_report_id:
                r = s.get(IncomingReport, a.incoming_report_id)
                u = s.get(Unit, r.unit_id) if r else None
                if r and u:
                    where = f"báo cáo {r.doc_number or 'không số'} của {u.code}, kỳ {r.period}"
            out.append(DuplicateFile(p, a.original_name, where))
    return out


# ---- excusing (miễn) -------------------------------------------------------------
def excuse(db: Database, expected_ids: list[int], reason: str, user: str | None = None) -> int:
    """Mark expected reports as not owed (miễn), with the reason; returns how many changed."""
    reason = nfc(reason)
    if not reason:
        raise ValidationError("Cần ghi lý do miễn nộp báo cáo.",
                              [Problem("Lý do: không được để trống.", extra={"field": "Lý do"})])
    return _set_excused(db, expected_ids, True, reason, user)


def unexcuse(db: Database, expected_ids: list[int], user: str | None = None) -> int:
    return _set_excused(db, expected_ids, False, "", user)


def _set_excused(db: Database, ids: list[int], excused: bool, reason: str, user: str | None) -> int:
    n = 0
    with db.session() as s:
        for e in s.scalars(select(ExpectedReport).where(ExpectedReport.id.in_(ids))):
            if audit.apply_changes(s, e, {"excused": excused, "excuse_reason": reason}, user=user):
                n += 1
        if n == 0 and not s.scalar(select(func.count()).select_from(ExpectedReport)
                                   .where(ExpectedReport.id.in_(ids))):
            raise NotFound("Không tìm thấy báo cáo phải nộp đã chọn.")
    return n


# ---- choices for forms -------------------------------------------------------------
@dataclass(frozen=True)
class UnitChoice:
    id: int
    code: str
    name: str
    group: str
    owes_reports: bool


def unit_choices(db: Database) -> list[UnitChoice]:
    """Units that can send reports (not group units), reporting ones first."""
    with db.session() as s:
        units = s.scalars(select(Unit).where(Unit.is_group.is_(False))
                          .order_by(Unit.owes_reports.desc(), Unit.sort_order, Unit.code))
        return [UnitChoice(u.id, u.code, u.name, u.group, u.owes_reports) for u in units]


def group_choices(db: Database) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(Unit.group).where(Unit.is_group.is_(False)).distinct().order_by(Unit.group)))


@dataclass(frozen=True)
class ExpectedChoice:
    id: int
    report_type_id: int
    report_type: str
    period: str
    label: str  # "Báo cáo tháng — tháng 5 năm 2026 (hạn 18/05/2026)"
    last_on_time_day: date
    received: bool
    window_end: date


def expected_for_unit(db: Database, unit_id: int) -> list[ExpectedChoice]:
    """The unit's expected reports, newest first, for the period picker of the register form."""
    with db.session() as s:
        rows = s.execute(select(ExpectedReport, ReportType.name)
                         .join(ReportType, ReportType.id == ExpectedReport.report_type_id)
                         .where(ExpectedReport.unit_id == unit_id, ExpectedReport.obsolete.is_(False))
                         .order_by(ExpectedReport.month_key.desc(), ExpectedReport.period)).all()
        got = set(s.scalars(select(IncomingReport.expected_report_id)
                            .where(IncomingReport.unit_id == unit_id,
                                   IncomingReport.expected_report_id.is_not(None))))
        return [ExpectedChoice(e.id, e.report_type_id, name, e.period,
                               f"{name} — {Period.parse(e.period).label()} "
                               f"(hạn {e.last_on_time_day.strftime('%d/%m/%Y')})",
                               e.last_on_time_day, e.id in got, e.window_end)
                for e, name in rows]
