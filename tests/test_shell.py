"""The application shell driven with pytest-qt: window, navigation, another database,
background task runner with cancel, and the event bus."""
from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from gui.bus import EventBus
from gui.main_window import MainWindow
from gui.pages import PAGES
from gui.tasks import TaskRunner
from models.db import open_database


def _window(qtbot, db, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    win = MainWindow(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    return win


def test_window_opens_and_navigation_switches_pages(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    assert "demo.sqlite" in win.db_label.text()
    for i, (key, _title, _m, _c) in enumerate(PAGES):
        win.nav.setCurrentRow(i)
        assert win.stack.currentIndex() == i
        assert win.stack.currentWidget().objectName() == f"page_{key}"


def test_layout_is_remembered(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    win.resize(700, 500)  # inside the offscreen screen (800×600)
    win.show_page(3)
    win.close()
    again = _window(qtbot, demo_db, tmp_path)
    assert again.nav.currentRow() == 3
    assert again.size().width() == 700


def test_opening_another_database(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    seen = []
    win.bus.subscribe("database", lambda t, p: seen.append(p))
    other = open_database(tmp_path / "other.sqlite")
    win.set_database(other)
    assert "other.sqlite" in win.db_label.text()
    assert seen and "other.sqlite" in seen[0]
    assert isinstance(win.stack.currentWidget(), QWidget)


def test_task_runner_reports_result_progress_and_cancel(qtbot) -> None:  # noqa: ANN001
    runner = TaskRunner()
    main_thread = threading.get_ident()
    seen: dict = {}

    def work(progress, cancelled):  # noqa: ANN001, ANN202
        seen["thread"] = threading.get_ident()
        for i in range(3):
            progress(i, 3, f"bước {i}")
        return 42

    with qtbot.waitSignal(runner.run(work, "t", lambda r, e: seen.update(result=r, error=e),
                                     show_dialog=False).done, timeout=5000):
        pass
    assert seen["result"] == 42 and seen["error"] is None and seen["thread"] != main_thread

    def slow(progress, cancelled):  # noqa: ANN001, ANN202
        while not cancelled():
            time.sleep(0.01)
        from services.errors import Cancelled
        raise Cancelled("hủy")

    task = runner.run(slow, "t", lambda r, e: seen.update(cancel_error=e), show_dialog=False)
    with qtbot.waitSignal(task.done, timeout=5000):
        task.cancel()
    assert type(seen["cancel_error"]).__name__ == "Cancelled"


def test_event_bus_filters_topics(qtbot) -> None:  # noqa: ANN001
    bus = EventBus()
    got = []
    bus.subscribe({"units"}, lambda t, p: got.append((t, p)))
    bus.publish("units", [1])
    bus.publish("tasks", [2])
    assert got == [("units", [1])]


def test_closing_during_a_background_job_does_not_hang(qtbot, demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    win = _window(qtbot, demo_db, tmp_path)
    started = threading.Event()

    def work(progress, cancelled):  # noqa: ANN001, ANN202
        started.set()
        while not cancelled():
            time.sleep(0.01)
        return "stopped"

    win.runner.run(work, "t", lambda r, e: None, win, show_dialog=False)
    assert started.wait(5)
    win.close()  # cancels the silent job and waits for its thread: must return
    assert all(t.thread.isFinished() for t in win.runner._running)
