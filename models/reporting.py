"""Reporting regime: report types, expected reports, incoming reports, attachments,
reminders and the holiday override table."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Versioned

# Period kinds (services/periods.py knows their arithmetic).
MONTH, QUARTER, HALF, NINE_MONTHS, YEAR, ONCE = "month", "quarter", "half", "9m", "year", "once"


class ReportType(Versioned, Base):
    __tablename__ = "report_type"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    period_kind: Mapped[str] = mapped_column(String(10), default=MONTH)
    # Only these periods of a year are owed, e.g. "H1" for a six-month report;
    # empty means every period of the kind.
    period_filter: Mapped[str] = mapped_column(String(40), default="")
    # Data cut-off window (NĐ 09/2019): from this day of the month before the
    # period up to the day before it in the period's last month. None = calendar period.
    cutoff_day: Mapped[int | None] = mapped_column(Integer, default=15)
    # Due rule, kept with its source wording ("trước ngày 18 hằng tháng").
    due_wording: Mapped[str] = mapped_column(String(200), default="")
    due_day: Mapped[int] = mapped_column(Integer, default=18)
    due_month_offset: Mapped[int] = mapped_column(Integer, default=0)  # months after the period's last month
    due_inclusive: Mapped[bool] = mapped_column(Boolean, default=False)  # "trước ngày D" → D-1
    once_due: Mapped[date | None] = mapped_column(Date)  # one-off reports
    owed_by_all: Mapped[bool] = mapped_column(Boolean, default=True)
    # This type stands in for another in its last month (six-month → June's monthly).
    stands_in_for_id: Mapped[int | None] = mapped_column(ForeignKey("report_type.id"))
    stand_in_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    start_period: Mapped[str] = mapped_column(String(10), default="")  # first month owed, "2025-03"
    end_period: Mapped[str] = mapped_column(String(10), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ReportTypeUnit(Base):
    """Units or group units owing a report type when owed_by_all is off."""

    __tablename__ = "report_type_unit"
    report_type_id: Mapped[int] = mapped_column(
        ForeignKey("report_type.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)


class ExpectedReport(Base):
    """unit × report type × period, generated from the regime (services/regime.py)."""

    __tablename__ = "expected_report"
    __table_args__ = (UniqueConstraint("unit_id", "report_type_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    report_type_id: Mapped[int] = mapped_column(ForeignKey("report_type.id"), index=True)
    period: Mapped[str] = mapped_column(String(10), index=True)  # "2026-05", "2026-H1", "2026"
    month_key: Mapped[str] = mapped_column(String(7), index=True)  # last month, "2026-06"
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    nominal_due: Mapped[date] = mapped_column(Date)  # last on-time day before holiday shift
    last_on_time_day: Mapped[date] = mapped_column(Date, index=True)
    excused: Mapped[bool] = mapped_column(Boolean, default=False)
    excuse_reason: Mapped[str] = mapped_column(Text, default="")
    # Kept (not deleted) when the regime no longer owes it but a report is linked.
    obsolete: Mapped[bool] = mapped_column(Boolean, default=False)


class IncomingReport(Versioned, Base):
    __tablename__ = "incoming_report"
    __table_args__ = (
        # Timeliness reads the first received date per expected report for every status
        # query: this index answers it without touching the table (migration 0003).
        Index("ix_incoming_report_expected_received", "expected_report_id", "received_date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    expected_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("expected_report.id"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    report_type_id: Mapped[int | None] = mapped_column(ForeignKey("report_type.id"))
    period: Mapped[str] = mapped_column(String(10), default="", index=True)
    doc_number: Mapped[str] = mapped_column(String(80), default="")  # unit's "12/BC-UBND"
    doc_date: Mapped[date | None] = mapped_column(Date)
    received_date: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(20), default="email")  # paper / email / eoffice / form
    summary: Mapped[str] = mapped_column(Text, default="")
    search_key: Mapped[str] = mapped_column(Text, default="")
    form_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    form_checksum: Mapped[str] = mapped_column(String(64), default="")
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=func.now())


class Attachment(Base):
    """A file kept in the managed folder beside the database, named by content hash."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer, default=0)
    incoming_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("incoming_report.id", ondelete="CASCADE"), index=True
    )
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("directive_document.id", ondelete="CASCADE"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(DateTime, default=func.now())


class ReminderLog(Base):
    __tablename__ = "reminder_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    report_type_id: Mapped[int | None] = mapped_column(ForeignKey("report_type.id"))
    sent_date: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20), default="email")
    note: Mapped[str] = mapped_column(Text, default="")
    outgoing_document_id: Mapped[int | None] = mapped_column(ForeignKey("outgoing_document.id"))


class HolidayOverride(Base):
    """Government-announced changes: an extra day off ('off') or a swapped working day ('work')."""

    __tablename__ = "holiday_override"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(4))  # "off" | "work"
    note: Mapped[str] = mapped_column(String(200), default="")
