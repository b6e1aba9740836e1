"""Engine and session factory; opening a database checks (and if needed migrates) its schema.

SQLite-only pragmas live here and nowhere else. Alembic is imported only when a
migration actually has to run, so a normal start-up stays light.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class SchemaError(Exception):
    """The database cannot be opened by this version of SecDesk."""


class SchemaTooNew(SchemaError):
    pass


def head_revision() -> str:
    """The newest migration id, read from file names (NNNN_*.py) without importing Alembic."""
    names = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return names[-1][:4]


def known_revisions() -> set[str]:
    return {p.name[:4] for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")}


def to_url(path_or_url: str | Path) -> str:
    s = str(path_or_url)
    return s if "://" in s else f"sqlite:///{Path(s).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DBAPI connection
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    """An open, schema-checked database: the one object services need."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False, future=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if not self.is_sqlite:
            return None
        db = make_url(self.url).database
        return Path(db) if db and db != ":memory:" else None

    @property
    def data_dir(self) -> Path:
        """Folder for managed files (attachments, generated documents): beside the database."""
        p = self.path
        if p is not None:
            return p.with_name(p.stem + "_files")
        from platformdirs import user_data_dir

        return Path(user_data_dir("SecDesk", appauthor=False)) / "server_files"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        s = self._factory()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def dispose(self) -> None:
        self.engine.dispose()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as c:
        if not inspect(c).has_table("alembic_version"):
            return None
        return c.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _has_user_tables(engine: Engine) -> bool:
    with engine.connect() as c:
        return bool([t for t in inspect(c).get_table_names() if t != "alembic_version"])


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def backup_file(path: Path, reason: str) -> Path:
    """Copy a SQLite file (after a checkpoint) next to itself, stamped with time and reason."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix}")
    import sqlite3

    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    return target


def open_database(path_or_url: str | Path, *, create: bool = True) -> Database:
    """Open a database, creating or upgrading its schema as needed.

    - empty/new database: migrated to head;
    - older schema: the file is backed up first, then upgraded;
    - unknown (newer) schema: refused with SchemaTooNew, nothing touched.
    """
    url = to_url(path_or_url)
    if url.startswith("sqlite:///"):
        p = Path(make_url(url).database or "")
        if not p.exists() and not create:
            raise SchemaError(f"Không tìm thấy cơ sở dữ liệu: {p}")
        p.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    rev = current_revision(engine)
    head = head_revision()
    if rev == head:
        return Database(url, engine)
    if rev is not None and rev not in known_revisions():
        engine.dispose()
        raise SchemaTooNew(
            f"Cơ sở dữ liệu được tạo bởi phiên bản SecDesk mới hơn (lược đồ {rev}, "
            f"phiên bản này hỗ trợ đến {head}). Hãy cập nhật SecDesk."
        )
    if rev is None and _has_user_tables(engine):
        engine.dispose()
        raise SchemaError("Tệp này không phải cơ sở dữ liệu SecDesk (thiếu thông tin phiên bản lược đồ).")
    db = Database(url, engine)
    if rev is not None and db.path is not None:
        engine.dispose()
        backup_file(db.path, f"before-upgrade-{rev}")
    upgrade(engine)
    return db
