"""Words service errors for people (services raise typed errors, never show dialogs)."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from services.errors import ConcurrentEdit, ServiceError, ValidationError


def error_text(e: BaseException) -> str:
    if isinstance(e, ValidationError) and e.problems:
        lines = [str(e)] + [f"• {p}" for p in e.problems[:30]]
        if len(e.problems) > 30:
            lines.append(f"… và {len(e.problems) - 30} lỗi khác.")
        return "\n".join(lines)
    if isinstance(e, ServiceError):
        return str(e)
    return f"Lỗi không mong đợi: {e.__class__.__name__}: {e}"


def show_error(parent: QWidget | None, e: BaseException, title: str = "Không thực hiện được") -> None:
    icon = QMessageBox.Icon.Warning if isinstance(e, (ServiceError, ConcurrentEdit)) else QMessageBox.Icon.Critical
    box = QMessageBox(icon, title, error_text(e), QMessageBox.StandardButton.Ok, parent)
    detail = getattr(e, "__traceback_text__", "")
    if detail and not isinstance(e, ServiceError):
        box.setDetailedText(detail)
    box.exec()


def confirm(parent: QWidget | None, text: str, title: str = "Xác nhận") -> bool:
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes
