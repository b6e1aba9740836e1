"""The reminder letter (công văn đôn đốc) for a period: addressed to the units whose reports
are missing (chưa gửi, past due) or came late (trễ hạn), naming what is missing and the new
deadline. ``generate_reminder`` takes the next công văn number from the outgoing register,
writes the files and logs one ReminderLog row per unit × report (channel "công văn")
linked to the register row, in one transaction.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from models import ReminderLog
from models.db import Database
from services import audit, outgoing
from services import docmodel as dm
from services import document_files as files
from services import timeliness as tl
from services.consolidated_report import addressees, signature
from services.document_files import GeneratedDocument
from services.errors import Cancelled, ValidationError
from services.periods import Period
from services.report_data import (
    PlanInfo,
    ReportingRow,
    main_plan,
    plan_phrase,
    reporting_rows,
    title_case_agency,
)
from services.settings import AgencyInfo, get_agency, get_int

DOC_TYPE = "CV"
CHANNEL = "công văn"
MAX_LISTED = 8  # more addressees than this: "Kính gửi" points to the attached list
FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class ReminderTarget:
    """A unit to remind and its missing or late reports of the period."""
    unit_id: int
    unit_name: str
    rows: tuple[ReportingRow, ...]

    @property
    def missing(self) -> bool:
        return any(r.status == tl.MISSING for r in self.rows)


@dataclass(frozen=True)
class _Context:
    period: Period
    as_of: date
    agency: AgencyInfo
    agency_title: str
    plan: PlanInfo | None
    targets: tuple[ReminderTarget, ...]


def reminder_targets(db: Database, period: str, as_of: date) -> list[ReminderTarget]:
    """Units with a report of the period missing or late on `as_of`, in unit order."""
    p = Period.parse(period)
    by_unit: dict[int, list[ReportingRow]] = {}
    for r in reporting_rows(db, p, as_of):
        if r.status in (tl.MISSING, tl.LATE):
            by_unit.setdefault(r.unit_id, []).append(r)
    return [ReminderTarget(uid, rows[0].unit_name, tuple(rows)) for uid, rows in by_unit.items()]


def default_deadline(db: Database, as_of: date) -> date:
    """`reminder_lead_days` working days after the letter's date (holidays respected)."""
    from services.regime import load_calendar

    with db.session() as s:
        cal = load_calendar(s)
    d, left = as_of, max(get_int(db, "reminder_lead_days"), 1)
    while left:
        d += timedelta(days=1)
        left -= cal.is_working_day(d)
    return d


def default_subject(plan: PlanInfo | None, p: Period) -> str:
    what = f"kết quả thực hiện {plan_phrase(plan, 60)}" if plan else "định kỳ"
    return f"V/v đôn đốc báo cáo {what} {p.label()}"


def _context(db: Database, period: str, as_of: date, unit_ids: Sequence[int] | None) -> _Context:
    from models import Unit

    p = Period.parse(period)
    agency = get_agency(db)
    targets = reminder_targets(db, p.name, as_of)
    if unit_ids is not None:
        wanted = set(unit_ids)
        targets = [t for t in targets if t.unit_id in wanted]
    if not targets:
        raise ValidationError(f"Không có cơ quan, đơn vị nào chưa gửi hoặc gửi chậm báo cáo {p.label()} "
                              f"(tính đến ngày {as_of:%d/%m/%Y}): không cần công văn đôn đốc.")
    with db.session() as s:
        plan = main_plan(s)
        unit = s.get(Unit, agency.unit_id) if agency.unit_id else None
        title = title_case_agency(agency, unit.name if unit else "")
    return _Context(p, as_of, agency, title, plan, tuple(targets))


def _item(r: ReportingRow) -> str:
    what = f"báo cáo {Period.parse(r.period).label()}" if r.period else r.report_type.lower()
    if r.status == tl.LATE:
        return f"{what} (hạn gửi {r.last_on_time_day:%d/%m/%Y}, nhận ngày {r.received:%d/%m/%Y}, trễ {r.days} ngày)"
    return f"{what} (hạn gửi {r.last_on_time_day:%d/%m/%Y}, đã quá hạn {r.days} ngày)"


def _bullets(targets: list[ReminderTarget], status: str) -> list[dm.Block]:
    out: list[dm.Block] = []
    picked = [(t, [r for r in t.rows if r.status == status]) for t in targets]
    picked = [(t, rows) for t, rows in picked if rows]
    for i, (t, rows) in enumerate(picked):
        end = "." if i == len(picked) - 1 else ";"
        out.append(dm.Paragraph(f"- {t.unit_name}: {'; '.join(_item(r) for r in rows)}{end}"))
    return out


