"""`main.py deadlines` prints the year's expected reports as CSV (and fails cleanly)."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from cli.deadlines import COLUMNS
from main import main

ROOT = Path(__file__).resolve().parent.parent


def test_deadlines_csv(demo_db, capsys) -> None:  # noqa: ANN001
    assert main(["deadlines", "--db", str(demo_db.path), "--year", "2026"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 32 * 12  # 10 months + the six-month and annual reports; June and December stand in
    feb = next(r for r in rows if r["period"] == "2026-02" and r["unit_code"] == "SNV")
    assert feb == {"unit_code": "SNV", "report_type": "Báo cáo tháng", "period": "2026-02",
                   "window_start": "2026-01-15", "window_end": "2026-02-14",
                   "due_wording": "trước ngày 18 hằng tháng", "last_on_time_day": "2026-02-23"}  # Tết
    h1 = next(r for r in rows if r["period"] == "2026-H1")
    assert (h1["window_start"], h1["window_end"], h1["last_on_time_day"]) == ("2025-12-15", "2026-06-14", "2026-06-15")
    assert not any(r["period"] in ("2026-06", "2026-12") for r in rows)
    days = [r["last_on_time_day"] for r in rows]
    assert days == sorted(days)


def test_deadlines_bad_input(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    assert main(["deadlines", "--db", str(tmp_path / "none.sqlite"), "--year", "2026"]) == 1
    assert "Lỗi" in capsys.readouterr().err
    assert main(["deadlines", "--db", str(tmp_path / "none.sqlite"), "--year", "20260"]) == 1


def test_deadlines_as_a_process(demo_db) -> None:  # noqa: ANN001
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "deadlines", "--db", str(demo_db.path),
                          "--year", "2027"], capture_output=True, text=True, encoding="utf-8", check=True).stdout
    lines = out.splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 1 + 32 * 12
    assert any(line.startswith("SNV,Báo cáo tháng,2027-02,") and line.endswith(",2027-02-17") for line in lines)


def test_status_json_adds_report_timeliness(demo_db, capsys) -> None:  # noqa: ANN001
    import json

    assert main(["status", "--db", str(demo_db.path), "--json", "--date", "2026-12-06"]) == 0
    data = json.loads(capsys.readouterr().out)
    units = {u["code"]: u for u in data["units"]}
    gl = units["UBND-GL"]["reports"]
    # UBND-GL: November 2026 is missing; the annual 2026 and the 2027 periods are not due yet.
    assert gl["chua_nop"] >= 1 and gl["chua_den_han"] == 4 and gl["expected"] == 25
    judged = gl["dung_han"] + gl["tre_han"] + gl["chua_nop"]
    assert gl["completeness"] == round((gl["dung_han"] + gl["tre_han"]) / judged, 4)
    assert gl["timeliness"] == round(gl["dung_han"] / judged, 4)
    assert units["SKHCN"]["reports"]["expected"] == 0 and units["SKHCN"]["reports"]["completeness"] is None
    assert "tasks" in units["UBND-GL"]
