"""Importing returned report forms, step one: analyse a file without writing anything.

`analyze_file` identifies the unit and period from the hidden sheet (or from a hand
match when the sheet is missing), checks integrity, validates every input cell and
compares the answers with the database: the result is a `FilePreview` listing every
change (current → new value) and every problem by sheet and cell. Committing a
preview (all or nothing per file) and whole batches live in services/forms_commit.py.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Assignment,
    Attachment,
    IncomingReport,
    IndicatorValue,
)
from models.db import Database
from models.plan import DONE
from services.errors import Problem, ValidationError
from services.filestore import sha256_of, stored_path
from services.forms_common import (
    ACT_VALUE_COL,
    ACTIVITY,
    INFO,
    INFO_INPUTS,
    META,
    PROGRESS_LABELS,
    TASK_CODE_COL,
    TASK_INPUTS,
    TASKS,
    TEXT,
    TEXT_INPUTS,
)
from services.forms_match import Lookups, UnitRef, load_lookups, manual_rows
from services.forms_validate import Answers, as_plain, check_integrity, read_answers, read_hidden
from services.incoming import find_expected
from services.periods import Period, format_date_vn
from services.xlsx_safety import UnsafeFile, XBook, read_xlsx

OK, UNCHANGED, REFUSED, NEEDS_MATCH = "ok", "unchanged", "refused", "needs_match"
STATUS_LABELS = {OK: "Sẵn sàng nhập", UNCHANGED: "Không có thay đổi", REFUSED: "Bị từ chối",
                 NEEDS_MATCH: "Cần ghép thủ công"}


@dataclass(frozen=True)
class ManualMatch:
    """The user's choice of unit and period for a file whose hidden sheet is missing."""

    unit_id: int
    period: str


@dataclass(frozen=True)
class Change:
    sheet: str
    cell: str
    subject: str  # "IV.1.a — Tiến độ", "Tin, bài tuyên truyền"
    old: str
    new: str


@dataclass(frozen=True)
class TaskWrite:
    assignment_id: int
    version: int
    code: str
    values: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class ValueWrite:
    indicator_id: int
    value_id: int | None  # None: a new row
    old: float | None
    new: float


