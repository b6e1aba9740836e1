"""Background task runner: long work runs in a worker thread behind a progress dialog
that can cancel it, so the window never freezes.

The work is a plain function `fn(progress, cancelled)` from services; `progress(done,
total, message)` may be called from the worker (it is forwarded through a queued signal),
`cancelled()` polls the flag. Any Session is opened inside the worker (never shared).
"""
from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Work = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]


class _Worker(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object, object)  # result, exception

    def __init__(self, fn: Work, cancel: threading.Event) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = cancel

    def run(self) -> None:
        try:
            result = self._fn(lambda d, t, m="": self.progressed.emit(int(d), int(t), str(m)),
                              self._cancel.is_set)
        except BaseException as e:  # noqa: BLE001 - reported to the GUI thread, never lost
            e.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            result, error = None, e
        else:
            error = None
        self.finished.emit(result, error)
        # The thread stops itself: waiting for the GUI thread to stop it would deadlock
        # when the GUI thread is the one waiting (closing the window during a job).
        QThread.currentThread().quit()


class Task(QObject):
    """One running job; `done(result, error)` fires on the GUI thread."""

    done = Signal(object, object)

    def __init__(self, fn: Work, title: str, parent: QWidget | None, show_dialog: bool) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.thread = QThread()
        self.worker = _Worker(fn, self.cancel_event)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(self._finish)
        self.dialog: QProgressDialog | None = None
        if show_dialog:
            self.dialog = QProgressDialog(title, "Hủy", 0, 0, parent)
            self.dialog.setWindowTitle("SecDesk")
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(300)  # quick jobs never flash a dialog
            self.dialog.canceled.connect(self.cancel)
            self.worker.progressed.connect(self._progress)
        self.result: Any = None
        self.error: BaseException | None = None
        self.visible = show_dialog  # a job the user started and is watching

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.cancel_event.set()
        if self.dialog:
            self.dialog.setLabelText("Đang hủy…")

    def _progress(self, done: int, total: int, message: str) -> None:
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if message:
            self.dialog.setLabelText(message)

    def _finish(self, result: Any, error: BaseException | None) -> None:
        self.result, self.error = result, error
        self.thread.quit()
        self.thread.wait()
        if self.dialog:
            self.dialog.reset()
            self.dialog.deleteLater()
        self.done.emit(result, error)
        self.deleteLater()


class TaskRunner(QObject):
    """Starts tasks and keeps them alive until they finish."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: set[Task] = set()

    def run(self, fn: Work, title: str, on_done: Callable[[Any, BaseException | None], None],
            parent: QWidget | None = None, show_dialog: bool = True) -> Task:
        task = Task(fn, title, parent, show_dialog)
        self._running.add(task)

        def _done(result: Any, error: BaseException | None) -> None:
            self._running.discard(task)
            on_done(result, error)

        task.done.connect(_done)
        task.start()
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    @property
    def busy_with_user_work(self) -> bool:
        """A job the user started (with a progress dialog) is still running."""
        return any(t.visible for t in self._running)

    def cancel_all(self) -> None:
        for t in list(self._running):
            t.cancel_event.set()

    def wait_all(self) -> None:
        for t in list(self._running):
            t.thread.wait()
