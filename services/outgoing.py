"""Outgoing document register (Văn bản đi): numbers per year and document type, restarting
at 01 each 1 January ("Số: 05/BC-SKHCN", công văn "Số: 12/SKHCN-VP")."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import OutgoingDocument
from models.db import Database
from services import audit
from services.errors import NotFound

TYPE_NAMES = {"BC": "Báo cáo", "CV": "Công văn", "KH": "Kế hoạch", "TB": "Thông báo"}


@dataclass(frozen=True)
class OutgoingRow:
    id: int
    year: int
    doc_type: str
    number: int
    symbol: str
    doc_date: date
    kind: str
    period: str
    title: str
    recipients: str
    files: tuple[str, ...]
    params: dict
    version: int


def _row(d: OutgoingDocument) -> OutgoingRow:
    return OutgoingRow(d.id, d.year, d.doc_type, d.number, d.symbol, d.doc_date, d.kind, d.period, d.title,
                       d.recipients, tuple(json.loads(d.files or "[]")), json.loads(d.params or "{}"), d.version)


def format_symbol(number: int, doc_type: str, agency_abbr: str, drafting_unit: str = "") -> str:
    """Báo cáo: "05/BC-SKHCN"; công văn (no type name): "12/SKHCN-VP"."""
    if doc_type == "CV":
        return f"{number:02d}/{agency_abbr}" + (f"-{drafting_unit}" if drafting_unit else "")
    return f"{number:02d}/{doc_type}-{agency_abbr}"


def next_number(s: Session, year: int, doc_type: str) -> int:
    last = s.scalar(select(func.max(OutgoingDocument.number)).where(
        OutgoingDocument.year == year, OutgoingDocument.doc_type == doc_type))
    return (last or 0) + 1


def peek_symbol(db: Database, doc_date: date, doc_type: str) -> str:
    """The symbol the next document would get (shown in dialogs before generating)."""
    from services.settings import get_agency

    a = get_agency(db)
    with db.session() as s:
        return format_symbol(next_number(s, doc_date.year, doc_type), doc_type, a.abbreviation, a.drafting_unit)


def reserve(s: Session, *, doc_date: date, doc_type: str, agency_abbr: str, drafting_unit: str, kind: str,
            period: str, title: str, recipients: str, params: dict | None = None) -> OutgoingDocument:
    """Take the next number inside the caller's transaction (a unique constraint guards races)."""
    number = next_number(s, doc_date.year, doc_type)
    d = OutgoingDocument(year=doc_date.year, doc_type=doc_type, number=number,
                         symbol=format_symbol(number, doc_type, agency_abbr, drafting_unit), doc_date=doc_date,
                         kind=kind, period=period, title=title, recipients=recipients,
                         params=json.dumps(params or {}, ensure_ascii=False, default=str), files="[]")
    s.add(d)
    s.flush()
    audit.record_insert(s, d, ["symbol", "doc_date", "title", "period"])
    return d


def set_files(s: Session, doc_id: int, files: list[str]) -> None:
    d = s.get(OutgoingDocument, doc_id)
    if d is None:
        raise NotFound("Không tìm thấy văn bản đi.")
    d.files = json.dumps(files, ensure_ascii=False)


SORTS = {  # table column key → ORDER BY (sorting happens in SQL)
    "symbol": (OutgoingDocument.year, OutgoingDocument.doc_type, OutgoingDocument.number),
    "doc_date": (OutgoingDocument.doc_date, OutgoingDocument.id),
    "kind": (OutgoingDocument.kind, OutgoingDocument.doc_date),
    "period": (OutgoingDocument.period, OutgoingDocument.doc_date),
    "title": (OutgoingDocument.title,),
    "recipients": (OutgoingDocument.recipients,),
}


def list_documents(db: Database, year: int | None = None, search: str = "", sort: str = "",
                   descending: bool = False, kind: str | None = None) -> list[OutgoingRow]:
    from services.text import fold

    with db.session() as s:
        cols = SORTS.get(sort)
        order = [c.desc() if descending else c for c in cols] if cols else \
            [OutgoingDocument.doc_date.desc(), OutgoingDocument.id.desc()]
        q = select(OutgoingDocument).order_by(*order, OutgoingDocument.id.desc())
        if kind:
            q = q.where(OutgoingDocument.kind == kind)
        if year:
            q = q.where(OutgoingDocument.year == year)
        rows = [_row(d) for d in s.scalars(q)]
    if search:
        key = fold(search)
        rows = [r for r in rows if key in fold(f"{r.symbol} {r.title} {r.recipients}")]
    return rows


def get_document(db: Database, doc_id: int) -> OutgoingRow:
    with db.session() as s:
        d = s.get(OutgoingDocument, doc_id)
        if d is None:
            raise NotFound("Không tìm thấy văn bản đi.")
        return _row(d)


def file_path(db: Database, relative: str) -> Path:
    return db.data_dir / relative


def output_dir(db: Database, year: int) -> Path:
    p = db.data_dir / "vanban_di" / str(year)
    p.mkdir(parents=True, exist_ok=True)
    return p
