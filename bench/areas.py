"""The benchmark areas of `make bench`, each run by bench/run.py in a fresh process
(`run_area`), so one area's heap, caches and threads cannot slow down the next one."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from bench.harness import Figure

Result = tuple[list[Figure], list[str]]


def run_area(name: str, db_path: Path, until: date, work: Path, runs: int, may_install: bool) -> Result:
    if name == "startup":
        from bench import gui_bench

        return gui_bench.startup(db_path, runs)
    if name == "pages":
        from bench import gui_bench

        return gui_bench.pages(db_path, runs)
    if name == "queries":
        from bench import service_figures

        return service_figures.run(db_path, until, runs)
    if name == "regeneration":
        from bench import query_bench

        return query_bench.regeneration(db_path, until, work, runs), []
    if name == "forms":
        from bench import forms_figures

        return forms_figures.run(work)
    if name == "report":
        from bench import report_bench

        return report_bench.run(work, db_path, may_install, runs)
    raise ValueError(name)
