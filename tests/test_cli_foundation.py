"""main.py as a headless program: help, demo, check, backup, unavailable commands."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_help_lists_every_command() -> None:
    out = run("--help")
    assert out.returncode == 0
    for cmd in ("demo", "deadlines", "status", "report", "remind", "forms", "backup", "check"):
        assert cmd in out.stdout


def test_demo_then_check_then_backup(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    out = run("demo", "--db", str(db), "--until", "2026-03-20")
    assert out.returncode == 0, out.stderr
    assert "Đã tạo cơ sở dữ liệu demo" in out.stdout
    out = run("check", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "Kiểm tra toàn vẹn: ok" in out.stdout
    assert "unit" in out.stdout
    out = run("backup", "--db", str(db), "--out", str(tmp_path / "b.zip"))
    assert out.returncode == 0, out.stderr
    assert "secdesk.sqlite" in zipfile.ZipFile(tmp_path / "b.zip").namelist()
    again = run("demo", "--db", str(db))
    assert again.returncode == 1 and "đã tồn tại" in again.stderr


def test_bad_input_is_one_line_and_nonzero(tmp_path: Path) -> None:
    out = run("demo", "--db", str(tmp_path / "y.sqlite"), "--until", "hôm qua")
    assert out.returncode == 1
    assert out.stderr.strip().count("\n") == 0 and "--until" in out.stderr
    out = run("check", "--db", str(tmp_path / "missing.sqlite"))
    assert out.returncode == 1 and "Không tìm thấy" in out.stderr
