"""Print preview and printing of a generated PDF inside SecDesk, so an officer needs no
other program: pages are rendered by QtPdf at the printer's resolution."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QTransform
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget


def load_pdf(path: str | Path) -> QPdfDocument:
    doc = QPdfDocument()
    doc.load(str(path))
    if doc.status() != QPdfDocument.Status.Ready:
        raise OSError(f"Không đọc được tệp PDF: {path}")
    return doc


def paint_pdf(doc: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page onto the printer, each page in its own orientation. Returns pages."""
    painter = QPainter()
    first = True
    for i in range(doc.pageCount()):
        size_pt: QSizeF = doc.pagePointSize(i)
        landscape = size_pt.width() > size_pt.height()
        layout = QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                             QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
                             printer.pageLayout().margins())
        # Qt accepts a new layout mid-job only when writing a PDF; a preview or a real
        # printer keeps the first page's layout (pages are turned below instead).
        if first or printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            printer.setPageLayout(layout)
        printer.setFullPage(True)
        if first:
            if not painter.begin(printer):
                return 0
            first = False
        else:
            printer.newPage()
        rect = painter.viewport()
        dpi = printer.resolution()
        w = int(size_pt.width() / 72 * dpi)
        h = int(size_pt.height() / 72 * dpi)
        image = doc.render(i, QSizeF(w, h).toSize())
        if (rect.width() > rect.height()) != landscape:
            # A printer (or the preview) that is already printing keeps the first page's
            # orientation: turn the page so it prints whole and undistorted.
            image = image.transformed(QTransform().rotate(-90))
        painter.drawImage(rect, image)
    if not first:
        painter.end()
    return doc.pageCount()


def preview_pdf(path: str | Path, parent: QWidget | None = None) -> None:
    doc = load_pdf(path)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Xem trước khi in — {Path(path).name}")
    dialog.paintRequested.connect(lambda p: paint_pdf(doc, p))
    dialog.resize(1000, 800)
    dialog.exec()


def print_pdf(path: str | Path, parent: QWidget | None = None) -> bool:
    doc = load_pdf(path)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if QPrintDialog(printer, parent).exec() != QPrintDialog.DialogCode.Accepted:
        return False
    return paint_pdf(doc, printer) > 0
