"""Indicators (targets of the plan and activity counts) and their values per unit × period."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    Float,
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

SUM, MEAN, LATEST, MAX = "sum", "mean", "latest", "max"
TARGET, ACTIVITY = "target", "activity"


class Indicator(Versioned, Base):
    __tablename__ = "indicator"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")  # the plan's wording
    search_key: Mapped[str] = mapped_column(Text, default="")
    uom: Mapped[str] = mapped_column(String(80), default="")  # đơn vị tính
    aggregation: Mapped[str] = mapped_column(String(10), default=SUM)
    family: Mapped[str] = mapped_column(String(10), default=ACTIVITY)
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    target_value: Mapped[float | None] = mapped_column(Float)
    comparison: Mapped[str] = mapped_column(String(2), default="")  # >= > <= < =
    target_year: Mapped[int | None] = mapped_column(Integer)
    # Qualitative targets (no number) carry a status: dat / chua_dat / theo_doi.
    status: Mapped[str] = mapped_column(String(10), default="")
    status_note: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorValue(Base):
    """A value for unit × period ("2026-05" or "2026"); unit_id NULL = province-wide figure."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint("indicator_id", "unit_id", "period"),
        # Roll-ups read one indicator over a range of periods (migration 0002).
        Index("ix_indicator_value_ind_period", "indicator_id", "period"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    period: Mapped[str] = mapped_column(String(10), index=True)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(120), default="")  # "user:…" | "report:<id>"
    incoming_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("incoming_report.id", ondelete="SET NULL")
    )
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=func.now())
