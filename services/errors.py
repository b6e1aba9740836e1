"""Typed errors raised by services; the GUI and CLI word them for people.

Every message is Vietnamese and says what and where.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class ServiceError(Exception):
    """Base of all expected, user-facing errors."""


class NotFound(ServiceError):
    pass


class ValidationError(ServiceError):
    """Bad input; `problems` lists every issue found (not only the first)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class ConcurrentEdit(ServiceError):
    """The row changed since it was read (optimistic locking): nothing was written."""


class Conflict(ServiceError):
    """The write would break a rule (duplicate code, unit with history deleted…)."""


class FeatureUnavailable(ServiceError):
    pass


class Cancelled(ServiceError):
    """Long work stopped at the user's request; nothing was committed."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where (file, sheet, cell or row/column) and why."""

    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    row: int | None = None
    column: str = ""
    severity: str = "error"  # "error" | "warning"
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def where(self) -> str:
        parts = [p for p in (self.file, self.sheet and f"trang '{self.sheet}'") if p]
        if self.cell:
            parts.append(f"ô {self.cell}")
        elif self.row is not None:
            parts.append(f"dòng {self.row}" + (f", cột {self.column}" if self.column else ""))
        elif self.column:
            parts.append(f"cột {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        w = self.where()
        return f"{w}: {self.message}" if w else self.message