@dataclass(frozen=True)
class FilePreview:
    path: str
    name: str
    sha256: str
    status: str
    problems: tuple[Problem, ...] = ()
    changes: tuple[Change, ...] = ()
    unit_id: int | None = None
    unit_code: str = ""
    unit_name: str = ""
    period: str = ""
    period_label: str = ""
    report_type_id: int | None = None
    form_id: str = ""
    form_checksum: str = ""
    existing_report_id: int | None = None
    existing_version: int | None = None
    received_date: date | None = None  # default shown in the preview (editable)
    modified: datetime | None = None
    doc_number: str = ""
    doc_date: date | None = None
    summary: str = ""
    task_writes: tuple[TaskWrite, ...] = ()
    value_writes: tuple[ValueWrite, ...] = ()
    manual: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def analyze_file(db: Database, path: str | Path, *, expect_period: str | None = None,
                 expect_unit: str | None = None, manual: ManualMatch | None = None,
                 today: date | None = None, lookups: Lookups | None = None) -> FilePreview:
    """Everything the import of one file would do, without writing. Never raises for a
    bad file: the problems are in the preview (status REFUSED / NEEDS_MATCH)."""
    path = Path(path)
    today = today or date.today()
    base = {"path": str(path), "name": path.name}
    try:
        sha = sha256_of(path)
        book = read_xlsx(path)
    except UnsafeFile as e:
        return FilePreview(**base, sha256="", status=REFUSED, problems=tuple(e.problems))
    except OSError as e:
        return FilePreview(**base, sha256="", status=REFUSED,
                           problems=(Problem(f"không đọc được tệp ({e}).", file=path.name),))
    base["sha256"] = sha
    try:
        hidden = read_hidden(book, path.name)
    except ValidationError as e:
        return FilePreview(**base, status=REFUSED, problems=tuple(e.problems), modified=book.modified)
    lk = lookups or load_lookups(db)
    with db.session() as s:
        if hidden is None and manual is None:
            msg = ("không có trang ẩn thông tin biểu mẫu (tệp đã được chép sang bảng tính khác?): không "
                   "xác định được đơn vị và kỳ báo cáo. Hãy ghép thủ công với đơn vị và kỳ.")
            return FilePreview(**base, status=NEEDS_MATCH, problems=(Problem(msg, file=path.name),),
                               modified=book.modified)
        problems: list[Problem] = []
        if hidden is not None:
            problems += check_integrity(book, path.name, lk.secret, hidden)
            unit = lk.units.get(hidden.meta.unit_code)
            period_name, rows, form_id = hidden.meta.period, hidden.rows, hidden.meta.form_id
            digest = hidden.checksum
            rt = lk.report_types.get(hidden.meta.report_type)
            if unit is None:
                problems.append(Problem(f"đơn vị mã '{hidden.meta.unit_code}' của biểu mẫu không có trong cơ sở "
                                        "dữ liệu.", file=path.name, sheet=META))
        else:
            assert manual is not None
            unit = lk.units_by_id.get(manual.unit_id)
            if unit is None:
                problems.append(Problem("đơn vị chọn khi ghép thủ công không còn trong cơ sở dữ liệu.",
                                        file=path.name))
            period_name, form_id, digest, rt = manual.period, "", "", None
            rows = manual_rows(s, book, path.name, unit.id if unit else 0, lk.activity_names, problems)
            problems.append(Problem("ghép thủ công: không kiểm tra được các ô đã khóa của tệp này; hãy xem kỹ "
                                    "bảng thay đổi trước khi nhập.", file=path.name, severity="warning"))
        try:
            period = Period.parse(period_name)
        except ValidationError as e:
            return FilePreview(**base, status=REFUSED, problems=(*problems, Problem(str(e), file=path.name)))
        if rt is None:
            rt = lk.by_kind.get(period.kind)
        _expectations(problems, path.name, unit, period, expect_period, expect_unit)
        if unit is None:
            return FilePreview(**base, status=REFUSED, problems=tuple(problems), period=period.name,
                               period_label=period.label(), form_id=form_id)
        answers = read_answers(book, path.name, rows, today)
        problems += answers.problems
        return _compare(s, db, base, book, unit, period, rt, form_id, digest, answers, problems, today,
                        manual is not None, lk.activity_names)


def _expectations(problems: list[Problem], file: str, unit: UnitRef | None, period: Period,
                  expect_period: str | None, expect_unit: str | None) -> None:
    """A form of another period or unit than the one being imported is refused."""
    if expect_period and Period.parse(expect_period).name != period.name:
        want = Period.parse(expect_period)
        problems.append(Problem(f"biểu mẫu của kỳ {period.label()} ({period.name}), không phải kỳ {want.label()} "
                                f"({want.name}) đang nhập.", file=file, sheet=INFO, cell="C6"))
    if expect_unit and unit is not None and unit.code.upper() != expect_unit.strip().upper():
        problems.append(Problem(f"biểu mẫu của đơn vị {unit.code} ({unit.name}), không phải đơn vị "
                                f"{expect_unit} đang nhập.", file=file, sheet=INFO, cell="C5"))


def _existing_report(s: Session, unit_id: int, period: str) -> IncomingReport | None:
    """The report this form answers again: the latest form import, else the first one registered."""
    reps = s.scalars(select(IncomingReport).where(IncomingReport.unit_id == unit_id,
                                                  IncomingReport.period == period)
                     .order_by(IncomingReport.received_date, IncomingReport.id)).all()
    forms = [r for r in reps if r.channel == "form"]
    return forms[-1] if forms else (reps[0] if reps else None)


