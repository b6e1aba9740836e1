"""Writing a generated official document to its files (DOCX, PDF, XLSX annex tables) in the
outgoing folder, with progress, cancel and clean-up, and recording them on the register row.

Shared by services.consolidated_report and services.reminder_letter so both name, write
and record their files the same way.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from models import OutgoingDocument
from models.db import Database
from services import audit, outgoing
from services import docmodel as dm
from services.errors import Cancelled, ValidationError

FORMATS = ("docx", "pdf", "xlsx")
FORMAT_LABELS = {"docx": "Word (DOCX)", "pdf": "PDF để in", "xlsx": "Excel phụ lục (XLSX)"}
Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True)
class GeneratedDocument:
    id: int
    symbol: str
    doc_date: object
    title: str
    files: tuple[Path, ...]

    def file(self, ext: str) -> Path | None:
        return next((f for f in self.files if f.suffix.lower() == f".{ext}"), None)


def check_formats(formats: Sequence[str], allowed: Sequence[str] = FORMATS) -> list[str]:
    wanted = [f.strip().lower().lstrip(".") for f in formats if f and f.strip()]
    bad = [f for f in wanted if f not in allowed]
    if bad or not wanted:
        raise ValidationError(f"Định dạng không hợp lệ: {', '.join(bad) or '(trống)'}. "
                              f"Chọn một hoặc nhiều trong: {', '.join(allowed)}.")
    return list(dict.fromkeys(wanted))


def stem_for(symbol: str, period: str) -> str:
    """"05/BC-SKHCN", "2026-11" → "05-BC-SKHCN_2026-11" (no path separators in file names)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in symbol)
    return f"{safe}_{period}" if period else safe


def blank_symbol(doc_type: str, agency) -> str:  # noqa: ANN001 - settings.AgencyInfo
    """"      /BC-SKHCN": a draft printed before the văn thư gives it a number."""
    full = outgoing.format_symbol(0, doc_type, agency.abbreviation, agency.drafting_unit)
    return "\u00a0" * 8 + full[full.index("/"):]  # no-break spaces: renderers keep them


def number_text(symbol: str) -> str:
    """What goes after "Số:" in the header: a blank number keeps its no-break spaces, which the
    document model would strip from the start of a bare symbol."""
    return f"Số:{symbol}" if symbol.startswith("\u00a0") else symbol


def no_progress(done: int, total: int, message: str = "") -> None:
    pass


def never() -> bool:
    return False


def render(doc: dm.OfficialDocument, tables: Sequence[dm.Table], heading: Sequence[str],
           fmt: str, path: Path) -> Path:
    """One format to one path (no register involved)."""
    if fmt == "docx":
        from services.render_docx import render_docx

        return render_docx(doc, path)
    if fmt == "pdf":
        from services.render_pdf import render_pdf

        return render_pdf(doc, path)
    if fmt == "xlsx":
        from services.xlsx_tables import write_tables

        return write_tables(path, list(tables), heading)
    raise ValidationError(f"Định dạng không hợp lệ: {fmt}")


def write_files(db: Database, doc: dm.OfficialDocument, tables: Sequence[dm.Table],
                heading: Sequence[str], formats: Sequence[str], year: int, stem: str,
                progress: Progress, cancelled: IsCancelled, step: int, total: int) -> list[Path]:
    """Render each format into the outgoing folder. Files are written under temporary names
    and renamed only when all are done, so a cancel or an error leaves nothing new behind
    and, when regenerating, the previous files untouched."""
    folder = outgoing.output_dir(db, year)
    parts: list[tuple[Path, Path]] = []
    try:
        for i, fmt in enumerate(formats):
            if cancelled():
                raise Cancelled("Đã hủy tạo văn bản.")
            progress(step + i, total, f"Đang tạo tệp {fmt.upper()}…")
            final = folder / f"{stem}.{fmt}"
            part = folder / f".{stem}.part.{fmt}"
            render(doc, tables, heading, fmt, part)
            parts.append((part, final))
        if cancelled():
            raise Cancelled("Đã hủy tạo văn bản.")
    except BaseException:
        remove([p for p, _f in parts])
        raise
    for part, final in parts:
        part.replace(final)
    progress(total, total, "Xong.")
    return [f for _p, f in parts]


def remove(paths: Sequence[Path]) -> None:
    for p in paths:
        try:
            p.unlink()
        except OSError:
            pass


def record_files(s: Session, db: Database, doc_id: int, paths: Sequence[Path],
                 action: str = "update") -> list[str]:
    """Store the files (relative to the data folder) on the register row, audited
    (a regeneration is audited even when the file names stay the same)."""
    row = s.get(OutgoingDocument, doc_id)
    old = row.files if row else "[]"
    rel = [p.relative_to(db.data_dir).as_posix() for p in paths]
    outgoing.set_files(s, doc_id, rel)
    new = json.dumps(rel, ensure_ascii=False)
    if old != new or action != "update":
        audit.record(s, "outgoing_document", doc_id, action, {"files": (old, new)})
    return rel


def pdf_of(db: Database, files: Sequence[str]) -> Path | None:
    """The PDF among a register row's files, if it still exists."""
    for f in files:
        p = outgoing.file_path(db, f)
        if p.suffix.lower() == ".pdf" and p.exists():
            return p
    return None
