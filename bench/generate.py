"""Deterministic synthetic databases at N× the demo's scale, for the benchmarks.

At scale N (10 by default):
- 35·N reporting units (10× = 350): departments, mass organisations and, mostly, communes
  (after the 2025 reform communes report directly), in three group units, plus the
  secretariat (SKHCN), which owes nothing;
- N years of periods ending with `until`'s year (10× = 2017-01 … 2026-12);
- the demo's regime (monthly before the 18th, six-monthly, annual) with the stand-in
  switched off, so a unit owes 14 reports a year: 10× ≈ 49,700 expected reports, generated
  by services.regime (the same code the application uses);
- incoming reports for ~93 % of the expected reports whose window has closed (~8 % late);
- 15·N tasks (one plan of 15 per year), each with a lead, cooperating units and, for one
  task in three, every commune;
- the six activity indicators for every reporting unit and closed month (10× ≈ 250,000
  values, linked to the monthly report when there is one) and yearly province-wide values
  for the numeric targets.

Same scale and `until` → the same database (seeded random numbers, fixed timestamps).
Rows are written with Core `insert()` executemany; the seed's report types, indicators and
agency header come from services.demo so the data looks like the demo's.

    python bench/generate.py --scale 10 --out bench/data/bench-10x.sqlite
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.gen_names import COMMUNE, DEPT, GROUPS, MASS, PROFILES, unit_specs  # noqa: E402
from models import (  # noqa: E402
    Assignment,
    DirectiveDocument,
    ExpectedReport,
    IncomingReport,
    Indicator,
    IndicatorValue,
    ReportType,
    Setting,
    Task,
    Unit,
)
from models.db import head_revision, open_database  # noqa: E402
from services import demo  # noqa: E402
from services.demo_history import receipt_date  # noqa: E402
from services.periods import Period, add_months  # noqa: E402
from services.regime import regenerate_in  # noqa: E402
from services.text import search_key  # noqa: E402

DEFAULT_UNTIL = date(2026, 12, 6)
PARAMS_KEY = "bench.generator"
FORMAT_VERSION = 2  # bump when the generated content changes, so cached files are rebuilt
CHUNK = 20_000

CHANNELS = ("email", "email", "eoffice", "eoffice", "paper")


@dataclass(frozen=True)
class Scale:
    """What scale N means in rows."""

    units: int  # reporting units
    years: int
    tasks: int

    @staticmethod
    def of(n: float) -> Scale:
        return Scale(units=max(4, round(35 * n)), years=max(1, round(n)), tasks=max(3, round(15 * n)))


@dataclass(frozen=True)
class GenerateResult:
    path: Path
    scale: float
    until: date
    counts: dict[str, int]
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)


def _chunks(rows: Iterable[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    buf: list[dict] = []
    for r in rows:
        buf.append(r)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def _bulk(s: Session, table: Any, rows: Iterable[dict]) -> int:
    n = 0
    for chunk in _chunks(rows):
        s.execute(insert(table), chunk)
        n += len(chunk)
    return n


# ---- units ---------------------------------------------------------------------------
def _units(s: Session, rng: random.Random, sc: Scale, start: date, stamp: datetime) -> dict[str, list[int]]:
    """Insert groups, the secretariat and the reporting units; returns unit ids by group."""
    _plan, members = demo.load_seed()
    seed_depts = [m["name"] for m in members["groups"]["SBN"]["members"] if m["code"] != demo.SECRETARIAT]
    rows: list[dict] = []
    group_id: dict[str, int] = {}
    for i, (code, name, _g) in enumerate(GROUPS, start=1):
        group_id[_g] = i
        rows.append(dict(id=i, code=code, name=name, group=_g, is_group=True, owes_reports=False))
    secretariat_id = len(rows) + 1
    rows.append(dict(id=secretariat_id, code=demo.SECRETARIAT, name="Sở Khoa học và Công nghệ", group=DEPT,
                     parent_id=group_id[DEPT], owes_reports=False))
    by_group: dict[str, list[int]] = {DEPT: [], COMMUNE: [], MASS: []}
    for code, name, g in unit_specs(rng, sc.units, seed_depts):
        uid = len(rows) + 1
        by_group[g].append(uid)
        rows.append(dict(id=uid, code=code, name=name, group=g, parent_id=group_id[g], owes_reports=True,
                         contact_person=f"Cán bộ đầu mối {code}", phone=f"0220 3{uid:03d} {100 + uid % 900:03d}",
                         email=f"{code.lower()}@example.gov.vn"))
    for order, r in enumerate(rows, start=1):
        r.setdefault("parent_id", None)
        r.setdefault("is_group", False)
        r.update(search_key=search_key(r["code"], r["name"]), short_name="", notes="", active_from=start,
                 sort_order=order * 10, updated_at=stamp)
        for k in ("contact_person", "phone", "email"):
            r.setdefault(k, "")
    _bulk(s, Unit, rows)
    by_group["secretariat"] = [secretariat_id]
    by_group["groups"] = list(group_id.values())
    return by_group


# ---- plans and tasks -------------------------------------------------------------------
def _tasks(s: Session, rng: random.Random, sc: Scale, first_year: int, until: date, stamp: datetime,
           units: dict[str, list[int]]) -> tuple[int, int]:
    plan, _members = demo.load_seed()
    seed_tasks = plan["tasks"]
    reporting = units[DEPT] + units[MASS] + units[COMMUNE]
    leads = units[DEPT] or reporting
    commune_group = units["groups"][1]
    plan_ids = []
    for k in range(sc.years):
        y = first_year + k
        res = s.execute(insert(DirectiveDocument).values(
            symbol=f"{k + 1}/KH-UBND", doc_type="Kế hoạch", doc_date=date(y, 1, 15),
            issuer="Ủy ban nhân dân tỉnh",
            title=f"Kế hoạch tuyên truyền chuyển đổi số năm {y} (dữ liệu benchmark)",
            search_key=search_key(f"Kế hoạch tuyên truyền chuyển đổi số năm {y}"), is_plan=True,
            start_period=f"{y}-01", notes="", updated_at=stamp))
        plan_ids.append(res.inserted_primary_key[0])
    tasks: list[dict] = []
    assigns: list[dict] = []
    for i in range(sc.tasks):
        k = min(i // 15, sc.years - 1)
        y = first_year + k
        t = seed_tasks[i % len(seed_tasks)]
        code = t["id"] if i < 15 * sc.years else f"{t['id']}-{i // len(seed_tasks)}"
        dated = i % 2 == 1
        due = date(y, 3 + i % 10, 15) if dated else None
        tid = i + 1
        tasks.append(dict(id=tid, plan_id=plan_ids[k], code=code, section=t["section"], text=t["text"],
                          search_key=search_key(code, t["text"]), due_date=due, recurring=not dated,
                          sort_order=i, updated_at=stamp))
        chosen: dict[int, tuple[str, int | None]] = {rng.choice(leads): ("chủ trì", None)}
        for u in rng.sample(reporting, min(len(reporting), rng.randint(2, 4))):
            chosen.setdefault(u, ("phối hợp", None))
        if i % 3 == 2:  # one task in three goes to the commune group: one row per commune
            for u in units[COMMUNE]:
                chosen.setdefault(u, ("phối hợp", commune_group))
        for u, (role, via) in chosen.items():
            assigns.append(_assignment(rng, tid, u, role, via, due, until, stamp))
    _bulk(s, Task, tasks)
    _bulk(s, Assignment, assigns)
    return len(tasks), len(assigns)


def _assignment(rng: random.Random, tid: int, uid: int, role: str, via: int | None, due: date | None,
                until: date, stamp: datetime) -> dict:
    r = rng.random()
    past = due is not None and due < until
    done_share, doing_share = (0.8, 0.95) if past else (0.1, 0.7)
    progress, completed, text = "chua", None, ""
    if r < done_share:
        ref = due if due is not None else until - timedelta(days=60)
        completed = min(until, ref + timedelta(days=rng.randint(-40, 25)))
        progress, text = "xong", "Đã hoàn thành nội dung được giao."
    elif r < doing_share:
        progress, text = "dang", "Đang triển khai thực hiện."
    return dict(task_id=tid, unit_id=uid, role=role, via_unit_id=via, progress=progress,
                completion_date=completed, result_text=text, difficulties="", source="bench", updated_at=stamp)


# ---- regime, incoming reports, indicator values ----------------------------------------
def _regime(s: Session, first_year: int, stamp: datetime, secretariat_id: int) -> dict[str, int]:
    plan, _members = demo.load_seed()
    plan = dict(plan, document=dict(plan["document"], start=f"{first_year}-01"))
    units = {demo.SECRETARIAT: SimpleNamespace(id=secretariat_id)}
    demo._agency(s, units, stamp)  # the demo's header data and signer
    demo._report_types(s, plan, stamp)
    demo._indicators(s, plan, units, stamp)
    s.flush()
    # Stand-in off: every month's monthly report is owed too (14 reports a unit a year).
    s.execute(update(ReportType).values(stand_in_enabled=False, updated_at=stamp))
    return {code: rid for code, rid in s.execute(select(ReportType.code, ReportType.id))}


def _months(first_year: int, last: str) -> list[str]:
    out, (y, m) = [], (first_year, 1)
    while f"{y}-{m:02d}" <= last:
        out.append(f"{y}-{m:02d}")
        y, m = add_months(y, m, 1)
    return out


def _activity(rng: random.Random, units: dict[str, list[int]], months: list[str]) -> dict[tuple[int, str], dict]:
    out = {}
    for g in (DEPT, MASS, COMMUNE):
        prof = PROFILES[g]
        for uid in units[g]:
            for m in months:
                v = {code: rng.randint(lo, hi) for code, (lo, hi) in prof.items()}
                if not v["HD-HN"]:  # no meeting, nobody attended one
                    v["HD-NGUOI"] = 0
                out[(uid, m)] = v
    return out


def _summary(label: str, unit_name: str, v: dict[str, int] | None) -> str:
    head = f"Kết quả tuyên truyền thực hiện Nghị quyết số 57-NQ/TW {label} của {unit_name}"
    if v is None:
        return head + "."
    return (f"{head}: đăng {v['HD-TIN']} tin, bài và {v['HD-MXH']} bài trên mạng xã hội; tổ chức "
            f"{v['HD-HN']} hội nghị với {v['HD-NGUOI']} lượt người tham dự; treo {v['HD-PANO']} pano, áp phích.")


def _incoming(s: Session, rng: random.Random, until: date, stamp: datetime, monthly_type: int,
              activity: dict[tuple[int, str], dict]) -> dict[tuple[int, str], int]:
    """Incoming reports for closed windows; returns monthly report ids by (unit, month)."""
    names = dict(s.execute(select(Unit.id, Unit.name)).all())
    codes = dict(s.execute(select(Unit.id, Unit.code)).all())
    expected = s.execute(select(ExpectedReport.id, ExpectedReport.unit_id, ExpectedReport.report_type_id,
                                ExpectedReport.period, ExpectedReport.month_key, ExpectedReport.window_end,
                                ExpectedReport.last_on_time_day)
                         .order_by(ExpectedReport.month_key, ExpectedReport.period, ExpectedReport.unit_id)).all()
    latest = max((e.month_key for e in expected if e.last_on_time_day < until), default="")
    numbers: dict[tuple[int, int], int] = {}
    labels: dict[str, str] = {}
    monthly: dict[tuple[int, str], int] = {}
    rows = []
    for e in expected:
        if e.window_end >= until:
            continue
        received = receipt_date(rng, e, until, latest)
        if received is None:
            continue
        key = (e.unit_id, received.year)
        numbers[key] = numbers.get(key, 0) + 1
        if e.period not in labels:
            labels[e.period] = Period.parse(e.period).label()
        is_monthly = e.report_type_id == monthly_type
        summary = _summary(labels[e.period], names[e.unit_id],
                           activity.get((e.unit_id, e.month_key)) if is_monthly else None)
        rid = len(rows) + 1
        if is_monthly:
            monthly[(e.unit_id, e.month_key)] = rid
        rows.append(dict(id=rid, expected_report_id=e.id, unit_id=e.unit_id, report_type_id=e.report_type_id,
                         period=e.period, doc_number=f"{numbers[key]:02d}/BC-{codes[e.unit_id]}", doc_date=received - timedelta(
                             days=rng.randint(0, 2)), received_date=received, channel=rng.choice(CHANNELS),
                         summary=summary, search_key=search_key(summary), form_id="", form_checksum="",
                         created_by="bench", created_at=stamp, updated_at=stamp))
    _bulk(s, IncomingReport, rows)
    return monthly


def _values(s: Session, rng: random.Random, activity: dict[tuple[int, str], dict],
            monthly: dict[tuple[int, str], int], first_year: int, until: date, stamp: datetime) -> int:
    ind = dict(s.execute(select(Indicator.code, Indicator.id)).all())

    def rows() -> Iterator[dict]:
        for (uid, m), vals in activity.items():
            rep = monthly.get((uid, m))
            src = f"report:{rep}" if rep else "user:bench"
            for code, v in vals.items():
                yield dict(indicator_id=ind[code], unit_id=uid, period=m, value=float(v), source=src,
                           incoming_report_id=rep, entered_at=stamp)
        # Province-wide yearly figures for the numeric targets, drifting towards the target.
        targets = s.execute(select(Indicator.id, Indicator.target_value)
                            .where(Indicator.family == "target", Indicator.target_value.is_not(None))
                            .order_by(Indicator.id)).all()
        for tid, target in targets:
            for y in range(first_year, until.year):
                share = 0.4 + 0.5 * (y - first_year + 1) / max(1, until.year - first_year)
                yield dict(indicator_id=tid, unit_id=None, period=str(y),
                           value=round(target * share * rng.uniform(0.9, 1.1), 2), source="bench",
                           incoming_report_id=None, entered_at=stamp)

    return _bulk(s, IndicatorValue, rows())


# ---- entry points ------------------------------------------------------------------------
def generate(path: str | Path, scale: float = 10, until: date = DEFAULT_UNTIL) -> GenerateResult:
    """Create a new database file at `path` (which must not exist) at N× the demo scale."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    sc = Scale.of(scale)
    first_year = until.year - sc.years + 1
    stamp = datetime(until.year, until.month, until.day, 8, 0, 0)
    rng = random.Random(20260301)
    phases: dict[str, float] = {}
    t0 = time.perf_counter()
    db = open_database(path)
    phases["schema"] = time.perf_counter() - t0
    counts: dict[str, int] = {}
    try:
        with db.session() as s:
            t = time.perf_counter()
            units = _units(s, rng, sc, date(first_year, 1, 1), stamp)
            types = _regime(s, first_year, stamp, units["secretariat"][0])
            counts["tasks"], counts["assignments"] = _tasks(s, rng, sc, first_year, until, stamp, units)
            phases["units, regime, tasks"] = time.perf_counter() - t
            t = time.perf_counter()
            counts["expected"] = regenerate_in(s, until).total
            phases["expected reports (services.regime)"] = time.perf_counter() - t
            t = time.perf_counter()
            closed = max(m for (m,) in s.execute(select(ExpectedReport.month_key)
                                                 .where(ExpectedReport.window_end < until)))
            activity = _activity(rng, units, _months(first_year, closed))
            monthly = _incoming(s, rng, until, stamp, types["BC-THANG"], activity)
            phases["incoming reports"] = time.perf_counter() - t
            t = time.perf_counter()
            counts["indicator_values"] = _values(s, rng, activity, monthly, first_year, until, stamp)
            phases["indicator values"] = time.perf_counter() - t
            s.add(Setting(key=PARAMS_KEY, value=json.dumps(_params(scale, until), sort_keys=True)))
            t = time.perf_counter()
        phases["commit"] = time.perf_counter() - t
        with db.session() as s:
            counts["units"] = s.scalar(select(func.count()).select_from(Unit)) or 0
            counts["reporting_units"] = sum(len(units[g]) for g in (DEPT, MASS, COMMUNE))
            counts["incoming"] = s.scalar(select(func.count()).select_from(IncomingReport)) or 0
    finally:
        db.dispose()
    return GenerateResult(path, scale, until, counts, time.perf_counter() - t0, phases)


