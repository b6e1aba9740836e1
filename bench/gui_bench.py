"""GUI figures, each measured in fresh child processes (bench/gui_child.py): start-up to a
usable main window vs a bare QMainWindow started the same way, peak memory, and the first
visit of the dashboard and of the register page (with scrolling to its end) vs the same
rows in a minimal table model fed by plain sqlite3."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Figure, Goal, median

CHILD = Path(__file__).with_name("gui_child.py")
PYCACHE = Path(__file__).with_name("data") / "pycache"


def run_child(mode: str, db: Path | None = None, timeout: float = 300) -> tuple[float, dict]:
    """(seconds from just before the process was started until it reported, its JSON)."""
    with tempfile.TemporaryDirectory(prefix="secdesk-bench-") as home:
        env = dict(os.environ, XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
                   QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   # Byte-code cached as in an installed application, outside the source tree.
                   PYTHONPYCACHEPREFIX=str(PYCACHE))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        args = [sys.executable, str(CHILD), mode] + ([str(db)] if db else [])
        env["BENCH_T0"] = repr(time.time())
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            line = proc.stdout.readline() if proc.stdout else ""
            elapsed = time.perf_counter() - t0
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        if proc.returncode != 0 or not line.strip():
            raise RuntimeError(f"{mode} child failed ({proc.returncode}): {err[-2000:]}")
        return elapsed, json.loads(line)


def startup(db: Path, runs: int = 5) -> tuple[list[Figure], list[str]]:
    """Interleaved runs (bare, app, bare, app…) after one untimed warm-up of each, so disk
    caches and CPU frequency treat both alike. Times are from just before the process was
    started to the moment the child reports (gui_child.py)."""
    bare, ready, idle, rss, bare_rss = [], [], [], [], []
    phases: dict[str, list[float]] = {}
    notes: list[str] = []
    last: dict = {}
    for i in range(runs + 1):
        _e, b = run_child("bare")
        _e, a = run_child("app", db)
        if i == 0:
            continue
        bare.append(b["ready"])
        bare_rss.append(b["peak_rss_mb"])
        ready.append(a["ready"])
        idle.append(a["idle_at"])
        rss.append(a["peak_rss_mb"])
        for k, v in a.get("phases", {}).items():
            phases.setdefault(k, []).append(v)
        last = a
    base = median(bare)
    # Where the time goes: each step's share, from the medians of the moments it ended.
    steps, prev = [], 0.0
    labels = {"imports": "Python, PySide6, SQLAlchemy and app imports", "qapplication": "QApplication and fonts",
              "open_database": "open and check the database", "main_window": "main window with the dashboard's data"}
    for key, label in labels.items():
        if key in phases:
            at = median(phases[key])
            steps.append(f"{label} {(at - prev) * 1000:.0f} ms")
            prev = at
    steps.append(f"first paint {(median(ready) - prev) * 1000:.0f} ms")
    notes.append("Start-up, where the time goes (medians): " + "; ".join(steps) + ".")
    figs = [
        Figure("Start-up", "Main window usable, dashboard data shown", median(ready), "s", base,
               "bare QMainWindow", Goal("ratio<=", 4, "≤ 4× bare"), ready,
               note=f"first page {last.get('page')}"),
        Figure("Start-up", "… and background update of expected reports done", median(idle), "s", base,
               "bare QMainWindow", None, idle, note="services.regime.regenerate run by gui.file_actions.start_session"),
        Figure("Start-up", "Peak memory (RSS) up to that point", median(rss), "MB", median(bare_rss),
               "bare QMainWindow", Goal("<=", 300, "≤ 300 MB"), rss),
    ]
    if last.get("heavy"):
        notes.append(f"Start-up imported heavy libraries: {', '.join(last['heavy'])}.")
    if last.get("idle") is False:
        notes.append("Start-up: background work was still running when the measurement stopped.")
    if last.get("has_data") is False:
        notes.append("Start-up: the first page had not shown its data when the measurement stopped.")
    return figs, notes


def pages(db: Path, runs: int = 5) -> tuple[list[Figure], list[str]]:
    app_runs: list[dict] = []
    plain_runs: list[dict] = []
    for i in range(runs + 1):
        _e, a = run_child("pages", db)
        _e, p = run_child("plain_table", db)
        if i:
            app_runs.append(a)
            plain_runs.append(p)
    notes = []
    last = app_runs[-1]
    if last.get("dashboard_class") == "PlaceholderPage" or last.get("incoming_class") == "PlaceholderPage":
        notes.append("The dashboard or register page is still a placeholder: its figures measure the placeholder.")

    def med(runs_: list[dict], key: str) -> float | None:
        xs = [r[key] for r in runs_ if key in r]
        return median(xs) if xs else None

    plain_open, plain_scroll = med(plain_runs, "open"), med(plain_runs, "scroll_end")
    rows = last.get("rows")
    plain_rows = plain_runs[-1]["rows"]
    figs = [
        Figure("Pages", "Open the dashboard (first visit)", med(app_runs, "dashboard_open"), "s",
               goal=Goal("<", 0.3, "< 0.3 s"), runs=[r["dashboard_open"] for r in app_runs]),
        Figure("Pages", "Open the register page (first visit, latest month)", med(app_runs, "incoming_open"),
               "s", goal=Goal("<", 0.3, "< 0.3 s"), runs=[r["incoming_open"] for r in app_runs]),
    ]
    if "register_all_open" in last:
        figs.append(Figure("Pages", f"Register, all periods: first paint ({rows:,} rows)",
                           med(app_runs, "register_all_open"), "s", plain_open,
                           f"sqlite3 + minimal model, {plain_rows:,} rows", None,
                           [r["register_all_open"] for r in app_runs],
                           note="Báo cáo đến page, show_filtered(register=True): every period, register tab"))
    else:
        notes.append("The register page has no show_filtered(register=True): all-periods figure not measured.")
    figs.append(Figure("Pages", f"Register: scroll to the end ({rows if rows is not None else '?'} rows)",
                       med(app_runs, "scroll_end"), "s", plain_scroll, "sqlite3 + minimal model", None,
                       [r["scroll_end"] for r in app_runs if "scroll_end" in r],
                       note="" if rows else "no table found on the register page"))
    return figs, notes
