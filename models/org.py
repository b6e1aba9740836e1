"""The secretariat itself (agency settings, key/value settings) and the units it coordinates."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Versioned


class Agency(Versioned, Base):
    """Header data of the secretariat's own documents (one row, id = 1)."""

    __tablename__ = "agency"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_name: Mapped[str] = mapped_column(String(200), default="")  # cơ quan chủ quản
    name: Mapped[str] = mapped_column(String(200), default="")  # cơ quan ban hành
    abbreviation: Mapped[str] = mapped_column(String(40), default="")  # for "05/BC-SKHCN"
    place: Mapped[str] = mapped_column(String(100), default="")  # "Hải Dương, ngày …"
    signer_authority: Mapped[str] = mapped_column(String(100), default="")  # "KT. GIÁM ĐỐC"
    signer_title: Mapped[str] = mapped_column(String(100), default="")  # "PHÓ GIÁM ĐỐC"
    signer_name: Mapped[str] = mapped_column(String(100), default="")
    drafting_unit: Mapped[str] = mapped_column(String(40), default="")  # "- Lưu: VT, QLKH."
    report_recipients: Mapped[str] = mapped_column(Text, default="")  # one per line
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # the secretariat as a unit


class Setting(Base):
    """Small application settings (thresholds, switches) as text values."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Unit(Versioned, Base):
    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(120), default="")
    search_key: Mapped[str] = mapped_column(String(600), default="", index=True)
    group: Mapped[str] = mapped_column(String(60), default="Khác", index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    is_group: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_person: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    active_from: Mapped[date | None] = mapped_column(Date)
    active_to: Mapped[date | None] = mapped_column(Date)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    owes_reports: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
