"""`report` and `remind` as headless commands: files written and read back, numbers taken
from the register (and reused for the same period and date), one-line errors with exit 1."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=180)


@pytest.fixture()
def dbfile(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, target)
    return target


def _register(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT symbol, kind, period, doc_date FROM outgoing_document ORDER BY id").fetchall()


def test_report_docx_then_pdf_share_one_number(dbfile: Path, tmp_path: Path) -> None:
    base = ["--db", str(dbfile), "--period", "2026-11", "--date", "2026-12-06"]
    out = run("report", *base, "--format", "docx", "--out", str(tmp_path / "bc.docx"))
    assert out.returncode == 0, out.stderr
    assert "Đã tạo Báo cáo số 01/BC-SKHCN ngày 06/12/2026" in out.stdout
    d = Document(str(tmp_path / "bc.docx"))
    assert d.tables[0].cell(1, 0).paragraphs[0].text == "Số: 01/BC-SKHCN"
    assert d.tables[0].cell(1, 1).paragraphs[0].text == "Hải Dương, ngày 06 tháng 12 năm 2026"
    out = run("report", *base, "--out", str(tmp_path / "bc.pdf"))  # format from the file name
    assert out.returncode == 0, out.stderr
    text = unicodedata.normalize("NFC", PdfReader(str(tmp_path / "bc.pdf")).pages[0].extract_text())
    assert "Số: 01/BC-SKHCN" in text and "BÁO CÁO" in text
    assert _register(dbfile) == [("01/BC-SKHCN", "report", "2026-11", "2026-12-06")]


def test_report_xlsx_needs_no_number(dbfile: Path, tmp_path: Path) -> None:
    out = run("report", "--db", str(dbfile), "--period", "2026-11", "--format", "xlsx", "--out",
              str(tmp_path / "pl.xlsx"), "--date", "2026-12-06")
    assert out.returncode == 0, out.stderr
    wb = load_workbook(tmp_path / "pl.xlsx")
    assert wb.sheetnames[0] == "Phụ lục 01" and wb["Phụ lục 01"].page_setup.orientation == "landscape"
    assert _register(dbfile) == []


def test_remind_pdf(dbfile: Path, tmp_path: Path) -> None:
    out = run("remind", "--db", str(dbfile), "--period", "2026-11", "--format", "pdf", "--out",
              str(tmp_path / "cv.pdf"), "--date", "2026-12-06", "--deadline", "2026-12-11")
    assert out.returncode == 0, out.stderr
    assert "Đã tạo Công văn số 01/SKHCN-QLKH" in out.stdout
    text = unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in PdfReader(str(tmp_path / "cv.pdf")).pages))
    assert "V/v đôn đốc báo cáo" in text and "chậm nhất ngày 11/12/2026" in text and "UBND huyện Gia Lộc" in text
    with sqlite3.connect(dbfile) as c:
        assert c.execute("SELECT count(*) FROM reminder_log WHERE channel = 'công văn'").fetchone() == (3,)
    assert _register(dbfile) == [("01/SKHCN-QLKH", "reminder", "2026-11", "2026-12-06")]


@pytest.mark.parametrize("args, needle", [
    (("report", "--period", "2026-13", "--format", "pdf"), "Kỳ báo cáo không hợp lệ"),
    (("report", "--period", "2026-11", "--format", "odt"), "--format"),
    (("report", "--period", "2026-11", "--format", "pdf", "--date", "6/12/2026"), "--date"),
    (("remind", "--period", "2026-11", "--format", "xlsx"), "--format"),
    (("remind", "--period", "2026-12", "--format", "pdf", "--date", "2026-12-06"), "không cần công văn đôn đốc"),
])
def test_bad_input_is_one_line_exit_1(dbfile: Path, tmp_path: Path, args: tuple[str, ...], needle: str) -> None:
    out = run(*args, "--db", str(dbfile), "--out", str(tmp_path / "x.out"))
    assert out.returncode == 1, out.stderr
    assert out.stderr.strip().count("\n") == 0 and needle in out.stderr
    assert not (tmp_path / "x.out").exists() and _register(dbfile) == []


def test_missing_database(tmp_path: Path) -> None:
    out = run("report", "--db", str(tmp_path / "none.sqlite"), "--period", "2026-11", "--out", str(tmp_path / "a.pdf"))
    assert out.returncode == 1 and "Không tìm thấy" in out.stderr
    assert not (tmp_path / "none.sqlite").exists()
