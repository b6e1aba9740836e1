"""Opening, previewing and printing generated documents (shared by the Văn bản đi page and
the report and reminder dialogs), so an officer needs no other program to print."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from gui.messages import show_error


def open_path(path: str | Path) -> bool:
    """Open a file or folder with the system's program (Word, Excel, file manager)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def preview(path: str | Path, parent: QWidget | None = None) -> None:
    """The in-app print preview of a PDF, from which it prints."""
    from gui.widgets.pdf_preview import preview_pdf

    try:
        preview_pdf(path, parent)
    except OSError as e:
        show_error(parent, e, "Không mở được bản xem trước")
