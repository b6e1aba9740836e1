"""What every benchmark shares: timing (median of several runs after a warm-up), figures
with their baseline, ratio and goal, the machine's description, and the printed table /
RESULTS.md. Benchmarks report ratios to a baseline measured in the same run, so the
figures mean something on another machine too.
"""
from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Goal:
    """kind: "ratio<=" (value ÷ baseline), "speedup>=" (baseline ÷ value), "<", "<=", ">=" (value)."""

    kind: str
    limit: float
    text: str

    def met(self, value: float, baseline: float | None) -> bool | None:
        if self.kind == "ratio<=":
            return None if not baseline else value / baseline <= self.limit
        if self.kind == "speedup>=":
            return None if not value or baseline is None else baseline / value >= self.limit
        return {"<": value < self.limit, "<=": value <= self.limit, ">=": value >= self.limit}[self.kind]


@dataclass
class Figure:
    section: str
    name: str
    value: float | None  # median; None when it could not be measured
    unit: str = "s"
    baseline: float | None = None
    baseline_name: str = ""
    goal: Goal | None = None
    runs: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        if self.goal is None or self.value is None:
            return None
        return self.goal.met(self.value, self.baseline)


def time_runs(fn: Callable[[], object], runs: int = 5, warmup: int = 1,
              setup: Callable[[], object] | None = None) -> list[float]:
    """Wall-clock seconds of `fn` over `runs` runs (after `warmup` untimed ones);
    `setup` runs untimed before each call."""
    out = []
    for i in range(warmup + runs):
        if setup:
            setup()
        t = time.perf_counter()
        fn()
        dt = time.perf_counter() - t
        if i >= warmup:
            out.append(dt)
    return out


def median(xs: list[float]) -> float:
    return statistics.median(xs)


# ---- machine ------------------------------------------------------------------------
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:  # noqa: BLE001 - only informative
        return "?"


def _soffice_version() -> str:
    from shutil import which

    exe = which("soffice") or which("libreoffice")
    if not exe:
        return "not installed"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
        return out.stdout.strip() or exe
    except (OSError, subprocess.SubprocessError):
        return exe


def machine() -> dict[str, str]:
    ram = _ram_gb()
    return {
        "Date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "CPU": _cpu_model(),
        "Cores (os.cpu_count)": str(os.cpu_count()),
        "RAM": f"{ram:.1f} GB" if ram else "?",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "PySide6": _version("PySide6"),
        "SQLAlchemy": _version("SQLAlchemy"),
        "SQLite": sqlite3.sqlite_version,
        "Qt platform": os.environ.get("QT_QPA_PLATFORM", "(default)"),
        "LibreOffice": _soffice_version(),
    }


# ---- output -------------------------------------------------------------------------
def fmt_value(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "s":
        return f"{v * 1000:.0f} ms" if v < 10 else f"{v:.1f} s"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:.1f} {unit}"


def _met_text(m: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "—"}[m]


def ratio_text(f: Figure) -> str:
    if f.ratio is None:
        return "—"
    if f.ratio and f.goal is not None and f.goal.kind == "speedup>=":
        return f"{1 / f.ratio:.1f}× faster"
    return f"{f.ratio:.2f}×"


def rows(figures: list[Figure]) -> list[list[str]]:
    out = []
    for f in figures:
        base = fmt_value(f.baseline, f.unit) if f.baseline is not None else "—"
        if f.baseline_name and f.baseline is not None:
            base = f"{base} ({f.baseline_name})"
        ratio = ratio_text(f)
        out.append([f.section, f.name, fmt_value(f.value, f.unit), base, ratio,
                    f.goal.text if f.goal else "—", _met_text(f.met), f.note])
    return out


HEADERS = ["Area", "Figure", "Median", "Baseline", "Ratio", "Goal", "Result", "Note"]


def print_table(figures: list[Figure]) -> None:
    table = [HEADERS[:7]] + [r[:7] for r in rows(figures)]
    widths = [min(48, max(len(r[i]) for r in table)) for i in range(7)]
    for r in table:
        print("  ".join(c[:w].ljust(w) for c, w in zip(r, widths, strict=True)))
    for f in figures:
        if f.note:
            print(f"  * {f.name}: {f.note}")


def markdown(figures: list[Figure], info: dict[str, str], preface: str, notes: list[str]) -> str:
    lines = [preface.rstrip(), "", "## Machine", ""]
    lines += [f"- **{k}:** {v}" for k, v in info.items()]
    lines += ["", "## Figures", "", "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for r in rows(figures):
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
    met = [f for f in figures if f.met is True]
    missed = [f for f in figures if f.met is False]
    lines += ["", "## Goals", ""]
    def line(f: Figure) -> str:
        ratio = f", {ratio_text(f)}" + ("" if "faster" in ratio_text(f) else " baseline") if f.ratio else ""
        return f"{f.section} — {f.name}: {fmt_value(f.value, f.unit)}{ratio} (goal {f.goal.text if f.goal else ''})."

    lines += [f"- Met: {line(f)}" for f in met]
    lines += [f"- **Missed:** {line(f)}" for f in missed]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"
