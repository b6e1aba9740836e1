"""The consolidated report (báo cáo tổng hợp) of a period as an official document.

Owns the wording of the report: header data from the agency settings, trích yếu from the
plan's title, section I from the figures of ``services.report_data``, sections II–IV from
the officer's drafts (``services.report_drafts``), the closing line, signature, Nơi nhận
and the three annexes (``services.report_annexes``). ``generate_report`` takes the number
from the outgoing register, writes the requested formats and records the files, all in one
transaction: a cancel or an error leaves no number taken and no file behind.

For the benchmark: ``render_report(db, period, fmt, path)`` builds and renders without
touching the register.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from models.db import Database
from services import docmodel as dm
from services import document_files as files
from services import outgoing
from services import task_status as ts
from services.document_files import GeneratedDocument
from services.errors import Cancelled, ValidationError
from services.periods import Period
from services.report_annexes import annexes, xlsx_tables
from services.report_data import (
    ReportData,
    expand_abbreviations,
    gather,
    number,
    percent,
    plan_phrase,
)
from services.report_drafts import SECTION_TITLES, SECTIONS
from services.settings import AgencyInfo, get_agency
from services.text import fold

DOC_TYPE = "BC"


def addressees(agency: AgencyInfo) -> tuple[list[str], list[str]]:
    """(Kính gửi, other Nơi nhận lines) from the agency's report recipients (one per line).

    Recipients marked "(để báo cáo)" are the ones the report is addressed to (the first line
    when none is marked); the others only receive a copy."""
    lines = [x.strip().rstrip(";.,").strip() for x in agency.report_recipients.splitlines()]
    lines = [x for x in lines if x]
    marked = [x for x in lines if "để báo cáo" in x.lower() or "để b/c" in x.lower()]
    to = marked or lines[:1]
    whom = [expand_abbreviations(x.split("(")[0].strip()) for x in to]
    return whom, [x for x in lines if x not in to]


def distribution(others: Sequence[str], drafting_unit: str) -> list[str]:
    lines = ["- Như trên;"] + [f"- {x};" for x in others]
    return lines + [f"- Lưu: VT{', ' + drafting_unit if drafting_unit else ''}."]


def signature(agency: AgencyInfo) -> dm.Signature:
    return dm.Signature(agency.signer_authority, agency.signer_title, agency.signer_name)


def default_subject(d: ReportData) -> str:
    """"Kết quả thực hiện Kế hoạch tuyên truyền … tháng 11 năm 2026"."""
    return f"Kết quả thực hiện {plan_phrase(d.plan)} {d.period_label}"


def _sentence(s: str) -> str:
    return s[:1].upper() + s[1:]


def _change(v: float | None, prev: float | None) -> str:
    if v is None or prev is None:
        return ""
    diff = v - prev
    if diff == 0:
        return "Không đổi"
    sign = "+" if diff > 0 else "−"
    pct = f" ({sign}{abs(diff) / prev * 100:.1f}%)".replace(".", ",") if prev else ""
    return f"{sign}{dm.format_cell(number(abs(diff)))}{pct}"


def _reporting(d: ReportData) -> list[dm.Block]:
    c = d.reporting
    out: list[dm.Block] = [dm.Heading(2, "1. Tình hình nhận báo cáo")]
    owed = c.total - c.excused
    text = (f"Kỳ báo cáo {d.period_label} có {owed} báo cáo của các cơ quan, đơn vị phải gửi về "
            f"{d.agency_title}. Đến ngày {d.as_of:%d/%m/%Y}, đã nhận {c.received}/{owed} báo cáo, "
            f"trong đó {c.on_time} báo cáo đúng hạn, {c.late} báo cáo trễ hạn")
    rest = [f"{c.missing} báo cáo chưa gửi"] * bool(c.missing) + [f"{c.not_due} báo cáo chưa đến hạn"] * bool(c.not_due)
    if rest:
        text += "; còn " + ", ".join(rest)
    if c.excused:
        text += f" ({c.excused} báo cáo được miễn)"
    text += (f". Tỷ lệ gửi báo cáo đạt {percent(c.completeness)}, "
             f"tỷ lệ đúng hạn đạt {percent(c.timeliness)}.")
    out.append(dm.Paragraph(text))
    missing = list(dict.fromkeys(r.unit_name for r in d.rows_with("chua_nop")))
    late = list(dict.fromkeys(r.unit_name for r in d.rows_with("tre_han")))
    if missing:
        out.append(dm.Paragraph(f"- Các cơ quan, đơn vị chưa gửi báo cáo: {', '.join(missing)}."))
    if late:
        out.append(dm.Paragraph(f"- Các cơ quan, đơn vị gửi báo cáo trễ hạn: {', '.join(late)}."))
    out.append(dm.Paragraph("(Chi tiết tại Phụ lục 01)", italic=True))
    return out


def _tasks(d: ReportData) -> list[dm.Block]:
    total = sum(n for _k, n in d.task_counts)
    out: list[dm.Block] = [dm.Heading(2, "2. Kết quả thực hiện nhiệm vụ")]
    if not total:
        return out + [dm.Paragraph("Chưa có nhiệm vụ nào được giao cho các cơ quan, đơn vị.")]
    out.append(dm.Paragraph(
        f"Tổng số có {total} lượt nhiệm vụ giao cho các cơ quan, đơn vị (mỗi đơn vị được giao "
        f"một nhiệm vụ tính là một lượt); tình hình thực hiện đến ngày {d.as_of:%d/%m/%Y}:"))
    shown = [(k, n) for k, n in d.task_counts if n]
    for i, (k, n) in enumerate(shown):
        label = ts.label(k) if k != ts.THUONG_XUYEN else "Nhiệm vụ thường xuyên (không có thời hạn cụ thể)"
        end = "." if i == len(shown) - 1 else ";"
        out.append(dm.Paragraph(f"- {label}: {n} lượt{end}"))
    out.append(dm.Paragraph("(Chi tiết tại Phụ lục 02)", italic=True))
    return out


def _activity(d: ReportData) -> list[dm.Block]:
    kind = "tuyên truyền" if d.plan and "tuyen truyen" in fold(d.plan.title + " " + d.plan.doc_type) \
        else "các chỉ tiêu"
    title = f"3. Kết quả hoạt động {kind}" if kind == "tuyên truyền" else "3. Kết quả thực hiện các chỉ tiêu"
    out: list[dm.Block] = [dm.Heading(2, title)]
    rows = [a for a in d.activity if a.value is not None or a.previous is not None]
    if rows:
        out.append(dm.Paragraph(f"Tổng hợp từ báo cáo của các cơ quan, đơn vị, kết quả {d.period_label} "
                                f"so với {d.previous_label} như sau:"))
        with_target = any(a.target is not None for a in rows)
        cols = [dm.Column("STT", 0.7, dm.CENTER), dm.Column("Nội dung", 3.0), dm.Column("Đơn vị tính", 1.2, dm.CENTER),
                dm.Column(_sentence(d.period_label), 1.3, dm.RIGHT),
                dm.Column(_sentence(d.previous_label), 1.3, dm.RIGHT),
                dm.Column("Tăng (+), giảm (−)", 1.5, dm.RIGHT)]
        if with_target:
            cols.append(dm.Column("Mục tiêu", 1.1, dm.RIGHT))
        body = []
        for i, a in enumerate(rows, 1):
            r = [str(i), a.name, a.uom, number(a.value), number(a.previous), _change(a.value, a.previous)]
            if with_target:
                r.append(f"{a.comparison} {dm.format_cell(number(a.target))}" if a.target is not None else "")
            body.append(r)
        out.append(dm.Table(cols, body, font_size=12))
    else:
        out.append(dm.Paragraph(f"Chưa có số liệu hoạt động {d.period_label}."))
    counts = [(label, n) for label, n in d.target_status if n]
    if counts:
        out.append(dm.Paragraph("Đối với các chỉ tiêu của Kế hoạch (số liệu năm gần nhất): "
                                + ", ".join(f"{n} chỉ tiêu {label.lower()}" for label, n in counts) + "."))
    out.append(dm.Paragraph("(Chi tiết theo từng cơ quan, đơn vị tại Phụ lục 03)", italic=True))
    return out


def _highlights(d: ReportData) -> list[dm.Block]:
    out: list[dm.Block] = [dm.Heading(2, "4. Một số kết quả nổi bật")]
    if not d.highlights:
        return out + [dm.Paragraph("Chưa có báo cáo nào của các cơ quan, đơn vị trong kỳ.")]
    for h in d.highlights:
        out.append(dm.Paragraph(f"- {h.unit_name}: “{h.text}”."))
    return out


def _draft_blocks(section: str, text: str, d: ReportData) -> list[dm.Block]:
    title = SECTION_TITLES[section]
    if section == "III":
        title = f"III. PHƯƠNG HƯỚNG, NHIỆM VỤ {d.next_label.upper()}"
    paras = [dm.Paragraph(line.strip()) for line in (text or "").splitlines() if line.strip()]
    return [dm.Heading(1, title), *(paras or [dm.Paragraph("Không có.")])]


def compose(d: ReportData, drafts: Mapping[str, str], symbol: str, doc_date: date,
            subject: str | None = None) -> dm.OfficialDocument:
    """The whole document from gathered figures and the drafts of sections II–IV."""
    a = d.agency
    to, others = addressees(a)
    if d.plan:
        intro = (f"Thực hiện {d.plan.reference()}, {d.agency_title} báo cáo kết quả thực hiện "
                 f"{d.period_label} như sau:")
    else:
        intro = f"{d.agency_title} báo cáo kết quả thực hiện nhiệm vụ {d.period_label} như sau:"
    blocks: list[dm.Block] = [dm.Paragraph(intro), dm.Heading(1, "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN")]
    blocks += _reporting(d) + _tasks(d) + _activity(d) + _highlights(d)
    for sec in SECTIONS:
        blocks += _draft_blocks(sec, drafts.get(sec, ""), d)
    whom = ", ".join(to) if to else "cấp có thẩm quyền"
    blocks.append(dm.Paragraph(f"Trên đây là báo cáo kết quả thực hiện {d.period_label} của "
                               f"{d.agency_title}, kính báo cáo {whom} xem xét, chỉ đạo./."))
    return dm.OfficialDocument(
        agency=a.name, parent_agency=a.parent_name, number=files.number_text(symbol), place=a.place, issue_date=doc_date,
        doc_type="BÁO CÁO", subject=subject or default_subject(d), recipients=to, blocks=blocks,
        signature=signature(a), distribution=distribution(others, a.drafting_unit),
        annexes=annexes(d, symbol, doc_date),
    )


def _drafts_text(db: Database, period: str, as_of: date, d: ReportData,
                 drafts: Mapping[str, str] | None) -> dict[str, str]:
    from services.report_drafts import load_drafts

    if drafts is not None:
        return {sec: drafts.get(sec, "") for sec in SECTIONS}
    return {sec: x.text for sec, x in load_drafts(db, period, as_of, d).items()}


def build_report_document(db: Database, period: str, doc_date: date, drafts: Mapping[str, str] | None = None,
                          symbol: str = "", *, subject: str | None = None,
                          plan_id: int | None = None) -> dm.OfficialDocument:
    """The consolidated report of `period` dated `doc_date` (figures as of that day).
    `drafts` None uses the saved drafts of II–IV (or their prefilled defaults)."""
    d = gather(db, period, doc_date, plan_id)
    return compose(d, _drafts_text(db, period, doc_date, d, drafts), symbol, doc_date, subject)


def render_report(db: Database, period: str, fmt: str, path: str | Path, doc_date: date | None = None,
                  symbol: str = "") -> Path:
    """Build and render one format to `path`, without the register (benchmarks, previews)."""
    fmt = files.check_formats([fmt])[0]
    when = doc_date or date.today()
    d = gather(db, period, when)
    symbol = symbol or files.blank_symbol(DOC_TYPE, d.agency)
    doc = compose(d, _drafts_text(db, period, when, d, None), symbol, when)
    return files.render(doc, xlsx_tables(d), heading(d.agency), fmt, Path(path))


def write_annex_workbook(db: Database, period: str, path: str | Path, doc_date: date | None = None) -> Path:
    """The annex tables as an Excel workbook (one print-ready sheet per table); no number needed."""
    from services.xlsx_tables import write_tables

    d = gather(db, period, doc_date or date.today())
    return write_tables(path, xlsx_tables(d), heading(d.agency))


def heading(a: AgencyInfo) -> list[str]:
    return [x for x in (a.parent_name, a.name) if x]


def _check_agency(a: AgencyInfo) -> None:
    if not a.name.strip() or not a.abbreviation.strip():
        raise ValidationError("Chưa khai báo tên cơ quan và chữ viết tắt (trang Cài đặt): "
                              "không thể cấp số văn bản.")


def generate_report(db: Database, period: str, formats: Sequence[str], doc_date: date,
                    drafts: Mapping[str, str] | None = None, progress: files.Progress | None = None,
                    cancelled: files.IsCancelled | None = None, *, subject: str | None = None,
                    plan_id: int | None = None) -> GeneratedDocument:
    """Take the next "BC" number, write the formats into the outgoing folder, record them."""
    progress, cancelled = progress or files.no_progress, cancelled or files.never
    p = Period.parse(period)
    fmts = files.check_formats(formats)
    a = get_agency(db)
    _check_agency(a)
    total = len(fmts) + 1
    progress(0, total, "Đang tổng hợp số liệu…")
    d = gather(db, p, doc_date, plan_id)
    text = _drafts_text(db, p.name, doc_date, d, drafts)
    if cancelled():
        raise Cancelled("Đã hủy tạo báo cáo.")
    title = subject or default_subject(d)
    to, _others = addressees(a)
    written: list[Path] = []
    try:
        with db.session() as s:
            row = outgoing.reserve(s, doc_date=doc_date, doc_type=DOC_TYPE, agency_abbr=a.abbreviation,
                                   drafting_unit=a.drafting_unit, kind="report", period=p.name, title=title,
                                   recipients="; ".join(to),
                                   params={"formats": fmts, "subject": title, "plan_id": plan_id})
            doc = compose(d, text, row.symbol, doc_date, title)
            written = files.write_files(db, doc, xlsx_tables(d), heading(a), fmts, doc_date.year,
                                        files.stem_for(row.symbol, p.name), progress, cancelled, 1, total)
            files.record_files(s, db, row.id, written)
            result = GeneratedDocument(row.id, row.symbol, doc_date, title, tuple(written))
    except BaseException:
        files.remove(written)
        raise
    return result


def regenerate_report(db: Database, doc_id: int, version: int, progress: files.Progress | None = None,
                      cancelled: files.IsCancelled | None = None,
                      formats: Sequence[str] | None = None) -> GeneratedDocument:
    """Rewrite a report's files under the same number and date, from today's data and drafts."""
    from models import OutgoingDocument
    from services.locking import check_version

    progress, cancelled = progress or files.no_progress, cancelled or files.never
    row = outgoing.get_document(db, doc_id)
    if row.kind != "report":
        raise ValidationError("Văn bản này không phải báo cáo tổng hợp.")
    fmts = files.check_formats(formats or row.params.get("formats") or ["docx", "pdf"])
    total = len(fmts) + 1
    progress(0, total, "Đang tổng hợp số liệu…")
    d = gather(db, row.period, row.doc_date, row.params.get("plan_id"))
    text = _drafts_text(db, row.period, row.doc_date, d, None)
    doc = compose(d, text, row.symbol, row.doc_date, row.title)
    with db.session() as s:
        obj = s.get(OutgoingDocument, doc_id)
        check_version(obj, version, "văn bản đi")
        written = files.write_files(db, doc, xlsx_tables(d), heading(d.agency), fmts, row.doc_date.year,
                                    files.stem_for(row.symbol, row.period), progress, cancelled, 1, total)
        files.record_files(s, db, doc_id, written, action="regenerate")
    return GeneratedDocument(doc_id, row.symbol, row.doc_date, row.title, tuple(written))
