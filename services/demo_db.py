"""Create a demo database file (used by the CLI `demo` command, `make run` and the GUI's
first start)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from models.db import backup_file, open_database, to_url
from services.errors import ServiceError


class DemoExists(ServiceError):
    pass


def create_demo_database(path_or_url: str, until: date, force: bool = False) -> dict[str, int]:
    from services.demo import build_demo

    url = to_url(path_or_url)
    if url.startswith("sqlite:///"):
        p = Path(url[len("sqlite:///"):])
        if p.exists():
            if not force:
                raise DemoExists(f"Tệp {p} đã tồn tại; dùng --force để tạo lại (tệp cũ sẽ được sao lưu).")
            backup_file(p, "before-demo")
            for suffix in ("", "-wal", "-shm"):
                Path(str(p) + suffix).unlink(missing_ok=True)
    db = open_database(url)
    try:
        return build_demo(db, until)
    finally:
        db.dispose()
