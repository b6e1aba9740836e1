"""Agency header data and small application settings."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select

from models import Agency, Setting
from models.db import Database
from services import audit

DEFAULTS = {
    "due_soon_days": "7",  # "sắp đến hạn" threshold for tasks
    "reminder_lead_days": "3",
    "user_name": "",
    "upcoming_days": "14",  # dashboard: deadlines shown this many days ahead
}


@dataclass
class AgencyInfo:
    parent_name: str = ""
    name: str = ""
    abbreviation: str = ""
    place: str = ""
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    drafting_unit: str = ""
    report_recipients: str = ""
    unit_id: int | None = None
    version: int = 0


def get_agency(db: Database) -> AgencyInfo:
    with db.session() as s:
        a = s.get(Agency, 1)
        if a is None:
            return AgencyInfo()
        return AgencyInfo(**{k: getattr(a, k) for k in AgencyInfo.__dataclass_fields__})


def save_agency(db: Database, info: AgencyInfo) -> AgencyInfo:
    from services.locking import check_version

    values = {k: v for k, v in asdict(info).items() if k != "version"}
    with db.session() as s:
        a = s.get(Agency, 1)
        if a is None:
            a = Agency(id=1, **values)
            s.add(a)
            audit.record_insert(s, a, list(values))
        else:
            check_version(a, info.version, "thông tin cơ quan")
            audit.apply_changes(s, a, values)
    return get_agency(db)


def get_setting(db: Database, key: str) -> str:
    with db.session() as s:
        row = s.get(Setting, key)
        return row.value if row else DEFAULTS.get(key, "")


def get_int(db: Database, key: str) -> int:
    try:
        return int(get_setting(db, key))
    except ValueError:
        return int(DEFAULTS.get(key, "0"))


def set_setting(db: Database, key: str, value: str) -> None:
    with db.session() as s:
        row = s.get(Setting, key)
        old = row.value if row else None
        if row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value
        if old != value:
            audit.record(s, "setting", 0, "update", {key: (old, value)})


def all_settings(db: Database) -> dict[str, str]:
    with db.session() as s:
        out = dict(DEFAULTS)
        out.update({r.key: r.value for r in s.scalars(select(Setting))})
        return out
