"""Start-up self-test behind the hidden `--smoke-gui` flag (used by installer/build.py --smoke).

Once the main window is shown: import the Qt modules the pages rely on, open every page
once, wait for background work to finish, print one line and quit. Exit code 0 means a
bundle can really start the GUI; any failure prints the traceback and exits with 1. It
changes nothing in the database beyond what a normal start does. With the environment
variable SECDESK_SMOKE_SCREENSHOTS=<folder> it also saves main.png and about.png there.
"""
from __future__ import annotations

import importlib
import os
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from gui.main_window import MainWindow

# Used by pages (charts, PDF preview, printing) and by the SVG icon; a frozen bundle that
# lacks one of them would only fail when that page opens, so check them all up front.
QT_MODULES = ("PySide6.QtSvg", "PySide6.QtCharts", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
              "PySide6.QtPrintSupport")
IDLE_TIMEOUT_S = 120.0


def schedule(app: QApplication, win: MainWindow) -> None:
    """Run the self-test from the event loop, right after the window is shown."""
    QTimer.singleShot(0, lambda: _run(app, win))


def _run(app: QApplication, win: MainWindow) -> None:
    try:
        for name in QT_MODULES:
            importlib.import_module(name)
        from gui.about import app_version
        from gui.pages import PAGES

        for key, *_ in PAGES:
            win.show_page_key(key)
            app.processEvents()
        _wait_idle(app, win)
        shots = os.environ.get("SECDESK_SMOKE_SCREENSHOTS")
        if shots:
            _screenshots(app, win, Path(shots))
        print(f"SMOKE GUI OK: SecDesk {app_version()}, {len(PAGES)} trang, "
              f"cửa sổ {win.width()}×{win.height()}", flush=True)
        win.close()
        app.exit(0)
    except BaseException:  # noqa: BLE001 - any failure must end the smoke run with an error
        app.exit(1)
        traceback.print_exc()  # a windowed Windows build has no stderr: prints nothing
        if sys.stderr is not None:
            sys.stderr.flush()


def _screenshots(app: QApplication, win: MainWindow, folder: Path) -> None:
    """Let a person look at what the bundle renders (fonts, icons, library versions)."""
    from gui.about import AboutDialog

    folder.mkdir(parents=True, exist_ok=True)
    win.show_page_key("dashboard")
    app.processEvents()
    win.grab().save(str(folder / "main.png"))
    about = AboutDialog(win)
    about.show()
    app.processEvents()
    about.grab().save(str(folder / "about.png"))
    about.close()


def _wait_idle(app: QApplication, win: MainWindow) -> None:
    """Background jobs (e.g. the start-up regeneration) must end before quitting."""
    deadline = time.monotonic() + IDLE_TIMEOUT_S
    while win.runner.busy:
        if time.monotonic() > deadline:
            raise TimeoutError("background work still running after the smoke timeout")
        app.processEvents()
        time.sleep(0.02)
