"""DOCX renderer: render a realistic BÁO CÁO and read the file back with python-docx.

Also owns ``sample_document()``, the sample the PDF and XLSX tests reuse.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Length

from services import docmodel as dm
from services.render_docx import render_docx

AGENCY = "Sở Khoa học và Công nghệ"


def task_table(n: int = 45) -> dm.Table:
    units = ["Sở Nội vụ", "Sở Tài chính", "Sở Giáo dục và Đào tạo", "Sở Y tế",
             "Công an tỉnh", "UBND huyện Gia Lộc", "Báo Hải Dương", "Sở Thông tin và Truyền thông"]
    status = ["Hoàn thành đúng hạn", "Đang thực hiện trong hạn", "Hoàn thành quá hạn",
              "Chưa thực hiện (quá hạn)"]
    rows: list[list[dm.Cell]] = [
        [str(i + 1), f"Triển khai nhiệm vụ số {i + 1} về chuyển đổi số, đổi mới sáng tạo",
         units[i % len(units)], status[i % len(status)], f"{(i % 28) + 1:02d}/06/2025"]
        for i in range(n)
    ]
    rows.append(["", "Tổng cộng", "", f"{n} nhiệm vụ", ""])
    return dm.Table(
        columns=[dm.Column("TT", 0.6, dm.CENTER), dm.Column("Nhiệm vụ", 4.0),
                 dm.Column("Đơn vị chủ trì", 2.0), dm.Column("Tình trạng", 2.0),
                 dm.Column("Thời hạn", 1.3, dm.CENTER)],
        rows=rows, bold_rows={n}, title="Bảng 1. Tình hình thực hiện nhiệm vụ",
    )


def indicator_table() -> dm.Table:
    header: list[list[str | None]] = [
        ["TT", "Đơn vị", "Báo cáo phải nộp", "Đã nhận", None, "Chưa nộp", "Tỷ lệ đúng hạn (%)"],
        [dm.MERGE_UP, dm.MERGE_UP, dm.MERGE_UP, "Đúng hạn", "Trễ hạn", dm.MERGE_UP, dm.MERGE_UP],
    ]
    rows: list[list[dm.Cell]] = [
        [str(i + 1), f"Đơn vị thứ {i + 1} (Ủy ban nhân dân xã Tiên Động)", 12, 10 - i % 3, i % 3, 2, 83.5]
        for i in range(30)
    ]
    return dm.Table(
        columns=[dm.Column("TT", 0.5, dm.CENTER), dm.Column("Đơn vị", 4.0),
                 dm.Column("Phải nộp", 1.2, dm.RIGHT), dm.Column("Đúng hạn", 1.2, dm.RIGHT),
                 dm.Column("Trễ hạn", 1.2, dm.RIGHT), dm.Column("Chưa nộp", 1.2, dm.RIGHT),
                 dm.Column("Tỷ lệ", 1.4, dm.RIGHT)],
        header_rows=header, rows=rows, landscape=True, sheet_name="Phụ lục 01",
        title="Tình hình gửi báo cáo của các đơn vị", note="(Số liệu tính đến ngày 14/12/2025)",
    )


def sample_document() -> dm.OfficialDocument:
    body: list[dm.Block] = [
        dm.Paragraph("Thực hiện Kế hoạch số 125/KH-UBND ngày 10/3/2025 của Ủy ban nhân dân tỉnh "
                     "về thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá "
                     "phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia, "
                     f"{AGENCY} báo cáo kết quả thực hiện năm 2025 như sau:"),
        dm.Heading(1, "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN"),
        dm.Heading(2, "1. Công tác lãnh đạo, chỉ đạo"),
        dm.Paragraph("Các sở, ban, ngành và Ủy ban nhân dân cấp xã đã ban hành kế hoạch, văn bản "
                     "triển khai; tổ chức quán triệt, tuyên truyền sâu rộng đến cán bộ, công chức."),
        dm.Heading(3, "a) Kết quả thực hiện nhiệm vụ"),
        task_table(),
        dm.Heading(1, "II. TỒN TẠI, HẠN CHẾ, NGUYÊN NHÂN"),
        dm.Paragraph("Một số đơn vị gửi báo cáo chậm so với thời hạn quy định; chất lượng số liệu "
                     "chưa đồng đều."),
        dm.Heading(1, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"),
        dm.Paragraph("Tiếp tục đôn đốc các đơn vị hoàn thành nhiệm vụ được giao đúng tiến độ."),
        dm.Heading(1, "IV. ĐỀ XUẤT, KIẾN NGHỊ"),
        dm.Paragraph("Đề nghị Ủy ban nhân dân tỉnh chỉ đạo các đơn vị nghiêm túc thực hiện chế độ "
                     "báo cáo định kỳ."),
        dm.Paragraph(f"Trên đây là báo cáo của {AGENCY}./.", indent=True),
    ]
    issued = date(2026, 1, 5)
    return dm.OfficialDocument(
        parent_agency="UBND tỉnh Hải Dương", agency=AGENCY, number="05/BC-SKHCN",
        place="Hải Dương", issue_date=issued, doc_type="Báo cáo",
        subject="Kết quả thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị năm 2025",
        recipients=["Ủy ban nhân dân tỉnh"], blocks=body,
        signature=dm.Signature("KT. Giám đốc", "Phó Giám đốc", "Nguyễn Văn An"),
        distribution=["- Như trên;", "- Ban Chỉ đạo tỉnh;", "- Giám đốc, các PGĐ Sở;",
                      "- Lưu: VT, QLKH."],
        annexes=[dm.Annex(
            "Phụ lục 01", "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM 2025",
            dm.annex_reference("Báo cáo", "05/BC-SKHCN", issued, AGENCY),
            blocks=[indicator_table()], landscape=True)],
    )


@pytest.fixture(scope="module")
def docx_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_docx(sample_document(), tmp_path_factory.mktemp("docx") / "bao_cao.docx")


def _mm(*lengths: Length) -> tuple[float, ...]:
    # Word stores twips, so 210 mm comes back as 209.99 mm.
    return tuple(round(x.mm, 1) for x in lengths)


def _find(document, text: str):  # noqa: ANN001, ANN202
    """First paragraph (body or any table cell) whose text equals `text`."""
    for p in document.paragraphs:
        if p.text == text:
            return p
    for t in document.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if p.text == text:
                        return p
    raise AssertionError(f"not found: {text!r}")


def _font(p) -> tuple[str | None, float, bool, bool]:  # noqa: ANN001
    r = p.runs[0]
    rfonts = r._element.rPr.rFonts
    assert rfonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert rfonts.get(qn("w:cs")) == "Times New Roman"
    return r.font.name, r.font.size.pt, bool(r.font.bold), bool(r.font.italic)


def test_page_setup(docx_file: Path) -> None:
    d = Document(str(docx_file))
    s = d.sections[0]
    assert _mm(s.page_width, s.page_height) == (210, 297)
    assert s.orientation == WD_ORIENT.PORTRAIT
    assert _mm(s.top_margin, s.bottom_margin, s.left_margin, s.right_margin) == (20, 20, 30, 15)


@pytest.mark.parametrize("text, size, bold, italic", [
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True, False),
    ("Độc lập - Tự do - Hạnh phúc", 13, True, False),
    ("UBND TỈNH HẢI DƯƠNG", 13, False, False),
    ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", 13, True, False),
    ("Số: 05/BC-SKHCN", 13, False, False),
    ("Hải Dương, ngày 05 tháng 01 năm 2026", 14, False, True),
    ("BÁO CÁO", 14, True, False),
    ("Kết quả thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị năm 2025", 14, True, False),
    ("Kính gửi: Ủy ban nhân dân tỉnh.", 14, False, False),
    ("Nơi nhận:", 12, True, True),
    ("- Lưu: VT, QLKH.", 11, False, False),
    ("KT. GIÁM ĐỐC", 14, True, False),
    ("PHÓ GIÁM ĐỐC", 14, True, False),
    ("Nguyễn Văn An", 14, True, False),
])
def test_header_and_signature_fonts(docx_file: Path, text: str, size: float, bold: bool,
                                    italic: bool) -> None:
    p = _find(Document(str(docx_file)), text)
    assert _font(p) == ("Times New Roman", size, bold, italic)


def test_body_paragraph_format(docx_file: Path) -> None:
    p = _find(Document(str(docx_file)), "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN")
    pf = p.paragraph_format
    assert pf.alignment == 3  # justify
    assert abs(pf.first_line_indent.cm - 1.27) < 0.01
    assert pf.space_after.pt == 6
    assert 1.15 <= pf.line_spacing <= 1.5
    assert _font(p) == ("Times New Roman", 14, True, False)


def test_header_table_two_columns_with_widths(docx_file: Path) -> None:
    t = Document(str(docx_file)).tables[0]
    assert len(t.columns) == 2
    grid = [int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == [round(75 / 25.4 * 1440), round(90 / 25.4 * 1440)]
    assert _mm(t.cell(0, 0).width, t.cell(0, 1).width) == (75, 90)
    assert t._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"
    # Rules under the agency name and the tiêu ngữ: bordered empty paragraphs.
    for col in (0, 1):
        borders = t.cell(0, col)._tc.xpath(".//w:pBdr/w:top")
        assert borders and borders[0].get(qn("w:val")) == "single"


def test_data_table_repeats_header_row(docx_file: Path) -> None:
    d = Document(str(docx_file))
    t = next(t for t in d.tables if t.cell(0, 1).text == "Nhiệm vụ")
    assert len(t.rows) == 1 + 46
    assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert t.rows[1]._tr.trPr is None or t.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert t.cell(46, 1).paragraphs[0].runs[0].font.bold  # the total row
    assert t.cell(1, 0).paragraphs[0].runs[0].font.size.pt in (12, 13)


def test_merged_two_row_header(docx_file: Path) -> None:
    d = Document(str(docx_file))
    t = next(t for t in d.tables if t.cell(0, 1).text == "Đơn vị")
    assert t.cell(0, 3).text == "Đã nhận" and t.cell(0, 3)._tc is t.cell(0, 4)._tc
    assert t.cell(1, 0)._tc.tcPr.vMerge is not None  # TT spans both header rows
    assert t.cell(1, 3).text == "Đúng hạn"
    assert all(t.rows[i]._tr.trPr.find(qn("w:tblHeader")) is not None for i in (0, 1))
    assert t.cell(2, 2).text == "12" and t.cell(2, 6).text == "83,5"


def test_page_numbers_from_page_two(docx_file: Path) -> None:
    d = Document(str(docx_file))
    s = d.sections[0]
    assert s.different_first_page_header_footer
    instr = " ".join(x.text for x in s.header._element.iter(qn("w:instrText")))
    assert "PAGE" in instr
    assert s.header.paragraphs[0].alignment == 1  # centred
    assert not s.first_page_header.is_linked_to_previous
    assert "PAGE" not in s.first_page_header._element.xml
    for later in d.sections[1:]:
        assert not later.different_first_page_header_footer
        assert later.header.is_linked_to_previous  # inherits the numbered header


def test_annex_is_a_landscape_section(docx_file: Path) -> None:
    d = Document(str(docx_file))
    last = d.sections[-1]
    assert len(d.sections) == 2
    assert last.orientation == WD_ORIENT.LANDSCAPE
    assert _mm(last.page_width, last.page_height) == (297, 210)
    assert last.start_type == 2  # new page
    _find(d, "Phụ lục 01")
    ref = _find(d, "(Kèm theo Báo cáo số 05/BC-SKHCN ngày 05/01/2026 của Sở Khoa học và Công nghệ)")
    assert ref.runs[0].font.italic


def test_letter_with_many_recipients(tmp_path: Path) -> None:
    doc = dm.OfficialDocument(
        agency=AGENCY, parent_agency="UBND tỉnh Hải Dương", number="12/SKHCN-VP",
        place="Hải Dương", issue_date=date(2026, 6, 3), subject="đôn đốc gửi báo cáo tháng 5",
        recipients=["Các sở, ban, ngành", "UBND các xã, phường;"],
        blocks=[dm.Paragraph("Nội dung & <đôn đốc>.")],
        signature=dm.Signature("", "Giám đốc", "Trần Thị Bình"), distribution=["Như trên;", "Lưu: VT."])
    d = Document(str(render_docx(doc, tmp_path / "cv.docx")))
    assert _find(d, "V/v đôn đốc gửi báo cáo tháng 5").runs[0].font.size.pt == 12
    _find(d, "Hải Dương, ngày 03 tháng 6 năm 2026")
    _find(d, "- Các sở, ban, ngành;")
    _find(d, "- UBND các xã, phường.")
    _find(d, "Nội dung & <đôn đốc>.")
    _find(d, "- Lưu: VT.")
    assert not any(p.text == "" and p.runs and p.runs[0].font.bold for p in d.paragraphs[:3])
    assert len(d.sections) == 1
