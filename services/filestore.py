"""Managed files beside the database: stored once by SHA-256, original names kept in rows.

Layout: <db stem>_files/store/ab/abcdef….<ext>. The same content added twice is stored
once; callers learn whether it was already there (the register warns about duplicates).
"""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from models.db import Database
from services.errors import ValidationError

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    original_name: str
    size: int
    path: Path
    already_stored: bool


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def store_dir(db: Database) -> Path:
    return db.data_dir / "store"


def stored_path(db: Database, sha256: str, original_name: str) -> Path:
    ext = Path(original_name).suffix.lower()[:10]
    return store_dir(db) / sha256[:2] / f"{sha256}{ext}"


def store_file(db: Database, source: str | Path) -> StoredFile:
    """Copy a file into the store (atomically: copy to .part, then rename)."""
    src = Path(source)
    if not src.is_file():
        raise ValidationError(f"Không tìm thấy tệp: {src}")
    size = src.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"{src.name}: tệp quá lớn ({size // (1024 * 1024)} MB, tối đa 200 MB).")
    digest = sha256_of(src)
    target = stored_path(db, digest, src.name)
    existed = target.exists()
    if not existed:
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(src, part)
        part.replace(target)
    return StoredFile(digest, src.name, size, target, existed)


def open_path(db: Database, sha256: str, original_name: str) -> Path:
    p = stored_path(db, sha256, original_name)
    if not p.exists():
        raise ValidationError(f"Tệp đính kèm '{original_name}' không còn trong thư mục dữ liệu ({p}).")
    return p


def attachment_path(db: Database, attachment_id: int) -> Path:
    """The stored file of an attachment row (to open or save a copy)."""
    from models import Attachment
    from services.errors import NotFound

    with db.session() as s:
        a = s.get(Attachment, attachment_id)
        if a is None:
            raise NotFound("Không tìm thấy tệp đính kèm.")
        return open_path(db, a.sha256, a.original_name)
