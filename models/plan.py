"""Directive documents, plans, tasks, assignments (task × unit) and deadline extensions."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Versioned

# Progress values stored in Assignment.progress.
NOT_STARTED, IN_PROGRESS, DONE = "chua", "dang", "xong"


class DirectiveDocument(Versioned, Base):
    """A văn bản chỉ đạo; a plan is one with is_plan set and tasks attached."""

    __tablename__ = "directive_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    symbol: Mapped[str] = mapped_column(String(80), default="")  # "57-NQ/TW"
    doc_type: Mapped[str] = mapped_column(String(60), default="")  # "Nghị quyết", "Kế hoạch"
    doc_date: Mapped[date | None] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    search_key: Mapped[str] = mapped_column(Text, default="")
    is_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    start_period: Mapped[str] = mapped_column(String(10), default="")  # "2025-03"
    basis_of_id: Mapped[int | None] = mapped_column(ForeignKey("directive_document.id"))
    notes: Mapped[str] = mapped_column(Text, default="")

    tasks: Mapped[list[Task]] = relationship(back_populates="plan", order_by="Task.sort_order")


class Task(Versioned, Base):
    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("directive_document.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))  # "IV.1.a"
    section: Mapped[str] = mapped_column(String(40), default="")  # "IV.1"
    text: Mapped[str] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date | None] = mapped_column(Date)  # None with recurring = "thường xuyên"
    recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    plan: Mapped[DirectiveDocument] = relationship(back_populates="tasks")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="task", cascade="all, delete-orphan"
    )


class Assignment(Versioned, Base):
    """One unit's part in a task: role plus its own progress."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(30), default="chủ trì")  # chủ trì / phối hợp / …
    # Set when the plan assigned the task to a group unit ("Các sở, ban, ngành"): each
    # member then keeps its own progress on its own row.
    via_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    progress: Mapped[str] = mapped_column(String(10), default=NOT_STARTED)
    completion_date: Mapped[date | None] = mapped_column(Date)
    result_text: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(120), default="")  # "user:…" or "report:<id>"

    task: Mapped[Task] = relationship(back_populates="assignments")
    extensions: Mapped[list[Extension]] = relationship(
        order_by="Extension.id", cascade="all, delete-orphan"
    )


class Extension(Base):
    """A deadline extension; the task's original due date stays for statistics."""

    __tablename__ = "extension"
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignment.id", ondelete="CASCADE"), index=True
    )
    new_due: Mapped[date] = mapped_column(Date)
    approver: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=func.now())