def _compare(s: Session, db: Database, base: dict, book: XBook, unit: UnitRef, period: Period, rt: int | None,
             form_id: str, digest: str, ans: Answers, problems: list[Problem], today: date,
             manual: bool, names: dict[int, str]) -> FilePreview:
    file = base["name"]
    changes: list[Change] = []
    tasks = _task_writes(s, file, unit, ans, changes, problems)
    values = _value_writes(s, unit, period, ans, names, changes)
    existing = _existing_report(s, unit.id, period.name)
    summary = compose_summary(ans)
    received = existing.received_date if existing else today
    if existing is not None and ans.doc_date and ans.doc_date > received:
        # The earlier receipt keeps its date (timeliness), so this later document's reference
        # cannot replace the registered one.
        problems.append(Problem(f"ngày văn bản {format_date_vn(ans.doc_date)} sau ngày nhận báo cáo đã ghi "
                                f"({format_date_vn(received)}, báo cáo đến số {existing.id}): giữ số và ngày văn "
                                "bản đã ghi, vẫn cập nhật số liệu.", file=file, sheet=INFO,
                                cell=INFO_INPUTS["doc_date"], severity="warning"))
        ans = replace(ans, doc_number="", doc_date=None)
    if existing is None:
        changes.insert(0, Change("", "", "Báo cáo đến", "", f"ghi mới (biểu mẫu Excel) — {unit.code}, {period.label()}"))
        if rt is not None and find_expected(s, unit.id, period.name, rt) is None:
            problems.append(Problem(f"đơn vị {unit.code} không phải nộp báo cáo {period.label()} theo chế độ báo "
                                    "cáo; báo cáo vẫn được ghi nhận.", file=file, severity="warning"))
    else:
        _report_changes(existing, ans, summary, changes)
        _same_file_or_older(s, db, existing, base["sha256"], book.modified, file, problems)
    errors = any(p.severity == "error" for p in problems)
    already = any(p.extra.get("same_file") for p in problems)
    status = REFUSED if errors else UNCHANGED if (already or (existing is not None and not changes)) else OK
    return FilePreview(
        **base, status=status, problems=tuple(problems), changes=tuple(changes), unit_id=unit.id,
        unit_code=unit.code, unit_name=unit.name, period=period.name, period_label=period.label(),
        report_type_id=rt, form_id=form_id, form_checksum=digest,
        existing_report_id=existing.id if existing else None,
        existing_version=existing.version if existing else None, received_date=received,
        modified=book.modified, doc_number=ans.doc_number, doc_date=ans.doc_date, summary=summary,
        task_writes=tuple(tasks), value_writes=tuple(values), manual=manual)


def _task_writes(s: Session, file: str, unit: UnitRef, ans: Answers, changes: list[Change],
                 problems: list[Problem]) -> list[TaskWrite]:
    out = []
    found = {a.id: a for a in s.scalars(select(Assignment).where(
        Assignment.id.in_([t.assignment_id for t in ans.tasks])))}
    for t in ans.tasks:
        a = found.get(t.assignment_id)
        if a is None or a.unit_id != unit.id:
            problems.append(Problem(f"Nhiệm vụ {t.code}: không còn được giao cho đơn vị {unit.code} (đã bị xóa "
                                    "hoặc chuyển) — không nhập được dòng này.", file=file, sheet=TASKS,
                                    cell=f"{TASK_CODE_COL}{t.row}"))
            continue
        values: dict[str, Any] = {}
        progress = t.progress or a.progress
        if t.progress and t.progress != a.progress:
            values["progress"] = t.progress
        if progress != DONE and a.completion_date is not None:
            values["completion_date"] = None  # no longer finished: the old date would mislead
        elif progress == DONE and t.completion_date and t.completion_date != a.completion_date:
            values["completion_date"] = t.completion_date
        for key in ("result_text", "difficulties"):
            new = getattr(t, key)
            if new is not None and new != (getattr(a, key) or ""):
                values[key] = new
        labels = {"progress": "Tiến độ", "completion_date": "Ngày hoàn thành", "result_text": "Kết quả",
                  "difficulties": "Khó khăn"}
        for key, new in values.items():
            old = getattr(a, key)
            if key == "progress":
                old, new = PROGRESS_LABELS.get(old, old), PROGRESS_LABELS[new]
            changes.append(Change(TASKS, f"{TASK_INPUTS[key]}{t.row}", f"{t.code} — {labels[key]}",
                                  as_plain(old), as_plain(new)))
        if values:
            out.append(TaskWrite(a.id, a.version, t.code, tuple(values.items())))
    return out