def _params(scale: float, until: date) -> dict:
    # The schema revision too: a file from an older schema is rebuilt, not migrated.
    return dict(scale=scale, until=until.isoformat(), format=FORMAT_VERSION, schema=head_revision())


def params_of(path: Path) -> dict | None:
    """The generator parameters stored in a generated file, or None (not ours / unreadable)."""
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = ?", (PARAMS_KEY,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


def ensure(path: Path, scale: float, until: date = DEFAULT_UNTIL) -> GenerateResult | None:
    """Reuse `path` when it was generated with the same parameters; else (re)build it.
    Returns the generation result, or None when the cached file was reused."""
    if path.exists() and params_of(path) == _params(scale, until):
        return None
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.with_suffix(".json").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    res = generate(path, scale, until)
    save_stats(path, res)
    return res


def save_stats(path: Path, res: GenerateResult) -> None:
    """Keep how long the generation took beside the file, for runs that reuse it."""
    data = {"seconds": res.seconds, "counts": res.counts, "phases": res.phases}
    path.with_suffix(".json").write_text(json.dumps(data, indent=1), encoding="utf-8")


def load_stats(path: Path) -> dict | None:
    try:
        return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic database at N× the demo's scale.")
    ap.add_argument("--scale", type=float, default=10)
    ap.add_argument("--until", type=date.fromisoformat, default=DEFAULT_UNTIL)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    out = args.out or ROOT / "bench" / "data" / f"bench-{args.scale:g}x.sqlite"
    res = ensure(out, args.scale, args.until)
    if res is None:
        print(f"{out}: already generated with the same parameters, reused.")
        return 0
    print(f"{out}: {res.seconds:.1f} s")
    for k, v in res.counts.items():
        print(f"  {k:18} {v:>9,}")
    for k, v in res.phases.items():
        print(f"  {k:38} {v:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
