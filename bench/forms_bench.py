"""Benchmark of issue #7: importing 350 filled report forms (goal: at least 20 files per
second). The database is the 10× one of bench/generate.py (350 reporting units), copied
into `workdir`; every owing unit's form for the next period due is exported, filled the
way a unit would (openpyxl, not timed) and imported: analysis and commit are timed
apart and together.

    python bench/forms_bench.py [--workdir DIR]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL_FILES_PER_SECOND = 20.0
FORMS = 350


def _fill(path: Path, seed: int) -> None:
    """Answer every task and activity row, as a unit would (values vary per file)."""
    from openpyxl import load_workbook

    from services.forms_common import ACT_FIRST_ROW, ACTIVITY, TASK_FIRST_ROW, TASKS, TEXT

    wb = load_workbook(path)
    ws = wb[TASKS]
    r = TASK_FIRST_ROW
    while ws[f"B{r}"].value:
        ws[f"F{r}"] = "Đang thực hiện" if (seed + r) % 2 else "Chưa thực hiện"
        ws[f"H{r}"] = f"Đã triển khai nội dung (đơn vị {seed}, dòng {r})."
        r += 1
    ws = wb[ACTIVITY]
    r = ACT_FIRST_ROW
    while ws[f"B{r}"].value:
        ws[f"E{r}"] = (seed * 13 + r * 7) % 97
        r += 1
    wb[TEXT]["B4"] = f"Tóm tắt kết quả thực hiện của đơn vị {seed}."
    wb.save(path)


def run(workdir: str | Path, scale: float = 10, until: date | None = None) -> dict:
    """Build (or reuse) the 10× database, export and fill 350 forms, import them; returns
    the figures, files_per_second among them."""
    from bench import generate as gen
    from models.db import open_database
    from services.forms_commit import IMPORTED, analyze_files, commit_all
    from services.forms_export import default_period, export_forms, form_units
    from services.forms_import import OK

    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    until = until or date.today()
    source = ROOT / "bench" / "data" / f"bench-{scale:g}x.sqlite"
    gen.ensure(source, scale, until)
    db_path = work / "forms-bench.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    shutil.rmtree(work / "forms-bench_files", ignore_errors=True)
    shutil.copy(source, db_path)
    db = open_database(db_path)
    try:
        period = default_period(db, until)
        codes = [u.code for u in form_units(db, period) if u.owes][:FORMS]
        forms_dir = work / "forms"
        shutil.rmtree(forms_dir, ignore_errors=True)
        t0 = time.perf_counter()
        exported = export_forms(db, period, forms_dir, codes, today=until)
        t_export = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i, f in enumerate(exported.forms):
            _fill(Path(f.path), i)
        t_fill = time.perf_counter() - t0

        t0, c0 = time.perf_counter(), time.process_time()
        previews = analyze_files(db, [forms_dir], today=until)
        t_analyze = time.perf_counter() - t0
        t0 = time.perf_counter()
        outcomes, _ = commit_all(db, previews)
        t_commit = time.perf_counter() - t0
        cpu = time.process_time() - c0  # the machine may be shared: CPU time says what the import costs
    finally:
        db.dispose()
    n = len(previews)
    total = t_analyze + t_commit
    return {
        "period": period, "units_in_database": len(form_units_all(db_path, period)), "files": n,
        "ready": sum(p.status == OK for p in previews), "imported": sum(o.status == IMPORTED for o in outcomes),
        "export_seconds": round(t_export, 2), "fill_seconds": round(t_fill, 2),
        "analyze_seconds": round(t_analyze, 2), "commit_seconds": round(t_commit, 2),
        "import_seconds": round(total, 2), "import_cpu_seconds": round(cpu, 2),
        "files_per_cpu_second": round(n / cpu, 1) if cpu else 0.0,
        "files_per_second": round(n / total, 1) if total else 0.0,
        "goal_files_per_second": GOAL_FILES_PER_SECOND,
        "goal_met": bool(total) and n / total >= GOAL_FILES_PER_SECOND,
    }


def form_units_all(db_path: Path, period: str) -> list:
    from models.db import open_database
    from services.forms_export import form_units

    db = open_database(db_path)
    try:
        return form_units(db, period, include_all=True)
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark: nhập 350 biểu mẫu Excel (mục tiêu ≥ 20 tệp/giây).")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="secdesk-forms-") as tmp:
        res = run(args.workdir or tmp)
    for k, v in res.items():
        print(f"{k:22} {v}")
    verdict = "đạt" if res["goal_met"] else "CHƯA ĐẠT"
    print(f"Nhập {res['files']} biểu mẫu: {res['files_per_second']} tệp/giây "
          f"(mục tiêu ≥ {GOAL_FILES_PER_SECOND:g}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
