"""Shared fixtures: real SQLite files in tmp folders, a demo database built once per run
and copied per test, Qt offscreen with isolated QSettings."""
from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEMO_UNTIL = date(2026, 12, 6)  # fixed, so figures checked in tests never drift


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from services.demo_db import create_demo_database

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    create_demo_database(str(path), DEMO_UNTIL)
    return path


@pytest.fixture()
def demo_db(demo_template: Path, tmp_path: Path):
    """A private copy of the demo database, opened."""
    from models.db import open_database

    target = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, target)
    db = open_database(target)
    yield db
    db.dispose()


@pytest.fixture()
def empty_db(tmp_path: Path):
    from models.db import open_database

    db = open_database(tmp_path / "empty.sqlite")
    yield db
    db.dispose()


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each test writes QSettings under its own tmp folder, never the user's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    if "PySide6" in sys.modules:
        from PySide6.QtCore import QSettings

        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    yield
