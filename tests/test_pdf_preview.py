"""The in-app print path renders every PDF page, landscape pages in landscape."""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from gui.widgets.pdf_preview import load_pdf, paint_pdf


def test_paint_pdf_prints_each_page_in_its_orientation(qapp, tmp_path: Path) -> None:  # noqa: ANN001
    src = tmp_path / "in.pdf"
    c = canvas.Canvas(str(src), pagesize=A4)
    c.drawString(100, 700, "Trang 1")
    c.showPage()
    c.setPageSize(landscape(A4))
    c.drawString(100, 400, "Trang 2")
    c.showPage()
    c.save()
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert paint_pdf(load_pdf(src), printer) == 2
    pages = PdfReader(out).pages
    assert len(pages) == 2
    w0, h0 = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    w1, h1 = float(pages[1].mediabox.width), float(pages[1].mediabox.height)
    assert h0 > w0 and w1 > h1
