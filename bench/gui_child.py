"""Child process for the GUI benchmarks (run by bench/gui_bench.py, one measurement per process,
so every start is cold in Python and Qt terms).

    python bench/gui_child.py bare                 # a bare QMainWindow (the start-up baseline)
    python bench/gui_child.py app DB               # SecDesk started the way gui.app.run_gui does
    python bench/gui_child.py pages DB             # open the dashboard, then the register, scroll to its end
    python bench/gui_child.py plain_table DB       # baseline: the register's rows via sqlite3 in a minimal model

Prints one JSON line when the measured state is reached ("ready"), with the child's peak RSS.
Times in the JSON are seconds since BENCH_T0 (the parent's time.time() just before starting it).
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time

T0 = float(os.environ.get("BENCH_T0", time.time()))
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def since_start() -> float:
    return time.time() - T0


def peak_rss_mb() -> float:
    """Peak resident memory of this process. VmHWM, because getrusage's ru_maxrss survives
    exec on Linux and would report the parent's peak when that was higher."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def emit(**data: object) -> None:
    data["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(data), flush=True)


def settle(app, win, timeout: float = 120.0) -> bool:  # noqa: ANN001 - Qt objects
    """Process events until the window's background jobs are done and the queue is quiet,
    then paint the window (grab() renders every visible widget, i.e. the data is shown)."""
    deadline = time.monotonic() + timeout
    runner = getattr(win, "runner", None)
    while time.monotonic() < deadline:
        app.processEvents()
        if runner is None or not runner.busy:
            break
        time.sleep(0.002)
    for _ in range(3):
        app.processEvents()
    win.grab()
    return runner is None or not runner.busy


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    win = QMainWindow()
    win.setWindowTitle("bare")
    win.resize(1280, 800)
    win.show()
    settle(app, win)
    emit(ready=since_start())


PHASES: dict[str, float] = {}  # seconds since start at the end of each start-up step


def _app_window(db_path: str, page: int | None = None):  # noqa: ANN202
    from PySide6.QtCore import QSettings

    from gui.app import make_app
    from models.db import open_database

    PHASES["imports"] = since_start()
    app = make_app()
    settings = QSettings("SecDesk", "SecDesk")
    if page is not None:
        settings.setValue("page", page)
    PHASES["qapplication"] = since_start()
    db = open_database(db_path)
    PHASES["open_database"] = since_start()
    from gui.file_actions import start_session
    from gui.main_window import MainWindow

    win = MainWindow(db, settings)
    PHASES["main_window"] = since_start()
    win.show()
    start_session(win)
    return app, win


def _has_data(page) -> bool:  # noqa: ANN001 - a page widget
    """Pages that load in the background keep what they show in `data` (the dashboard does);
    a page without that attribute shows its data once it is painted."""
    return not hasattr(page, "data") or getattr(page, "data", None) is not None


def app(db_path: str) -> None:
    t_import = since_start()
    application, win = _app_window(db_path)
    t_built = since_start()
    page = win.stack.currentWidget()
    deadline = time.monotonic() + 120
    while not _has_data(page) and time.monotonic() < deadline:
        application.processEvents()
        time.sleep(0.002)
    application.processEvents()
    win.grab()  # painted with the first page's data: usable
    t_shown = since_start()
    idle = settle(application, win)  # background work (the expected-report update) finished
    emit(ready=t_shown, idle_at=since_start(), built=t_built, started_python=t_import, idle=idle, phases=PHASES,
         page=page.objectName(), has_data=_has_data(page),
         heavy=sorted(m for m in ("openpyxl", "docx", "reportlab", "alembic") if m in sys.modules))


def pages(db_path: str) -> None:
    from gui.pages import PAGES

    # Start on another page, so the dashboard and the register are first visits.
    start = next(i for i, p in enumerate(PAGES) if p[0] == "units")
    application, win = _app_window(db_path, page=start)
    settle(application, win)
    out: dict[str, object] = {}
    for key in ("dashboard", "incoming"):
        t = time.perf_counter()
        page = win.show_page_key(key)
        settle(application, win)
        out[f"{key}_open"] = time.perf_counter() - t
        out[f"{key}_class"] = type(page).__name__
    from PySide6.QtWidgets import QTableView

    register = win.page("incoming")
    show_all = getattr(register, "show_filtered", None)
    if show_all is not None:  # every period, register tab: the 10× register's ~47,000 rows
        t = time.perf_counter()
        show_all(None, None, None, register=True)
        settle(application, win)
        out["register_all_open"] = time.perf_counter() - t
    tables = [t for t in register.findChildren(QTableView) if t.isVisible()]
    if tables:
        table = max(tables, key=lambda t: t.model().rowCount())
        out["rows"] = table.model().rowCount()
        t = time.perf_counter()
        table.scrollToBottom()
        settle(application, win)
        table.viewport().grab()
        out["scroll_end"] = time.perf_counter() - t
    emit(**out)


PLAIN_SQL = """SELECT i.id, i.received_date, u.name, i.period, i.doc_number, i.channel, i.summary
               FROM incoming_report i JOIN unit u ON u.id = i.unit_id
               ORDER BY i.received_date DESC, i.id DESC"""


def plain_table(db_path: str) -> None:
    """The register's rows fetched with plain sqlite3 into the simplest possible Qt model."""
    import sqlite3

    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    class Model(QAbstractTableModel):
        def __init__(self, rows: list[tuple]) -> None:
            super().__init__()
            self.rows = rows

        def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802, ANN001
            return len(self.rows)

        def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802, ANN001
            return 7

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN201
            if role == Qt.ItemDataRole.DisplayRole:
                return str(self.rows[index.row()][index.column()])
            return None

    application = QApplication(sys.argv[:1])
    win = QMainWindow()
    win.resize(1280, 800)
    win.show()
    settle(application, win)
    t = time.perf_counter()
    con = sqlite3.connect(db_path)
    view = QTableView()
    view.setModel(Model(con.execute(PLAIN_SQL).fetchall()))
    win.setCentralWidget(view)
    settle(application, win)
    out: dict[str, object] = {"open": time.perf_counter() - t, "rows": view.model().rowCount()}
    t = time.perf_counter()
    view.scrollToBottom()
    settle(application, win)
    view.viewport().grab()
    out["scroll_end"] = time.perf_counter() - t
    emit(**out)


if __name__ == "__main__":
    mode = sys.argv[1]
    {"bare": lambda: bare(), "app": lambda: app(sys.argv[2]), "pages": lambda: pages(sys.argv[2]),
     "plain_table": lambda: plain_table(sys.argv[2])}[mode]()
