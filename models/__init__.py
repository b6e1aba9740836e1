"""Persistence layer: SQLAlchemy 2.0 ORM classes, engine and session factory, migrations.

Nothing here knows about Qt or about use cases; services/ builds on it.
"""
from models.audit import AuditLog
from models.base import Base
from models.documents import OutgoingDocument, ReportDraft
from models.indicators import Indicator, IndicatorValue
from models.org import Agency, Setting, Unit
from models.plan import Assignment, DirectiveDocument, Extension, Task
from models.reporting import (
    Attachment,
    ExpectedReport,
    HolidayOverride,
    IncomingReport,
    ReminderLog,
    ReportType,
    ReportTypeUnit,
)

__all__ = [
    "Base", "Agency", "Setting", "Unit", "DirectiveDocument", "Task", "Assignment",
    "Extension", "ReportType", "ReportTypeUnit", "ExpectedReport", "IncomingReport",
    "Attachment", "ReminderLog", "HolidayOverride", "Indicator", "IndicatorValue",
    "OutgoingDocument", "ReportDraft", "AuditLog",
]