def _list_annex(c: _Context, symbol: str, doc_date: date) -> dm.Annex:
    cols = [dm.Column("STT", 0.7, dm.CENTER), dm.Column("Cơ quan, đơn vị", 3.0), dm.Column("Báo cáo", 2.0),
            dm.Column("Hạn gửi", 1.1, dm.CENTER), dm.Column("Tình trạng", 1.8)]
    rows: list[list[dm.Cell]] = []
    for t in c.targets:
        for r in t.rows:
            rows.append([str(len(rows) + 1), t.unit_name, f"Báo cáo {Period.parse(r.period).label()}",
                         f"{r.last_on_time_day:%d/%m/%Y}", r.status_text])
    ref = dm.annex_reference("Công văn", symbol, doc_date, c.agency_title)
    return dm.Annex("DANH SÁCH", "CÁC CƠ QUAN, ĐƠN VỊ CHƯA GỬI HOẶC GỬI CHẬM BÁO CÁO", ref,
                    blocks=[dm.Table(cols, rows, font_size=12)])


def compose(c: _Context, symbol: str, doc_date: date, deadline: date,
            subject: str | None = None) -> dm.OfficialDocument:
    a = c.agency
    # A month has one report; a longer period gathers every report due in it.
    label = c.period.label() if c.period.kind == "month" else f"định kỳ {c.period.label()}"
    whom_list, _others = addressees(a)
    whom = ", ".join(whom_list) or "cấp có thẩm quyền"
    targets = list(c.targets)
    listed = len(targets) <= MAX_LISTED
    duty = f"gửi báo cáo định kỳ về {c.agency_title} để tổng hợp, báo cáo {whom}"
    intro = (f"Thực hiện {c.plan.reference()}, các cơ quan, đơn vị có trách nhiệm {duty}."
             if c.plan else f"Theo chế độ báo cáo định kỳ, các cơ quan, đơn vị có trách nhiệm {duty}.")
    blocks: list[dm.Block] = [dm.Paragraph(intro)]
    missing = [t for t in targets if t.missing]
    late = [t for t in targets if any(r.status == tl.LATE for r in t.rows)]
    if missing:
        blocks.append(dm.Paragraph(f"Đến ngày {c.as_of:%d/%m/%Y}, {c.agency_title} chưa nhận được báo cáo "
                                   f"{label} của "
                                   + ("các cơ quan, đơn vị sau:" if listed else
                                      f"{len(missing)} cơ quan, đơn vị (có danh sách kèm theo).")))
        if listed:
            blocks += _bullets(missing, tl.MISSING)
    if late:
        who = "các cơ quan, đơn vị sau" if listed else f"có {len(late)} cơ quan, đơn vị"
        blocks.append(dm.Paragraph(("Ngoài ra, " + who if missing else who[:1].upper() + who[1:])
                                   + f" đã gửi báo cáo {label} nhưng chậm so với thời hạn quy định"
                                   + (":" if listed else " (có danh sách kèm theo).")))
        if listed:
            blocks += _bullets(late, tl.LATE)
    ask = f"Để kịp thời tổng hợp, báo cáo {whom} theo quy định, {c.agency_title} đề nghị"
    if missing:
        ask += (f" các cơ quan, đơn vị chưa gửi báo cáo khẩn trương hoàn thành, gửi báo cáo về "
                f"{c.agency_title} chậm nhất ngày {deadline:%d/%m/%Y}")
    if late:
        ask += ("; các" if missing else " các") + (" cơ quan, đơn vị gửi báo cáo chậm nghiêm túc thực hiện "
                                                  "đúng thời hạn trong các kỳ báo cáo tiếp theo")
    blocks.append(dm.Paragraph(ask + "."))
    blocks.append(dm.Paragraph("Đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./."))
    to = [t.unit_name for t in targets] if listed else ["Các cơ quan, đơn vị có tên trong danh sách kèm theo"]
    return dm.OfficialDocument(
        agency=a.name, parent_agency=a.parent_name, number=files.number_text(symbol), place=a.place, issue_date=doc_date,
        doc_type="", subject=subject or default_subject(c.plan, c.period), recipients=to, blocks=blocks,
        signature=signature(a),
        distribution=["- Như trên;", f"- Lưu: VT{', ' + a.drafting_unit if a.drafting_unit else ''}."],
        annexes=[] if listed else [_list_annex(c, symbol, doc_date)],
    )


def build_reminder_document(db: Database, period: str, doc_date: date, deadline: date | None = None,
                            unit_ids: Sequence[int] | None = None, symbol: str = "",
                            subject: str | None = None) -> dm.OfficialDocument:
    """The letter for `period` dated `doc_date` (statuses as of that day)."""
    c = _context(db, period, doc_date, unit_ids)
    symbol = symbol or files.blank_symbol(DOC_TYPE, c.agency)
    return compose(c, symbol, doc_date, deadline or default_deadline(db, doc_date), subject)