def _value_writes(s: Session, unit: UnitRef, period: Period, ans: Answers, names: dict[int, str],
                  changes: list[Change]) -> list[ValueWrite]:
    ids = [a.indicator_id for a in ans.activities]
    current = {v.indicator_id: v for v in s.scalars(select(IndicatorValue).where(
        IndicatorValue.unit_id == unit.id, IndicatorValue.period == period.month_key,
        IndicatorValue.indicator_id.in_(ids)))}
    out = []
    for a in ans.activities:
        if a.value is None or a.indicator_id not in names:
            continue
        row = current.get(a.indicator_id)
        if row is not None and row.value == a.value:
            continue
        out.append(ValueWrite(a.indicator_id, row.id if row else None, row.value if row else None, a.value))
        changes.append(Change(ACTIVITY, f"{ACT_VALUE_COL}{a.row}", names[a.indicator_id],
                              as_plain(row.value if row else None), as_plain(a.value)))
    return out


def _report_changes(rep: IncomingReport, ans: Answers, summary: str, changes: list[Change]) -> None:
    for subject, cell, old, new in (("Số văn bản", INFO_INPUTS["doc_number"], rep.doc_number, ans.doc_number),
                                    ("Ngày văn bản", INFO_INPUTS["doc_date"], rep.doc_date, ans.doc_date),
                                    ("Tóm tắt báo cáo", TEXT_INPUTS["summary"], rep.summary, summary)):
        if new and new != old:
            changes.append(Change(TEXT if subject.startswith("Tóm") else INFO, cell,
                                  f"Báo cáo đến — {subject}", as_plain(old), as_plain(new)))


def _same_file_or_older(s: Session, db: Database, rep: IncomingReport, sha: str, modified: datetime | None, file: str,
                        problems: list[Problem]) -> None:
    """The exact same file again changes nothing; an older save than the one imported is refused."""
    atts = s.scalars(select(Attachment).where(Attachment.incoming_report_id == rep.id)
                     .order_by(Attachment.id)).all()
    if any(a.sha256 == sha for a in atts):
        problems.append(Problem(f"tệp này đã được nhập trước đây (báo cáo đến số {rep.id}, nhận ngày "
                                f"{format_date_vn(rep.received_date)}): không thay đổi gì.", file=file,
                                severity="warning", extra={"same_file": True}))
        return
    if modified is None:
        return
    for a in reversed([a for a in atts if a.original_name.lower().endswith(".xlsx")]):
        prev = _saved_at(stored_path(db, a.sha256, a.original_name))
        if prev is not None and modified < prev:
            problems.append(Problem(f"tệp này được lưu lúc {modified:%H:%M %d/%m/%Y}, cũ hơn bản đã nhập (lưu lúc "
                                    f"{prev:%H:%M %d/%m/%Y}, báo cáo đến số {rep.id}): không ghi đè số liệu mới "
                                    "bằng số liệu cũ.", file=file))
        return


def _saved_at(path: Path) -> datetime | None:
    try:
        return read_xlsx(path).modified
    except (UnsafeFile, OSError):
        return None


def compose_summary(ans: Answers) -> str:
    """The report's summary from the free-text sheet (empty when the unit wrote nothing)."""
    parts = [ans.summary] if ans.summary else []
    if ans.difficulties:
        parts.append(f"Khó khăn, vướng mắc: {ans.difficulties}")
    if ans.proposals:
        parts.append(f"Đề xuất, kiến nghị: {ans.proposals}")
    who = ", ".join(x for x in (ans.preparer, f"điện thoại {ans.phone}" if ans.phone else "") if x)
    if who:
        parts.append(f"Người lập biểu: {who}")
    return "\n".join(parts)
