"""Outgoing document register and the officer's drafts of report sections II–IV."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Versioned


class OutgoingDocument(Versioned, Base):
    """Văn bản đi: numbers restart at 1 each year, per document type."""

    __tablename__ = "outgoing_document"
    __table_args__ = (UniqueConstraint("year", "doc_type", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    doc_type: Mapped[str] = mapped_column(String(10))  # "BC" báo cáo, "CV" công văn
    number: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(80))  # "05/BC-SKHCN"
    doc_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20), default="report")  # report / reminder / other
    period: Mapped[str] = mapped_column(String(10), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    files: Mapped[str] = mapped_column(Text, default="")  # JSON list of paths relative to the data folder
    params: Mapped[str] = mapped_column(Text, default="")  # JSON, to regenerate
    created_at: Mapped[datetime] = mapped_column(DateTime, default=func.now())


class ReportDraft(Versioned, Base):
    """Sections II–IV of a consolidated report as the officer edited them."""

    __tablename__ = "report_draft"
    __table_args__ = (UniqueConstraint("period", "section"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10))
    section: Mapped[str] = mapped_column(String(10))  # "II", "III", "IV"
    text: Mapped[str] = mapped_column(Text, default="")
