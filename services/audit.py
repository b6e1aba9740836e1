"""Audit trail: every write records who, when and old → new.

Services call `apply_changes` to update an ORM row from a dict of new values;
it returns the changed fields and writes the audit row in the same transaction.
"""
from __future__ import annotations

import getpass
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditLog


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some Windows set-ups
        return "secdesk"


def _plain(v: Any) -> Any:
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def record(s: Session, table: str, row_id: int, action: str,
           changes: dict[str, tuple[Any, Any]] | None = None, user: str | None = None) -> None:
    s.add(AuditLog(
        user=user or current_user(), table_name=table, row_id=row_id, action=action,
        changes=json.dumps({k: [_plain(a), _plain(b)] for k, (a, b) in (changes or {}).items()},
                           ensure_ascii=False),
    ))


def apply_changes(s: Session, obj: Any, values: dict[str, Any], *, action: str = "update",
                  user: str | None = None) -> dict[str, tuple[Any, Any]]:
    """Set attributes that differ, audit them, and return {field: (old, new)}."""
    changed: dict[str, tuple[Any, Any]] = {}
    for key, new in values.items():
        old = getattr(obj, key)
        if old != new:
            changed[key] = (old, new)
            setattr(obj, key, new)
    if changed:
        s.flush()
        record(s, obj.__tablename__, obj.id, action, changed, user)
    return changed


def record_insert(s: Session, obj: Any, fields: list[str], user: str | None = None) -> None:
    s.flush()
    record(s, obj.__tablename__, obj.id, "insert",
           {f: (None, getattr(obj, f)) for f in fields}, user)


def history(s: Session, table: str, row_id: int) -> list[dict[str, Any]]:
    rows = s.scalars(select(AuditLog).where(AuditLog.table_name == table, AuditLog.row_id == row_id)
                     .order_by(AuditLog.id)).all()
    return [{"at": r.at, "user": r.user, "action": r.action, "changes": json.loads(r.changes or "{}")}
            for r in rows]
