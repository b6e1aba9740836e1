"""Database maintenance: integrity check, backup to a zip, restore from one."""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, text

from models.base import Base
from models.db import Database, backup_file, current_revision, head_revision
from services.errors import ServiceError, ValidationError


@dataclass
class CheckReport:
    url: str
    schema: str | None
    head: str
    integrity: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.schema == self.head


def check_database(db: Database) -> CheckReport:
    with db.session() as s:
        if db.is_sqlite:
            rows = s.execute(text("PRAGMA integrity_check")).scalars().all()
            fk = s.execute(text("PRAGMA foreign_key_check")).all()
            integrity = "ok" if rows == ["ok"] and not fk else "; ".join(map(str, rows + fk))[:500]
        else:
            integrity = "ok"
        counts = {t.name: s.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in Base.metadata.sorted_tables}
    safe_url = db.url.split("@")[-1] if "@" in db.url else db.url
    return CheckReport(safe_url, current_revision(db.engine), head_revision(), integrity, counts)


def backup_database(db: Database, out: str | Path) -> Path:
    """Zip a consistent snapshot of the SQLite file (online backup API) plus managed files."""
    if db.path is None:
        raise ServiceError("Sao lưu trong SecDesk chỉ dành cho SQLite; với PostgreSQL hãy dùng pg_dump.")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp) / "secdesk.sqlite"
        src = sqlite3.connect(db.path)
        dst = sqlite3.connect(snap)
        with dst:
            src.backup(dst)
        dst.close()
        src.close()
        partial = out.with_suffix(out.suffix + ".part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(snap, "secdesk.sqlite")
            files = db.data_dir
            if files.exists():
                for f in sorted(files.rglob("*")):
                    if f.is_file():
                        z.write(f, f"files/{f.relative_to(files).as_posix()}")
            z.writestr("BACKUP.txt", f"SecDesk backup {datetime.now().isoformat(timespec='seconds')}\n")
        partial.replace(out)  # never leave a half-written backup under the real name
    return out


def restore_database(zip_path: str | Path, target: str | Path) -> Path:
    """Restore a backup zip over `target`; the current file is backed up first."""
    zip_path, target = Path(zip_path), Path(target)
    try:
        z = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as e:
        raise ValidationError(f"{zip_path.name}: không phải tệp sao lưu SecDesk ({e})") from e
    with z:
        if "secdesk.sqlite" not in z.namelist():
            raise ValidationError(f"{zip_path.name}: thiếu secdesk.sqlite, không phải tệp sao lưu SecDesk")
        if target.exists():
            backup_file(target, "before-restore")
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        with z.open("secdesk.sqlite") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
        files_dir = target.with_name(target.stem + "_files")
        for name in z.namelist():
            if name.startswith("files/") and not name.endswith("/"):
                rel = Path(name[len("files/"):])
                if ".." in rel.parts or rel.is_absolute():
                    continue  # a crafted zip must not write outside the data folder
                dest = files_dir / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                with z.open(name) as src, open(dest, "wb") as dst:
                    shutil.copyfileobj(src, dst)
    return target
