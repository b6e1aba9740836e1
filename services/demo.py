"""Demo database from the seed plan (resources/seed): agency, units, documents, the plan's
15 tasks, the reporting regime, the 30 targets and activity indicators; then a realistic
history (services/demo_history.py). Everything is deterministic for a given `until` date.
"""
from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy.orm import Session

from models import (
    Agency,
    Assignment,
    DirectiveDocument,
    Indicator,
    ReportType,
    Task,
    Unit,
)
from models.db import Database
from services.resources import resources_dir
from services.text import search_key

GROUP_UNITS = ("SBN", "UBNDH", "BAODAI")
SECRETARIAT = "SKHCN"
ACTIVITY_INDICATORS = [
    # code, name, unit of measure
    ("HD-TIN", "Tin, bài tuyên truyền", "tin, bài"),
    ("HD-HN", "Hội nghị, hội thảo, tọa đàm", "cuộc"),
    ("HD-NGUOI", "Lượt người tham dự hội nghị, hội thảo, tọa đàm", "lượt người"),
    ("HD-PANO", "Pano, áp phích, băng rôn", "cái"),
    ("HD-PTTH", "Buổi phát thanh, truyền hình", "buổi"),
    ("HD-MXH", "Bài đăng mạng xã hội", "bài"),
]


def load_seed() -> tuple[dict, dict]:
    seed = resources_dir() / "seed"
    plan = json.loads((seed / "plan.json").read_text(encoding="utf-8"))
    members = json.loads((seed / "demo_units.json").read_text(encoding="utf-8"))
    return plan, members


def _stamp(until: date) -> datetime:
    """A fixed timestamp so the same `until` always gives the same database."""
    return datetime(until.year, until.month, until.day, 8, 0, 0)


def build_demo(db: Database, until: date) -> dict[str, int]:
    """Fill an empty database; returns counts of what was created."""
    from services import demo_history
    from services.regime import regenerate_in

    plan, members = load_seed()
    stamp = _stamp(until)
    with db.session() as s:
        units = _units(s, plan, members, stamp)
        _agency(s, units, stamp)
        plan_doc = _documents(s, plan, stamp)
        _tasks(s, plan, plan_doc, units, stamp)
        _report_types(s, plan, stamp)
        _indicators(s, plan, units, stamp)
        s.flush()
        regen = regenerate_in(s, until)
        counts = demo_history.build(s, until, stamp)
    counts.update(units=len(units), expected=regen.total)
    return counts


def _units(s: Session, plan: dict, members: dict, stamp: datetime) -> dict[str, Unit]:
    """All units in one flush (relationships, not ids), so rows are written once."""
    units: dict[str, Unit] = {}
    order = 0
    for u in plan["units"]:
        order += 10
        units[u["code"]] = Unit(code=u["code"], name=u["name"], group=u["group"], notes=u.get("notes", ""),
                                is_group=u["code"] in GROUP_UNITS, owes_reports=u["code"] == "MTTQ",
                                active_from=date(2025, 3, 1), sort_order=order, updated_at=stamp)
    for gcode, g in members["groups"].items():
        for m in g["members"]:
            order += 10
            unit = units.setdefault(m["code"], Unit(code=m["code"], name=m["name"], active_from=date(2025, 3, 1),
                                                    sort_order=order, updated_at=stamp, notes=""))
            unit.parent = units[gcode]
            unit.group = m["group"]
            unit.owes_reports = m["code"] != SECRETARIAT
    phones = 0
    for unit in units.values():
        unit.search_key = search_key(unit.code, unit.name)
        if unit.owes_reports:
            phones += 1
            unit.contact_person = f"Cán bộ đầu mối {unit.code}"
            unit.phone = f"0220 3{phones:03d} {100 + phones * 7:03d}"
            unit.email = f"{unit.code.lower().replace('-', '')}@haiduong.gov.vn"
    s.add_all(units.values())
    s.flush()
    return units


def _agency(s: Session, units: dict[str, Unit], stamp: datetime) -> None:
    s.add(Agency(
        id=1, parent_name="UBND TỈNH HẢI DƯƠNG", name="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        abbreviation="SKHCN", place="Hải Dương", signer_authority="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC", signer_name="Trần Văn Minh (dữ liệu minh họa)",
        drafting_unit="QLKH",
        report_recipients="UBND tỉnh (để báo cáo);\nBan Chỉ đạo thực hiện NQ 57 tỉnh (để báo cáo);\n"
                          "Giám đốc, các Phó Giám đốc Sở;",
        unit_id=units[SECRETARIAT].id, updated_at=stamp,
    ))


