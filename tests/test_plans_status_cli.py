"""`main.py status`: per-unit task class counts as JSON and as a table; bad input fails in one line."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from services import task_status as ts
from services.status_report import task_status_by_unit

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_status_json_and_table(demo_db) -> None:  # noqa: ANN001
    path = str(demo_db.path)
    demo_db.dispose()
    out = _run("status", "--db", path, "--json", "--date", "2026-12-06")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["as_of"] == "2026-12-06" and data["due_soon_days"] == 7
    units = {u["code"]: u for u in data["units"]}
    assert units["SNV"]["name"] == "Sở Nội vụ"
    assert units["SNV"]["tasks"][ts.XONG_QUA_HAN] == 1 and units["SNV"]["tasks"][ts.DANG_QUA_HAN] == 1
    assert set(units["SNV"]["tasks"]) == set(ts.CLASSES)
    assert "SBN" not in units and "VPCP" not in units  # groups / recipients without tasks
    assert sum(sum(u["tasks"].values()) for u in data["units"]) == 119
    table = _run("status", "--db", path, "--date", "6/12/2026")
    assert table.returncode == 0 and "Tổng cộng" in table.stdout and "Sở Nội vụ" in table.stdout
    bad = _run("status", "--db", path, "--date", "31/2/2026")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "31/2/2026" in bad.stderr


def test_structure_is_extensible(demo_db) -> None:  # noqa: ANN001
    data = task_status_by_unit(demo_db, date(2026, 12, 6))
    first = data["units"][0]
    first["reports"] = {"on_time": 3}  # another part adds its key beside "tasks"
    assert json.loads(json.dumps(data, ensure_ascii=False))["units"][0]["reports"] == {"on_time": 3}
