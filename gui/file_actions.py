"""Tệp menu actions: open, create, demo, backup, restore (long steps run in the background)."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui.messages import show_error

if TYPE_CHECKING:
    from gui.main_window import MainWindow

FILTER = "Cơ sở dữ liệu SecDesk (*.sqlite *.db);;Tất cả các tệp (*)"


def _switch(win: MainWindow, path: str) -> None:
    from models.db import SchemaError, open_database

    try:
        db = open_database(path)
    except SchemaError as e:
        show_error(win, e, "Không mở được cơ sở dữ liệu")
        return
    win.set_database(db)
    start_session(win)


def start_session(win: MainWindow) -> None:
    """Bring the expected reports up to today in the background (cheap, no dialog; skipped
    when nothing they depend on changed since the last run)."""
    from services.regime import refresh

    db = win.ctx.db

    def work(progress, cancelled):  # noqa: ANN001, ANN202
        return refresh(db, date.today(), progress, cancelled)

    def done(result, error):  # noqa: ANN001, ANN202
        if error is None and result is not None and (result.added or result.updated):
            win.bus.publish("expected", result)

    win.runner.run(work, "Cập nhật danh sách báo cáo phải nộp…", done, win, show_dialog=False)


def open_database(win: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(win, "Mở cơ sở dữ liệu", str(Path.home()), FILTER)
    if path:
        _switch(win, path)


def new_database(win: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(win, "Tạo cơ sở dữ liệu mới", str(Path.home() / "secdesk.sqlite"), FILTER)
    if not path:
        return
    if Path(path).exists():
        QMessageBox.warning(win, "SecDesk", f"Tệp {path} đã tồn tại. Hãy chọn tên khác.")
        return
    _switch(win, path)


def new_demo_database(win: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(win, "Tạo cơ sở dữ liệu demo", str(Path.home() / "secdesk-demo.sqlite"), FILTER)
    if not path:
        return
    if Path(path).exists():
        QMessageBox.warning(win, "SecDesk", f"Tệp {path} đã tồn tại. Hãy chọn tên khác.")
        return
    from services.demo_db import create_demo_database

    def work(progress, cancelled):  # noqa: ANN001, ANN202
        progress(0, 0, "Đang tạo dữ liệu demo…")
        return create_demo_database(path, date.today())

    def done(result, error):  # noqa: ANN001, ANN202
        if error:
            show_error(win, error)
        else:
            _switch(win, path)

    win.runner.run(work, "Đang tạo cơ sở dữ liệu demo…", done, win)


def backup(win: MainWindow) -> None:
    from services.maintenance import backup_database

    stamp = date.today().strftime("%Y%m%d")
    path, _ = QFileDialog.getSaveFileName(win, "Sao lưu", str(Path.home() / f"secdesk-saoluu-{stamp}.zip"),
                                          "Tệp sao lưu (*.zip)")
    if not path:
        return
    db = win.ctx.db

    def work(progress, cancelled):  # noqa: ANN001, ANN202
        progress(0, 0, "Đang sao lưu…")
        return backup_database(db, path)

    def done(result, error):  # noqa: ANN001, ANN202
        if error:
            show_error(win, error)
        else:
            win.statusBar().showMessage(f"Đã sao lưu vào {result}", 8000)

    win.runner.run(work, "Đang sao lưu…", done, win)


def restore(win: MainWindow) -> None:
    from services.maintenance import restore_database

    db = win.ctx.db
    if db.path is None:
        QMessageBox.information(win, "SecDesk", "Khôi phục chỉ dành cho cơ sở dữ liệu SQLite.")
        return
    path, _ = QFileDialog.getOpenFileName(win, "Khôi phục từ bản sao lưu", str(Path.home()), "Tệp sao lưu (*.zip)")
    if not path:
        return
    if QMessageBox.question(win, "Khôi phục", f"Thay dữ liệu hiện tại ({db.path.name}) bằng bản sao lưu?\n"
                            "Dữ liệu hiện tại được sao lưu trước khi thay.") != QMessageBox.StandardButton.Yes:
        return
    target = db.path
    db.dispose()
    try:
        restore_database(path, target)
    except Exception as e:  # noqa: BLE001 - shown to the user, then reopen the current file
        show_error(win, e)
    _switch(win, str(target))
