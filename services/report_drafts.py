"""Sections II–IV of a consolidated report: prefilled drafts and the officer's saved text.

``default_drafts`` words the figures of ``services.report_data`` into first drafts (units
that sent no report or sent it late, overdue tasks, falling activity figures, tasks due
next period); ``load_drafts`` returns the saved text where there is one; ``save_draft``
writes one section with the version check and an audit entry. One line of text is one
paragraph of the document.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from models import ReportDraft
from models.db import Database
from services import audit
from services import task_status as ts
from services import timeliness as tl
from services.errors import ValidationError
from services.locking import check_version
from services.periods import Period
from services.report_data import ReportData, expand_abbreviations, gather
from services.text import nfc

SECTIONS = ("II", "III", "IV")
SECTION_TITLES = {
    "II": "II. TỒN TẠI, HẠN CHẾ, NGUYÊN NHÂN",
    "III": "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
    "IV": "IV. ĐỀ XUẤT, KIẾN NGHỊ",
}
MAX_NAMED = 12  # beyond this many units, a draft says how many and points to the annex


@dataclass(frozen=True)
class Draft:
    period: str
    section: str
    text: str
    version: int   # 0 = never saved (the text is the prefilled default)

    @property
    def saved(self) -> bool:
        return self.version > 0


def _names(names: list[str]) -> str:
    if len(names) > MAX_NAMED:
        return f"{len(names)} cơ quan, đơn vị (chi tiết tại Phụ lục 01)"
    return ", ".join(names)


def _unique(seq: list[str]) -> list[str]:
    return list(dict.fromkeys(seq))


def _section_ii(d: ReportData) -> list[str]:
    out: list[str] = []
    missing = _unique([r.unit_name for r in d.rows_with(tl.MISSING)])
    late = _unique([r.unit_name for r in d.rows_with(tl.LATE)])
    if missing:
        out.append(f"- Một số cơ quan, đơn vị chưa gửi báo cáo {d.period_label} theo quy định: "
                   f"{_names(missing)}.")
    if late:
        out.append(f"- Một số cơ quan, đơn vị gửi báo cáo chậm so với thời hạn quy định: {_names(late)}.")
    overdue = [r for r in d.task_rows if r.status in ts.OPEN_OVERDUE]
    if overdue:
        units = _unique([r.unit_name for r in overdue])
        out.append(f"- Còn {len(overdue)} lượt nhiệm vụ quá hạn chưa hoàn thành "
                   f"({_names(units)}).")
    fell = [a for a in d.activity if a.value is not None and a.previous is not None and a.value < a.previous]
    if fell:
        items = ", ".join(a.name[:1].lower() + a.name[1:] for a in fell)
        out.append(f"- Một số kết quả hoạt động giảm so với {d.previous_label}: {items}.")
    out.append("- Nguyên nhân: một số cơ quan, đơn vị chưa quan tâm đúng mức đến chế độ thông tin, "
               "báo cáo; việc theo dõi, cập nhật tiến độ thực hiện nhiệm vụ chưa thường xuyên.")
    return out


def _section_iii(d: ReportData) -> list[str]:
    nxt = Period.parse(d.period).next()
    out = [f"- Tiếp tục triển khai các nhiệm vụ được giao; tập trung thực hiện {d.next_label}:"]
    due_next = [r for r in d.task_rows if r.due is not None and r.status not in (ts.XONG_DUNG_HAN, ts.XONG_QUA_HAN)
                and r.due <= nxt.last_day()]
    tasks = {r.task_code: r.task_text for r in due_next}
    for code, text in list(tasks.items())[:10]:
        short = text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + "…"
        out.append(f"+ {code}: {short.rstrip('.')}.")
    out.append("- Đôn đốc các cơ quan, đơn vị gửi báo cáo đúng thời hạn; tổng hợp, báo cáo kết quả "
               f"thực hiện {d.next_label}.")
    overdue = [r for r in d.task_rows if r.status in ts.OPEN_OVERDUE]
    if overdue:
        out.append("- Đôn đốc các cơ quan, đơn vị khẩn trương hoàn thành các nhiệm vụ đã quá hạn.")
    return out


def _section_iv(d: ReportData) -> list[str]:
    head = [expand_abbreviations(x.strip().rstrip(";.,")) for x in d.agency.report_recipients.splitlines()]
    whom = head[0].split("(")[0].strip() if head and head[0] else "cấp có thẩm quyền"
    out = []
    missing = d.rows_with(tl.MISSING, tl.LATE)
    if missing:
        out.append(f"Đề nghị {whom} chỉ đạo các cơ quan, đơn vị nghiêm túc thực hiện chế độ báo cáo "
                   "định kỳ, bảo đảm đúng thời hạn và chất lượng.")
    else:
        out.append(f"Đề nghị {whom} tiếp tục quan tâm chỉ đạo các cơ quan, đơn vị triển khai thực hiện "
                   "hiệu quả các nhiệm vụ được giao.")
    return out


def default_drafts(db: Database, period: str, as_of: date, data: ReportData | None = None) -> dict[str, str]:
    """Prefilled text of sections II, III, IV for a period (figures as of `as_of`)."""
    d = data or gather(db, period, as_of)
    return {"II": "\n".join(_section_ii(d)), "III": "\n".join(_section_iii(d)),
            "IV": "\n".join(_section_iv(d))}


def saved_drafts(db: Database, period: str) -> dict[str, Draft]:
    name = Period.parse(period).name
    with db.session() as s:
        rows = s.scalars(select(ReportDraft).where(ReportDraft.period == name)).all()
        return {r.section: Draft(name, r.section, r.text, r.version) for r in rows}


def load_drafts(db: Database, period: str, as_of: date, data: ReportData | None = None) -> dict[str, Draft]:
    """Each section's saved text, or its prefilled default (version 0) when never saved."""
    name = Period.parse(period).name
    saved = saved_drafts(db, name)
    defaults = default_drafts(db, name, as_of, data) if len(saved) < len(SECTIONS) else {}
    return {sec: saved.get(sec) or Draft(name, sec, defaults[sec], 0) for sec in SECTIONS}


def save_draft(db: Database, period: str, section: str, text: str, version: int) -> Draft:
    """Save one section. `version` is the one the editor was filled from (0 = was a default);
    a draft saved meanwhile by someone else raises ConcurrentEdit and nothing is written."""
    if section not in SECTIONS:
        raise ValidationError(f"Mục không hợp lệ: '{section}' (chỉ có II, III, IV).")
    name = Period.parse(period).name
    text = "\n".join(nfc(line) for line in (text or "").splitlines()).strip()
    with db.session() as s:
        row = s.scalars(select(ReportDraft).where(ReportDraft.period == name,
                                                  ReportDraft.section == section)).first()
        if row is None:
            if version:
                check_version(_Gone(), version, f"mục {section} của báo cáo")
            row = ReportDraft(period=name, section=section, text=text)
            s.add(row)
            audit.record_insert(s, row, ["period", "section", "text"])
        else:
            check_version(row, version, f"mục {section} của báo cáo")
            audit.apply_changes(s, row, {"text": text})
        s.flush()
        return Draft(name, section, row.text, row.version)


class _Gone:
    """A draft the editor read was deleted meanwhile: any expected version is stale."""
    version = 0
