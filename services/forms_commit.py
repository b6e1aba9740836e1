"""Importing returned report forms, step two: commit previews, one transaction per file.

`commit_file` writes what a `FilePreview` (services/forms_import.py) announced: the
incoming report (registered, or the earlier one updated), the .xlsx kept as its
attachment, task progress and activity values with their source — all audited, and
refused as a whole if anything changed in the database since the preview.
`import_files` runs a whole batch (files and folders): analyse all, keep the newest
file per unit and period, then commit each file on its own.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from models import Assignment, IncomingReport
from models.db import Database
from services import audit
from services.errors import Cancelled, ConcurrentEdit, Problem, ServiceError, ValidationError
from services.filestore import sha256_of
from services.forms_import import OK, REFUSED, FilePreview, ManualMatch, analyze_file
from services.forms_match import load_lookups
from services.incoming import NewIncoming, attach_files, register_in
from services.indicators import ValueEntry, set_values_in
from services.locking import check_version
from services.periods import Period

Progress = Callable[[int, int, str], None]
IMPORTED, SKIPPED, FAILED = "imported", "skipped", "failed"


@dataclass(frozen=True)
class ImportOutcome:
    name: str
    status: str  # IMPORTED | SKIPPED (unchanged, refused, dry run) | FAILED (refused at commit)
    incoming_id: int | None = None
    new_report: bool = False
    tasks: int = 0
    values: int = 0
    message: str = ""


@dataclass(frozen=True)
class BatchResult:
    previews: tuple[FilePreview, ...]
    outcomes: tuple[ImportOutcome, ...]  # empty for a dry run
    cancelled: bool = False

    @property
    def refused(self) -> list[FilePreview]:
        return [p for p in self.previews if p.status not in (OK, "unchanged")]


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders as every .xlsx inside (sub-folders too), without Excel's
    "~$" lock files; sorted and without duplicates."""
    out: dict[str, Path] = {}
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() == ".xlsx" and not f.name.startswith("~$"):
                    out[str(f.resolve())] = f
        else:
            out[str(p.resolve())] = p
    return [out[k] for k in sorted(out)]


def commit_file(db: Database, preview: FilePreview, received: date | None = None,
                user: str | None = None) -> ImportOutcome:
    """Write one analysed file, all or nothing. Raises ServiceError (nothing written) when
    the file or the database changed since the preview."""
    if preview.status != OK:
        return ImportOutcome(preview.name, SKIPPED, preview.existing_report_id, message=preview.status_label)
    path = Path(preview.path)
    if not path.is_file() or sha256_of(path) != preview.sha256:
        raise ValidationError(f"{preview.name}: tệp đã thay đổi hoặc bị xóa sau khi kiểm tra; hãy kiểm tra lại.")
    assert preview.unit_id is not None
    user = user or audit.current_user()
    with db.session() as s:
        if preview.existing_report_id is not None:
            rep = s.get(IncomingReport, preview.existing_report_id)
            if rep is None:
                raise ConcurrentEdit(f"{preview.name}: báo cáo đến số {preview.existing_report_id} đã bị xóa sau "
                                     "khi kiểm tra; hãy kiểm tra lại.")
            check_version(rep, preview.existing_version, f"báo cáo đến số {rep.id}")
            values = {"form_id": preview.form_id or rep.form_id,
                      "form_checksum": preview.form_checksum or rep.form_checksum}
            for key in ("doc_number", "doc_date", "summary"):
                if getattr(preview, key):
                    values[key] = getattr(preview, key)
            if received is not None:
                values["received_date"] = received
            doc_date, rec = values.get("doc_date", rep.doc_date), values.get("received_date", rep.received_date)
            if doc_date and doc_date > rec:
                raise ValidationError(f"{preview.name}: ngày văn bản sau ngày nhận.")
            audit.apply_changes(s, rep, values, user=user)
            attach_files(s, db, rep.id, [str(path)])
            report_id, new = rep.id, False
        else:
            period = Period.parse(preview.period)
            reg = register_in(s, db, NewIncoming(
                unit_id=preview.unit_id, period=preview.period, report_type_id=preview.report_type_id,
                doc_number=preview.doc_number, doc_date=preview.doc_date,
                received_date=received or preview.received_date, channel="form",
                summary=preview.summary or f"Báo cáo {period.label()} qua biểu mẫu Excel.",
                files=[str(path)], form_id=preview.form_id, form_checksum=preview.form_checksum), user)
            report_id, new = reg.id, True
        _write_rows(s, preview, report_id, user)
    return ImportOutcome(preview.name, IMPORTED, report_id, new, len(preview.task_writes),
                         len(preview.value_writes))


TASK_FIELDS = ("progress", "completion_date", "result_text", "difficulties", "source")