def render_reminder(db: Database, period: str, fmt: str, path: str | Path, doc_date: date) -> Path:
    """Build and render one format without the register (previews, benchmarks)."""
    fmt = files.check_formats([fmt], FORMATS)[0]
    doc = build_reminder_document(db, period, doc_date)
    return files.render(doc, [], [], fmt, Path(path))


def generate_reminder(db: Database, period: str, formats: Sequence[str], doc_date: date,
                      deadline: date | None = None, unit_ids: Sequence[int] | None = None,
                      progress: files.Progress | None = None, cancelled: files.IsCancelled | None = None,
                      subject: str | None = None) -> GeneratedDocument:
    """Take the next "CV" number, write the letter, record the files and log the reminders."""
    progress, cancelled = progress or files.no_progress, cancelled or files.never
    fmts = files.check_formats(formats, FORMATS)
    total = len(fmts) + 1
    progress(0, total, "Đang lập danh sách đơn vị cần đôn đốc…")
    c = _context(db, period, doc_date, unit_ids)
    a = c.agency
    if not a.name.strip() or not a.abbreviation.strip():
        raise ValidationError("Chưa khai báo tên cơ quan và chữ viết tắt (trang Cài đặt): "
                              "không thể cấp số văn bản.")
    deadline = deadline or default_deadline(db, doc_date)
    if deadline < doc_date:
        raise ValidationError(f"Hạn gửi báo cáo ({deadline:%d/%m/%Y}) trước ngày công văn ({doc_date:%d/%m/%Y}).")
    if cancelled():
        raise Cancelled("Đã hủy tạo công văn.")
    title = subject or default_subject(c.plan, c.period)
    written: list[Path] = []
    try:
        with db.session() as s:
            row = outgoing.reserve(
                s, doc_date=doc_date, doc_type=DOC_TYPE, agency_abbr=a.abbreviation, drafting_unit=a.drafting_unit,
                kind="reminder", period=c.period.name, title=title,
                recipients="; ".join(t.unit_name for t in c.targets),
                params={"formats": fmts, "deadline": deadline.isoformat(),
                        "unit_ids": [t.unit_id for t in c.targets]})
            doc = compose(c, row.symbol, doc_date, deadline, title)
            written = files.write_files(db, doc, [], [], fmts, doc_date.year,
                                        files.stem_for(row.symbol, c.period.name), progress, cancelled, 1, total)
            files.record_files(s, db, row.id, written)
            for t in c.targets:
                for r in t.rows:
                    log = ReminderLog(period=r.period or c.period.name, unit_id=t.unit_id,
                                      report_type_id=r.report_type_id, sent_date=doc_date, channel=CHANNEL,
                                      note=f"Công văn số {row.symbol}: {r.status_text}",
                                      outgoing_document_id=row.id)
                    s.add(log)
                    audit.record_insert(s, log, ["period", "unit_id", "sent_date", "channel", "outgoing_document_id"])
            result = GeneratedDocument(row.id, row.symbol, doc_date, title, tuple(written))
    except BaseException:
        files.remove(written)
        raise
    return result


def regenerate_reminder(db: Database, doc_id: int, version: int, progress: files.Progress | None = None,
                        cancelled: files.IsCancelled | None = None,
                        formats: Sequence[str] | None = None) -> GeneratedDocument:
    """Rewrite a letter's files under the same number, date, deadline and addressees
    (no new reminder is logged: the letter was already sent)."""
    from models import OutgoingDocument
    from services.locking import check_version

    progress, cancelled = progress or files.no_progress, cancelled or files.never
    row = outgoing.get_document(db, doc_id)
    if row.kind != "reminder":
        raise ValidationError("Văn bản này không phải công văn đôn đốc.")
    fmts = files.check_formats(formats or row.params.get("formats") or list(FORMATS), FORMATS)
    total = len(fmts) + 1
    progress(0, total, "Đang lập lại công văn…")
    c = _context(db, row.period, row.doc_date, row.params.get("unit_ids"))
    deadline = date.fromisoformat(row.params["deadline"]) if row.params.get("deadline") else \
        default_deadline(db, row.doc_date)
    doc = compose(c, row.symbol, row.doc_date, deadline, row.title)
    with db.session() as s:
        check_version(s.get(OutgoingDocument, doc_id), version, "văn bản đi")
        written = files.write_files(db, doc, [], [], fmts, row.doc_date.year,
                                    files.stem_for(row.symbol, row.period), progress, cancelled, 1, total)
        files.record_files(s, db, doc_id, written, action="regenerate")
    return GeneratedDocument(doc_id, row.symbol, row.doc_date, row.title, tuple(written))
