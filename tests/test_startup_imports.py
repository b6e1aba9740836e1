"""Start-up stays light: showing the main window on a database does not import the heavy
libraries used only for documents, spreadsheets and migrations (DESIGN.md §1)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ["openpyxl", "docx", "reportlab", "alembic"]

# Starts the way gui.app.run_gui does (open the database, main window, background session
# start), lets the first page and the background work settle, then reports what got imported.
CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from PySide6.QtCore import QSettings
from gui.app import make_app
from models.db import open_database
app = make_app()
db = open_database({db!r})
from gui.file_actions import start_session
from gui.main_window import MainWindow
win = MainWindow(db, QSettings())
win.show()
start_session(win)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    app.processEvents()
    if not win.runner.busy:
        break
    time.sleep(0.01)
for _ in range(20):
    app.processEvents()
win.grab()
print(json.dumps({{"busy": win.runner.busy, "page": win.stack.currentWidget().objectName(),
                   "modules": sorted({{m.split(".")[0] for m in sys.modules}})}}))
win.close()
"""


def _start(db_path: Path, tmp_path: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), db=str(db_path))],
                         capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_main_window_start_does_not_import_heavy_libraries(demo_db, tmp_path: Path) -> None:
    path = demo_db.path
    demo_db.dispose()
    report = _start(path, tmp_path)
    assert report["busy"] is False
    assert report["page"] == "page_dashboard"
    assert "PySide6" in report["modules"] and "sqlalchemy" in report["modules"]  # it really started
    assert [m for m in HEAVY if m in report["modules"]] == []
