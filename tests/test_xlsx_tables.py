"""XLSX tables: formula escaping, print settings, repeated rows, export_rows."""
from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from services import docmodel as dm
from services.xlsx_tables import export_rows, write_tables

try:  # the sample lives with the DOCX tests; tests/ may or may not be a package
    from tests.test_render_docx import indicator_table, task_table
except ImportError:  # pragma: no cover
    from test_render_docx import indicator_table, task_table

DANGEROUS = ["=SUM(A1)", "+1+1", "-2+3", "@cmd", "=HYPERLINK(\"http://x\",\"y\")"]


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_tables_one_sheet_each_with_print_settings(tmp_path: Path) -> None:
    path = write_tables(tmp_path / "t.xlsx", [task_table(), indicator_table()],
                        heading=["SỞ KHOA HỌC VÀ CÔNG NGHỆ"])
    wb = load_workbook(path)
    assert len(wb.worksheets) == 2
    ws1, ws2 = wb.worksheets
    assert ws1.title == "Bảng 1. Tình hình thực hiện"  # ≤ 31 characters, whole words
    assert ws2.title == "Phụ lục 01"
    # Titles on top: heading, title, (note), blank, then the header.
    assert ws1["A1"].value == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert ws1["A2"].value == "Bảng 1. Tình hình thực hiện nhiệm vụ" and ws1["A2"].font.b
    assert ws1["B4"].value == "Nhiệm vụ" and ws1["B4"].font.b and ws1["B4"].alignment.wrap_text
    assert ws1["B4"].border.left.style == "thin" and ws1["B5"].border.bottom.style == "thin"
    assert ws1.print_title_rows == "$4:$4"
    assert ws1.freeze_panes == "A5"
    assert ws1["A5"].value == "1" and ws1["B50"].value == "Tổng cộng" and ws1["B50"].font.b
    for ws, orient in ((ws1, "portrait"), (ws2, "landscape")):
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.page_setup.orientation == orient
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.oddFooter.center.text == "Trang &P/&N"
    # Column widths follow the relative widths (TT narrow, Nhiệm vụ widest).
    widths = [ws1.column_dimensions[c].width for c in "ABCDE"]
    assert widths[1] == max(widths) and widths[0] == min(widths)
    assert abs(widths[1] / widths[2] - 2.0) < 0.05


def test_two_row_header_is_merged_and_repeated(tmp_path: Path) -> None:
    ws = load_workbook(write_tables(tmp_path / "t.xlsx", [indicator_table()])).active
    # title, note, blank, header rows 4–5
    assert ws["A1"].value == "Tình hình gửi báo cáo của các đơn vị"
    assert ws["A2"].value == "(Số liệu tính đến ngày 14/12/2025)" and ws["A2"].font.i
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "D4:E4", "F4:F5", "G4:G5"} <= merged
    assert ws["D4"].value == "Đã nhận" and ws["D5"].value == "Đúng hạn"
    assert ws.print_title_rows == "$4:$5"
    assert ws.freeze_panes == "A6"
    assert ws["C6"].value == 12 and ws["G6"].value == 83.5  # numbers stay numbers


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    t = dm.Table([dm.Column("Nội dung"), dm.Column("Số")], [[v, 1] for v in DANGEROUS],
                 title="=Tiêu đề")
    path = write_tables(tmp_path / "t.xlsx", [t])
    xml = _sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(path).active
    assert ws["A1"].value == "=Tiêu đề" and ws["A1"].data_type == "s"
    got = [ws.cell(row=4 + i, column=1) for i in range(len(DANGEROUS))]
    assert [c.value for c in got] == DANGEROUS
    assert all(c.data_type == "s" and c.quotePrefix for c in got)


def test_export_rows(tmp_path: Path) -> None:
    rows = [["=1+1", "Sở Tài chính", date(2026, 5, 17), 3, None],
            ["-5", "Ủy ban nhân dân xã Tiên Động, tỉnh Hải Dương", date(2026, 6, 1), 12, "@x"]]
    path = export_rows(tmp_path / "e.xlsx", ["Mã", "Đơn vị", "Hạn", "Số", "Ghi chú"], rows,
                       title="Danh sách đơn vị")
    assert "<f>" not in _sheet_xml(path)
    ws = load_workbook(path).active
    assert ws["A1"].value == "Danh sách đơn vị" and ws["A1"].font.b
    assert ws["A3"].value == "Mã" and ws["A3"].font.b
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:E5"
    assert ws["A4"].value == "=1+1" and ws["A4"].data_type == "s"
    assert ws["A5"].value == "-5" and ws["A5"].data_type == "s"
    assert ws["E5"].value == "@x" and ws["E5"].data_type == "s"
    assert ws["C4"].number_format == "DD/MM/YYYY" and ws["C4"].value.date() == date(2026, 5, 17)
    assert ws["D5"].value == 12
    w = {c: ws.column_dimensions[c].width for c in "ABCDE"}
    assert w["B"] > w["A"] and w["B"] >= len(rows[1][1])
    assert ws.page_setup.paperSize == 9 and ws.oddFooter.center.text == "Trang &P/&N"


def test_export_rows_without_title_or_rows(tmp_path: Path) -> None:
    ws = load_workbook(export_rows(tmp_path / "e.xlsx", ["A", "B"], [])).active
    assert ws["A1"].value == "A" and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:B1"
