"""Application start: QApplication, bundled fonts, icon, choosing the database, main window."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from services.resources import resources_dir


def load_fonts() -> list[str]:
    families = []
    for f in sorted((resources_dir() / "fonts").glob("*.ttf")):
        fid = QFontDatabase.addApplicationFont(str(f))
        if fid >= 0:
            families += QFontDatabase.applicationFontFamilies(fid)
    return sorted(set(families))


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "secdesk.svg"))


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("SecDesk")
    app.setOrganizationName("SecDesk")
    app.setWindowIcon(app_icon())
    if not getattr(app, "_vi_translator", None):
        from gui.translator import install

        app._vi_translator = install(app)  # type: ignore[attr-defined]
    load_fonts()
    return app


def choose_database(args: argparse.Namespace, settings: QSettings) -> str | None:
    """The database to open: --db, then the last one used, then the default file.
    A missing default file leads to the first-start dialog (demo or empty)."""
    from cli import default_db_path

    if args.db:
        path = args.db
    else:
        last = settings.value("last_db")
        path = str(last) if last and Path(str(last)).exists() else str(default_db_path())
    if "://" in path or Path(path).exists():
        return path
    if args.demo_if_missing:
        _create_demo(path)
        return path
    box = QMessageBox(QMessageBox.Icon.Question, "SecDesk — lần đầu sử dụng",
                      f"Chưa có cơ sở dữ liệu tại:\n{path}\n\nBạn muốn bắt đầu thế nào?")
    demo = box.addButton("Dùng dữ liệu demo", QMessageBox.ButtonRole.AcceptRole)
    empty = box.addButton("Cơ sở dữ liệu trống", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Thoát", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is demo:
        _create_demo(path)
        return path
    if box.clickedButton() is empty:
        return path
    return None


def _create_demo(path: str) -> None:
    from services.demo_db import create_demo_database

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    create_demo_database(path, date.today())


def run_gui(args: argparse.Namespace) -> int:
    from models.db import SchemaError, open_database

    app = make_app()
    settings = QSettings("SecDesk", "SecDesk")
    path = choose_database(args, settings)
    if path is None:
        return 0
    try:
        db = open_database(path)
    except SchemaError as e:
        QMessageBox.critical(None, "SecDesk", str(e))
        return 1
    from gui.file_actions import start_session
    from gui.main_window import MainWindow

    win = MainWindow(db, settings)
    win.show()
    start_session(win)
    if getattr(args, "smoke_gui", False):  # hidden flag: start-up self-test of a built bundle
        from gui import smoke

        smoke.schedule(app, win)
    return app.exec()
