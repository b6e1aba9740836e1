"""Files dropped from the file manager: a list widget that accepts them, and the helper
any widget (a page, a dialog) uses to read local file paths from a drop."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QWidget


def local_files(mime: QMimeData | None) -> list[str]:
    """Paths of the regular files in a drop (folders and remote URLs are ignored)."""
    if mime is None or not mime.hasUrls():
        return []
    out = []
    for url in mime.urls():
        if url.isLocalFile():
            p = url.toLocalFile()
            if Path(p).is_file():
                out.append(p)
    return out


class FileDropList(QListWidget):
    """A list that takes files dropped on it and announces them with `files_dropped`."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if local_files(e.mimeData()):
            e.acceptProposedAction()
        else:
            e.ignore()

    def dragMoveEvent(self, e: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if local_files(e.mimeData()):
            e.acceptProposedAction()
        else:
            e.ignore()

    def dropEvent(self, e: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = local_files(e.mimeData())
        if files:
            e.acceptProposedAction()
            self.files_dropped.emit(files)
        else:
            e.ignore()
