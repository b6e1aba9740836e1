"""Main window: navigation, menus, status bar, remembered layout; pages load on first visit."""
from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from gui.bus import EventBus
from gui.context import AppContext
from gui.messages import show_error
from gui.pages import PAGES
from gui.pages.placeholder import PlaceholderPage
from gui.tasks import TaskRunner
from models.db import Database


class MainWindow(QMainWindow):
    def __init__(self, db: Database, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings("SecDesk", "SecDesk")
        self.bus = EventBus(self)
        self.runner = TaskRunner(self)
        self.ctx = AppContext(db, self.bus, self.runner)
        self.setWindowTitle("SecDesk")
        self.resize(1280, 800)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setMaximumWidth(220)
        self.nav.setStyleSheet("QListWidget#nav { font-size: 11pt; } QListWidget#nav::item { padding: 7px 10px; }")
        for _key, title, _mod, _cls in PAGES:
            self.nav.addItem(title.replace("&&", "&"))
        self.stack = QStackedWidget()
        self._pages: dict[int, QWidget] = {}
        for _ in PAGES:
            self.stack.addWidget(QWidget())  # replaced by the real page on first visit
        self.splitter = QSplitter()
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)
        self.nav.currentRowChanged.connect(self.show_page)

        self.db_label = QLabel()
        self.statusBar().addPermanentWidget(self.db_label)
        self._build_menus()
        self._restore_layout()
        self._show_db()

    # ---- pages ---------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page widget for a key, created if needed (also used by tests)."""
        index = next(i for i, p in enumerate(PAGES) if p[0] == key)
        return self._ensure_page(index)

    def _ensure_page(self, index: int) -> QWidget:
        if index not in self._pages:
            key, title, module, cls = PAGES[index]
            try:
                mod = importlib.import_module(f"gui.pages.{module}")
                page = getattr(mod, cls)(self.ctx, self)
            except ModuleNotFoundError as e:
                if e.name != f"gui.pages.{module}":
                    raise
                page = PlaceholderPage(title.replace("&&", "&"), self)
            page.setObjectName(f"page_{key}")
            old = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self._pages[index] = page
        return self._pages[index]

    def show_page(self, index: int) -> None:
        if index < 0:
            return
        page = self._ensure_page(index)
        self.stack.setCurrentIndex(index)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)
        self.settings.setValue("page", index)
        self.statusBar().showMessage(PAGES[index][1].replace("&&", "&"), 2000)
        del page

    def show_page_key(self, key: str) -> QWidget:
        index = next(i for i, p in enumerate(PAGES) if p[0] == key)
        self.show_page(index)
        return self._pages[index]

    # ---- database ------------------------------------------------------
    def set_database(self, db: Database) -> None:
        """Switch to another database: every page is rebuilt against it."""
        old = self.ctx.db
        self.ctx.db = db
        current = max(self.nav.currentRow(), 0)
        for index in list(self._pages):
            page = self._pages.pop(index)
            placeholder = QWidget()
            self.stack.insertWidget(index, placeholder)
            self.stack.removeWidget(page)
            page.deleteLater()
        if old is not db:
            old.dispose()
        self.bus.publish("database", db.url)
        self._show_db()
        self.show_page(current)

    def _show_db(self) -> None:
        db = self.ctx.db
        where = str(db.path) if db.path else db.url.split("@")[-1]
        self.db_label.setText(f"Cơ sở dữ liệu: {where}")
        self.setWindowTitle(f"SecDesk — {Path(where).name}")
        if db.path:
            self.settings.setValue("last_db", str(db.path))

    # ---- menus ---------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:  # noqa: ANN001
        act = QAction(text, self)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def _build_menus(self) -> None:
        from gui import file_actions

        m = self.menuBar().addMenu("&Tệp")
        self._action(m, "&Mở cơ sở dữ liệu…", lambda: file_actions.open_database(self), QKeySequence.StandardKey.Open)
        self._action(m, "&Tạo cơ sở dữ liệu mới…", lambda: file_actions.new_database(self), "Ctrl+Shift+N")
        self._action(m, "Tạo cơ sở dữ liệu &demo…", lambda: file_actions.new_demo_database(self))
        m.addSeparator()
        self._action(m, "&Sao lưu…", lambda: file_actions.backup(self), "Ctrl+B")
        self._action(m, "&Khôi phục từ bản sao lưu…", lambda: file_actions.restore(self))
        m.addSeparator()
        self._action(m, "T&hoát", self.close, QKeySequence.StandardKey.Quit)

        v = self.menuBar().addMenu("&Xem")
        for i, (_key, title, _m, _c) in enumerate(PAGES):
            self._action(v, title, lambda _=False, i=i: self.show_page(i), f"Ctrl+{i + 1}")

        h = self.menuBar().addMenu("Trợ &giúp")
        self._action(h, "&Hướng dẫn sử dụng", self.open_manual, QKeySequence.StandardKey.HelpContents)
        self._action(h, "&Giới thiệu SecDesk", self.about)

    def open_manual(self) -> None:
        from services.resources import manual_path

        path = manual_path()
        if path is None:
            QMessageBox.information(self, "Hướng dẫn sử dụng", "Chưa tìm thấy tệp hướng dẫn sử dụng.")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def about(self) -> None:
        from gui.about import AboutDialog

        AboutDialog(self).exec()

    # ---- layout --------------------------------------------------------
    def _restore_layout(self) -> None:
        geo = self.settings.value("geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        state = self.settings.value("splitter")
        if state is not None:
            self.splitter.restoreState(state)
        try:
            index = int(self.settings.value("page", 0))
        except (TypeError, ValueError):
            index = 0
        self.show_page(index if 0 <= index < len(PAGES) else 0)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        # Only a job the user started is worth asking about; silent background refreshes
        # are cancelled (their work is transactional, nothing half-written remains).
        if self.runner.busy_with_user_work:
            if QMessageBox.question(self, "SecDesk", "Đang có công việc chạy nền. Hủy và thoát?") != \
                    QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.runner.cancel_all()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
        for page in self._pages.values():
            saver = getattr(page, "save_state", None)
            if saver:
                saver(self.settings)
        self.runner.wait_all()
        super().closeEvent(event)

    def report_error(self, e: BaseException) -> None:
        show_error(self, e)
