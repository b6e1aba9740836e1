"""The demo database: deterministic, complete, and sensible."""
from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from models import Assignment, ExpectedReport, Indicator, ReportType, Task, Unit
from services.demo_db import create_demo_database


def _content_hash(path: Path) -> str:
    con = sqlite3.connect(path)
    h = hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    con.close()
    return h


def test_demo_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    create_demo_database(str(a), date(2026, 6, 30))
    create_demo_database(str(b), date(2026, 6, 30))
    assert _content_hash(a) == _content_hash(b)


def test_demo_content(demo_db) -> None:  # noqa: ANN001
    with demo_db.session() as s:
        reporters = s.scalars(select(Unit.code).where(Unit.owes_reports)).all()
        assert len(reporters) == 32 and "SKHCN" not in reporters and "MTTQ" in reporters
        seed_tasks = s.scalars(select(Task).where(~Task.code.startswith("DEMO"))).all()
        assert len(seed_tasks) == 15
        assert {rt.due_wording for rt in s.scalars(select(ReportType))} == {
            "trước ngày 18 hằng tháng", "trước ngày 15 tháng 6", "trước ngày 15 tháng 12 hằng năm"}
        targets = s.scalar(select(func.count()).select_from(Indicator).where(Indicator.family == "target"))
        assert targets == 30
        # A task given to "Các sở, ban, ngành" is one assignment per member unit.
        sbn = s.scalar(select(Unit).where(Unit.code == "SBN"))
        t = s.scalar(select(Task).where(Task.code == "IV.4.a"))
        n = s.scalar(select(func.count()).select_from(Assignment).where(Assignment.task_id == t.id,
                                                                         Assignment.via_unit_id == sbn.id))
        assert n == 17
        assert s.scalar(select(func.count()).select_from(ExpectedReport)) > 500
