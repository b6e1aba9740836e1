"""Consolidated report figures (issue #6): the demo's report rendered straight to PDF vs the
same content rendered to DOCX and converted by LibreOffice headless, and the annual report
on the 10× database."""
from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

from bench.harness import Figure, Goal, median, time_runs

R = "Report"
DEMO_UNTIL = date(2026, 12, 6)  # the demo of the tests (tests/conftest.py)


def soffice(may_install: bool) -> tuple[str | None, str]:
    """The LibreOffice executable, installing the Writer package when allowed (root on
    Debian/Ubuntu); returns (path or None, what happened)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe:
        return exe, ""
    if not may_install:
        return None, "LibreOffice not installed (--no-install given)."
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return None, ("LibreOffice not installed and the bench cannot install it (needs root and apt-get): "
                      "apt-get install -y libreoffice-writer-nogui")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for package in ("libreoffice-writer-nogui", "libreoffice-writer"):
        done = subprocess.run(["apt-get", "install", "-y", "-q", package], env=env, capture_output=True)
        if done.returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
            done = subprocess.run(["apt-get", "install", "-y", "-q", package], env=env, capture_output=True)
        exe = shutil.which("soffice") or shutil.which("libreoffice")
        if exe:
            return exe, f"Installed {package} for the comparison."
    return None, "Installing LibreOffice failed; the PDF comparison was not measured."


def convert(exe: str, docx: Path, outdir: Path, profile: Path) -> Path:
    """`soffice --headless --convert-to pdf`, with its own profile folder (a first start
    creates it, which the warm-up run absorbs)."""
    subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(docx)], check=True, capture_output=True, timeout=300)
    pdf = outdir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice produced no PDF for {docx}")
    return pdf


def _pages(pdf: Path) -> int | None:
    try:
        from pypdf import PdfReader

        return len(PdfReader(str(pdf)).pages)
    except Exception:  # noqa: BLE001 - only informative
        return None


def _annex_rows(db, period: str, when: date) -> str:  # noqa: ANN001 - models.db.Database
    """Rows per annex table, to say what makes a report long (informative only)."""
    try:
        from services.report_annexes import annexes
        from services.report_data import gather

        d = gather(db, period, when)
        sizes = [len(b.rows) for a in annexes(d, "", when) for b in getattr(a, "blocks", [])
                 if getattr(b, "rows", None) is not None]
        return f"annex tables of {', '.join(f'{n:,}' for n in sizes)} rows" if sizes else ""
    except Exception as e:  # noqa: BLE001 - the figure matters, not this note
        return f"(annex sizes unavailable: {type(e).__name__})"


def run(work: Path, big_db: Path, may_install: bool, runs: int = 5) -> tuple[list[Figure], list[str]]:
    from models.db import open_database
    from services.consolidated_report import render_report
    from services.demo_db import create_demo_database

    out = work / "report"
    out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    figs: list[Figure] = []
    demo_path = out / "demo.sqlite"
    create_demo_database(str(demo_path), DEMO_UNTIL, force=True)
    db = open_database(demo_path)
    period = "2026-11"
    try:
        pdf, docx = out / "demo-report.pdf", out / "demo-report.docx"
        direct = time_runs(lambda: render_report(db, period, "pdf", pdf, DEMO_UNTIL), runs=runs)
        to_docx = time_runs(lambda: render_report(db, period, "docx", docx, DEMO_UNTIL), runs=runs)
    finally:
        db.dispose()
    exe, msg = soffice(may_install)
    if msg:
        notes.append(msg)
    page_note = f"demo report {period}, {_pages(pdf) or '?'} pages"
    if exe:
        lo_dir, profile = out / "lo", out / "lo-profile"
        lo_dir.mkdir(exist_ok=True)
        conv = time_runs(lambda: convert(exe, docx, lo_dir, profile), runs=runs)
        libre = median(to_docx) + median(conv)
        figs.append(Figure(R, "Demo report: PDF rendered directly", median(direct), "s", libre,
                           "DOCX + LibreOffice --convert-to pdf", Goal("speedup>=", 5, "≥ 5× faster"),
                           direct, note=f"{page_note}; LibreOffice PDF {_pages(lo_dir / 'demo-report.pdf') or '?'} pages"))
        figs.append(Figure(R, "Demo report: LibreOffice conversion alone", median(conv), "s", runs=conv,
                           note="soffice --headless --convert-to pdf, one process per file, warm profile"))
    else:
        figs.append(Figure(R, "Demo report: PDF rendered directly", median(direct), "s", runs=direct,
                           note=page_note + "; no LibreOffice to compare with"))
    figs.append(Figure(R, "Demo report: DOCX rendered", median(to_docx), "s", runs=to_docx))

    big = open_database(big_db)
    year = str(date.today().year)
    try:
        annual = out / "annual-10x.pdf"
        # Tens of seconds each: three cold runs (no warm-up), which is also how a user meets it.
        t = time_runs(lambda: render_report(big, year, "pdf", annual), runs=min(runs, 3), warmup=0)
        t_docx = time_runs(lambda: render_report(big, year, "docx", out / "annual-10x.docx"),
                           runs=min(runs, 3), warmup=0)
        sizes = _annex_rows(big, year, date.today())
    finally:
        big.dispose()
    figs.append(Figure(R, f"Annual report {year}, 10× database, PDF", median(t), "s",
                       goal=Goal("<", 5, "< 5 s"), runs=t, note=f"{_pages(annual) or '?'} pages; {sizes}"))
    figs.append(Figure(R, f"Annual report {year}, 10× database, DOCX", median(t_docx), "s",
                       goal=Goal("<", 5, "< 5 s"), runs=t_docx))
    return figs, notes