def _documents(s: Session, plan: dict, stamp: datetime) -> DirectiveDocument:
    for b in plan["legal_basis"]:
        doc_type = b["title"].split(" ")[0] if b["title"] else ""
        s.add(DirectiveDocument(
            symbol=b["symbol"] or "", doc_type=doc_type,
            doc_date=date.fromisoformat(b["date"]) if b["date"] else None,
            issuer=b["issuer"], title=b["title"], search_key=search_key(b["symbol"], b["title"]),
            updated_at=stamp,
        ))
    d = plan["document"]
    doc = DirectiveDocument(
        symbol="…/KH-UBND", doc_type=d["type"], issuer=d["issuer"], title=d["title"],
        search_key=search_key(d["title"]), is_plan=True, start_period=d["start"],
        notes="Số và ngày ban hành không đọc được trên bản quét.", updated_at=stamp,
    )
    s.add(doc)
    s.flush()
    return doc


def _tasks(s: Session, plan: dict, doc: DirectiveDocument, units: dict[str, Unit],
           stamp: datetime) -> None:
    members_of: dict[int, list[Unit]] = {}
    for u in units.values():
        if u.parent_id:
            members_of.setdefault(u.parent_id, []).append(u)
    for i, t in enumerate(plan["tasks"]):
        task = Task(plan_id=doc.id, code=t["id"], section=t["section"], text=t["text"],
                    search_key=search_key(t["id"], t["text"]),
                    recurring=t["recurrence"] == "thường xuyên", sort_order=i * 10, updated_at=stamp)
        s.add(task)
        s.flush()
        for code, role in [(t["unit_code"], t["role"])] + [(c, "phối hợp") for c in t["cooperating_units"]]:
            assign(s, task, units[code], role, members_of, stamp)


def assign(s: Session, task: Task, unit: Unit, role: str, members_of: dict[int, list[Unit]],
           stamp: datetime) -> None:
    """A task given to a group unit becomes one assignment per member (each reports its own
    progress), remembering the group in via_unit_id."""
    targets = members_of.get(unit.id) if unit.is_group else None
    for m in targets or [unit]:
        if m.code == SECRETARIAT and unit.is_group:
            continue
        s.add(Assignment(task_id=task.id, unit_id=m.id, role=role,
                         via_unit_id=unit.id if targets else None, updated_at=stamp))


def _report_types(s: Session, plan: dict, stamp: datetime) -> None:
    start = plan["document"]["start"]
    by_kind = {r["rule"]["period"]: r for r in plan["reporting_regime"]}
    monthly = ReportType(code="BC-THANG", name="Báo cáo tháng", period_kind="month", cutoff_day=15,
                         due_wording=by_kind["monthly"]["due"], due_day=by_kind["monthly"]["rule"]["day"],
                         due_inclusive=False, start_period=start, sort_order=1, updated_at=stamp)
    s.add(monthly)
    s.flush()
    s.add(ReportType(code="BC-6T", name="Báo cáo 6 tháng", period_kind="half", period_filter="H1",
                     cutoff_day=15, due_wording=by_kind["semiannual"]["due"],
                     due_day=by_kind["semiannual"]["rule"]["day"], due_inclusive=False,
                     stands_in_for_id=monthly.id, start_period=start, sort_order=2, updated_at=stamp))
    s.add(ReportType(code="BC-NAM", name="Báo cáo năm", period_kind="year", cutoff_day=15,
                     due_wording=by_kind["annual"]["due"], due_day=by_kind["annual"]["rule"]["day"],
                     due_inclusive=False, stands_in_for_id=monthly.id, start_period=start,
                     sort_order=3, updated_at=stamp))


def _indicators(s: Session, plan: dict, units: dict[str, Unit], stamp: datetime) -> None:
    order = 0
    for year, key in ((2030, "targets_2030"), (2045, "targets_2045")):
        for t in plan[key]:
            order += 1
            numeric = t["target_value"] is not None
            s.add(Indicator(
                code=t["id"], name=t["indicator"], description=t["text"],
                search_key=search_key(t["id"], t["indicator"], t["text"]), uom=t["unit"] or "",
                aggregation="latest", family="target", target_value=t["target_value"],
                comparison=t["comparison"] or "", target_year=year,
                status="" if numeric else "theo_doi", sort_order=order, updated_at=stamp,
            ))
    for code, name, uom in ACTIVITY_INDICATORS:
        order += 1
        s.add(Indicator(code=code, name=name, search_key=search_key(code, name), uom=uom,
                        aggregation="sum", family="activity", owner_unit_id=units[SECRETARIAT].id,
                        sort_order=order, updated_at=stamp))