def _write_rows(s: Session, preview: FilePreview, report_id: int, user: str) -> None:
    """Task progress and activity values, each change audited. Assignments are read in one
    query and updated in one executemany that checks and bumps each row's version: hundreds
    of forms with dozens of tasks each must import in seconds, not minutes."""
    source = f"report:{report_id}"
    a = Assignment.__table__
    ids = [tw.assignment_id for tw in preview.task_writes]
    current = {r.id: r for r in s.execute(select(a.c.id, a.c.version, *(a.c[k] for k in TASK_FIELDS))
                                          .where(a.c.id.in_(ids)))} if ids else {}
    params = []
    for tw in preview.task_writes:
        row = current.get(tw.assignment_id)
        if row is None:
            raise ConcurrentEdit(f"{preview.name}: nhiệm vụ {tw.code} đã bị xóa sau khi kiểm tra.")
        check_version(row, tw.version, f"tiến độ nhiệm vụ {tw.code} của đơn vị {preview.unit_code}")
        new = {k: getattr(row, k) for k in TASK_FIELDS} | dict(tw.values) | {"source": source}
        changed = {k: (getattr(row, k), v) for k, v in new.items() if getattr(row, k) != v}
        if changed:
            audit.record(s, "assignment", row.id, "update", changed, user)
            # The version the preview showed: a write at any moment since then matches no row.
            params.append({"b_id": row.id, "b_version": tw.version} | {f"v_{k}": new[k] for k in TASK_FIELDS})
    if params:
        stmt = (update(a).where(a.c.id == bindparam("b_id"), a.c.version == bindparam("b_version"))
                .values({a.c[k]: bindparam(f"v_{k}") for k in TASK_FIELDS} | {a.c.version: a.c.version + 1}))
        if s.execute(stmt, params).rowcount != len(params):  # someone wrote in between
            raise ConcurrentEdit(f"{preview.name}: nhiệm vụ của đơn vị vừa được sửa ở nơi khác; hãy kiểm tra "
                                 "lại rồi nhập.")
    # Indicator values go through the indicator service (validation, audit old → new); the
    # value the preview showed must still be there, else ConcurrentEdit and nothing is written.
    month = Period.parse(preview.period).month_key
    entries = [ValueEntry(vw.indicator_id, preview.unit_id, month, vw.new, check=True, old=vw.old)
               for vw in preview.value_writes]
    if entries:
        try:
            set_values_in(s, entries, source, report_id, user)
        except ConcurrentEdit as e:
            raise ConcurrentEdit(f"{preview.name}: {e}") from e


def newest_per_unit(previews: list[FilePreview]) -> list[FilePreview]:
    """Two files of the same unit and period in one batch: the one saved last wins, the
    other is refused with a message (the same file twice counts once)."""
    best: dict[tuple[int, str], FilePreview] = {}
    for p in previews:
        if p.status != OK:
            continue
        key = (p.unit_id or 0, p.period)
        cur = best.get(key)
        if cur is None or (p.modified or p.name, p.name) > (cur.modified or cur.name, cur.name):
            best[key] = p
    out = []
    for p in previews:
        winner = best.get((p.unit_id or 0, p.period))
        if p.status == OK and winner is not None and winner is not p:
            why = "cùng một tệp" if winner.sha256 == p.sha256 else "tệp lưu sau"
            msg = f"trong lần nhập này đã có {why} của cùng đơn vị và kỳ ({winner.name}); tệp này không được nhập."
            p = replace(p, status=REFUSED, problems=(*p.problems, Problem(msg, file=p.name)))
        out.append(p)
    return out


def analyze_files(db: Database, paths: Iterable[str | Path], *, expect_period: str | None = None,
                  expect_unit: str | None = None, manual: dict[str, ManualMatch] | None = None,
                  progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                  today: date | None = None) -> list[FilePreview]:
    files = expand_paths(paths)
    lookups = load_lookups(db)
    out = []
    for i, f in enumerate(files):
        if cancelled and cancelled():
            raise Cancelled(f"Đã hủy kiểm tra sau {i}/{len(files)} tệp; chưa ghi gì.")
        if progress:
            progress(i, len(files), f"Kiểm tra {f.name} ({i + 1}/{len(files)})")
        out.append(analyze_file(db, f, expect_period=expect_period, expect_unit=expect_unit,
                                manual=(manual or {}).get(str(f)), today=today, lookups=lookups))
    if progress:
        progress(len(files), len(files), "Đã kiểm tra xong")
    return newest_per_unit(out)


def commit_all(db: Database, previews: Iterable[FilePreview], received: dict[str, date] | None = None,
               progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
               user: str | None = None) -> tuple[list[ImportOutcome], bool]:
    """Commit every OK preview, each file its own transaction; a file refused at this point
    (changed meanwhile) is reported and the others go on. Returns (outcomes, cancelled)."""
    todo = [p for p in previews if p.status == OK]
    out: list[ImportOutcome] = []
    for i, p in enumerate(todo):
        if cancelled and cancelled():
            return out, True  # files already written stay written: each is complete on its own
        if progress:
            progress(i, len(todo), f"Nhập {p.name} ({i + 1}/{len(todo)})")
        try:
            out.append(commit_file(db, p, (received or {}).get(p.path), user))
        except ServiceError as e:
            out.append(ImportOutcome(p.name, FAILED, message=str(e)))
    if progress:
        progress(len(todo), len(todo), "Xong")
    return out, False


def import_files(db: Database, paths: Iterable[str | Path], *, dry_run: bool = False,
                 received: date | None = None, expect_period: str | None = None, expect_unit: str | None = None,
                 manual: dict[str, ManualMatch] | None = None, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None, today: date | None = None) -> BatchResult:
    """Analyse then (unless dry_run) commit a batch; `received` overrides the received date
    of every new report (default: today)."""
    previews = analyze_files(db, paths, expect_period=expect_period, expect_unit=expect_unit, manual=manual,
                             progress=progress, cancelled=cancelled, today=today)
    if dry_run:
        return BatchResult(tuple(previews), ())
    # An earlier report keeps its received date: on-time is judged by the first receipt.
    dates = {p.path: received for p in previews if received is not None and p.existing_report_id is None}
    outcomes, stopped = commit_all(db, previews, dates, progress, cancelled)
    return BatchResult(tuple(previews), tuple(outcomes), stopped)
