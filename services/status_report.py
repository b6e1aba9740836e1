"""Per-unit status summary used by `main.py status` (and anything else that wants it).

`task_status_by_unit` builds a plain dict that is easy to extend: each unit entry is a
dict, so another part (report timeliness) can add its own key, e.g. "reports", next to
"tasks" without changing this structure:

    {"as_of": "2026-12-06", "due_soon_days": 7, "classes": {key: label},
     "units": [{"code": "SNV", "name": "Sở Nội vụ", "tasks": {class key: count}}]}

Units listed: every unit with at least one assignment, plus every active unit that owes
reports (zero counts), in the units' display order.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from models import Unit
from models.db import Database
from services import task_status
from services.settings import get_int
from services.units import active_clause


def task_status_by_unit(db: Database, today: date, due_soon_days: int | None = None) -> dict[str, Any]:
    soon = get_int(db, "due_soon_days") if due_soon_days is None else due_soon_days
    counts = task_status.counts_by_unit(db, today, soon)
    with db.session() as s:
        rows = s.execute(select(Unit.code, Unit.name, Unit.owes_reports, active_clause(today))
                         .order_by(Unit.sort_order, Unit.code)).all()
    units = []
    for code, name, owes, active in rows:
        if code not in counts and not (owes and active):
            continue
        units.append({"code": code, "name": name,
                      "tasks": dict(counts.get(code) or dict.fromkeys(task_status.CLASSES, 0))})
    _add_report_timeliness(db, today, units)
    return {"as_of": today.isoformat(), "due_soon_days": soon,
            "classes": {k: task_status.LABELS[k] for k in task_status.CLASSES}, "units": units}


def _add_report_timeliness(db: Database, today: date, units: list[dict[str, Any]]) -> None:
    """Report timeliness per unit under "reports" (services.timeliness): counts per status
    and the completeness / timeliness rates over all periods due so far."""
    from services.timeliness import STATUSES, unit_report_status

    reports = unit_report_status(db, today)
    empty = {"expected": 0, **dict.fromkeys(STATUSES, 0), "received": 0, "completeness": None,
             "timeliness": None}
    for u in units:
        r = reports.get(u["code"])
        u["reports"] = {k: v for k, v in (r or empty).items() if k != "name"}


def format_table(data: dict[str, Any]) -> str:
    """A readable fixed-width table of the same data (the CLI without --json)."""
    short = {  # 8 characters fit a terminal line; the legend below spells them out
        task_status.XONG_DUNG_HAN: "HT đúng", task_status.XONG_QUA_HAN: "HT quá",
        task_status.DANG_TRONG_HAN: "Đang TH", task_status.DANG_QUA_HAN: "Đang QH",
        task_status.CHUA_TRONG_HAN: "Chưa TH", task_status.CHUA_QUA_HAN: "Chưa QH",
        task_status.SAP_DEN_HAN: "Sắp hạn", task_status.THUONG_XUYEN: "Th.xuyên",
    }
    keys = list(task_status.CLASSES)
    head = f"{'Mã':<10} {'Đơn vị':<40} " + " ".join(f"{short[k]:>8}" for k in keys)
    lines = [f"Tình trạng nhiệm vụ đến ngày {data['as_of']} (sắp đến hạn: {data['due_soon_days']} ngày)",
             head, "-" * len(head)]
    totals = dict.fromkeys(keys, 0)
    for u in data["units"]:
        name = u["name"] if len(u["name"]) <= 40 else u["name"][:39] + "…"
        lines.append(f"{u['code']:<10} {name:<40} " + " ".join(f"{u['tasks'][k]:>8}" for k in keys))
        for k in keys:
            totals[k] += u["tasks"][k]
    lines.append("-" * len(head))
    lines.append(f"{'':<10} {'Tổng cộng':<40} " + " ".join(f"{totals[k]:>8}" for k in keys))
    lines.append("Chú thích: " + "; ".join(f"{short[k]} = {task_status.LABELS[k]}" for k in keys))
    return "\n".join(lines)
