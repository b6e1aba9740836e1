"""Register of incoming reports (Báo cáo đến): register, link to the expected report,
keep attachments. (Editing, excusing and search build on this module.)"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Attachment, ExpectedReport, IncomingReport, ReportType, Unit
from models.db import Database
from services import audit
from services.errors import NotFound, ValidationError
from services.filestore import store_file
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


def register_in(s: Session, db: Database, data: NewIncoming, user: str | None = None) -> Registered:
    """Register within an existing unit of work (used by form imports too)."""
    problems = []
    unit = s.get(Unit, data.unit_id)
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị.")
    try:
        Period.parse(data.period)
    except ValidationError as e:
        problems.append(str(e))
    received = data.received_date or date.today()
    if data.doc_date and data.doc_date > received:
        problems.append("Ngày văn bản của đơn vị sau ngày nhận.")
    if data.channel not in CHANNELS:
        problems.append(f"Hình thức nhận không hợp lệ: {data.channel}")
    if problems:
        raise ValidationError("Không ghi được báo cáo đến: " + " ".join(problems))
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
                 {"unit": (None, unit.code), "period": (None, data.period), "received_date": (None, received)},
                 user)
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
