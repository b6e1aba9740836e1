"""Schema management on real SQLite files: create, upgrade with backup, refuse newer."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from models.base import Base
from models.db import (
    SchemaError,
    SchemaTooNew,
    current_revision,
    head_revision,
    make_engine,
    open_database,
    upgrade,
)


def test_upgraded_empty_database_matches_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(f"sqlite:///{tmp_path / 'a.sqlite'}")
    upgrade(engine)
    with engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_new_database_is_at_head_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite")
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert list(tmp_path.glob("*before-upgrade*")) == []


def test_older_database_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0001")
    with engine.begin() as c:
        c.execute(text("INSERT INTO unit (code, name, search_key, \"group\", is_group, contact_person, phone, email,"
                       " owes_reports, notes, sort_order, short_name, version) VALUES ('A', 'Đơn vị A', 'don vi a',"
                       " 'Khác', 0, '', '', '', 1, '', 0, '', 1)"))
    engine.dispose()
    db = open_database(path)
    assert current_revision(db.engine) == head_revision()
    backups = list(tmp_path.glob("old.before-upgrade-0001-*.sqlite"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("select version_num from alembic_version").fetchone()[0] == "0001"
    assert con.execute("select name from unit").fetchone()[0] == "Đơn vị A"
    con.close()
    # Opening again at head: no second backup.
    db.dispose()
    open_database(path).dispose()
    assert len(list(tmp_path.glob("old.before-upgrade-*"))) == 1


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    open_database(path).dispose()
    con = sqlite3.connect(path)
    con.execute("update alembic_version set version_num = '9999'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="mới hơn"):
        open_database(path)
    assert path.read_bytes() == before


def test_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("create table t (x)")
    con.commit()
    con.close()
    with pytest.raises(SchemaError, match="không phải"):
        open_database(path)
