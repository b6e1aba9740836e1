"""PDF renderer: render the sample BÁO CÁO and read it back with pypdf."""
from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from services import docmodel as dm
from services.render_pdf import render_pdf, text_width

try:  # the sample lives with the DOCX tests; tests/ may or may not be a package
    from tests.test_render_docx import sample_document
except ImportError:  # pragma: no cover
    from test_render_docx import sample_document


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    path = render_pdf(sample_document(), tmp_path_factory.mktemp("pdf") / "bao_cao.pdf")
    return PdfReader(str(path))


def _lines_with_y(page) -> list[tuple[str, float]]:  # noqa: ANN001
    out: list[tuple[str, float]] = []

    def visit(text: str, cm, tm, font_dict, font_size) -> None:  # noqa: ANN001
        if text.strip():  # page y = text matrix × current transformation matrix
            out.append((nfc(text.strip()), tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return out


def test_pages_and_vietnamese_text(pdf: PdfReader) -> None:
    assert len(pdf.pages) > 1
    text = nfc("\n".join(p.extract_text() for p in pdf.pages))
    for s in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
              "UBND TỈNH HẢI DƯƠNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 05/BC-SKHCN",
              "Hải Dương, ngày 05 tháng 01 năm 2026", "BÁO CÁO",
              "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN", "IV. ĐỀ XUẤT, KIẾN NGHỊ", "Nơi nhận:",
              "- Lưu: VT, QLKH.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An", "Phụ lục 01",
              "Tỷ lệ đúng hạn", "Ủy ban nhân dân xã Tiên Động"):
        assert nfc(s) in text, s


def test_fonts_embedded(pdf: PdfReader) -> None:
    embedded: set[str] = set()
    for page in pdf.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            f = ref.get_object()
            assert "LiberationSerif" in str(f["/BaseFont"]), f["/BaseFont"]  # no base-14 fonts
            descs = [f] + [d.get_object() for d in f.get("/DescendantFonts", [])]
            for d in descs:
                fd = d.get("/FontDescriptor")
                if fd is not None and "/FontFile2" in fd.get_object():
                    embedded.add(str(d["/BaseFont"]))
    assert any("LiberationSerif" in n and "Bold" not in n and "Italic" not in n for n in embedded)
    assert any("LiberationSerif-BoldItalic" in n for n in embedded)  # "Nơi nhận:"
    assert any("LiberationSerif-Italic" in n for n in embedded)  # the date line
    assert not any("Times" in n or "Helvetica" in n for n in embedded)


def test_page_numbers_from_page_two_at_top(pdf: PdfReader) -> None:
    first = _lines_with_y(pdf.pages[0])
    h1 = float(pdf.pages[0].mediabox.height)
    assert not any(t == "1" and y > h1 - 72 for t, y in first)
    for i in (1, 2):
        page = pdf.pages[i]
        h = float(page.mediabox.height)
        top = [t for t, y in _lines_with_y(page) if y > h - 20 / 25.4 * 72]  # inside the top margin
        assert top == [str(i + 1)], top


def test_header_repeats_on_second_page(pdf: PdfReader) -> None:
    text = nfc(pdf.pages[1].extract_text())
    assert "Đơn vị chủ trì" in text and "Thời hạn" in text


def test_landscape_annex(pdf: PdfReader) -> None:
    portrait = pdf.pages[0].mediabox
    assert float(portrait.width) < float(portrait.height)
    assert round(float(portrait.width) / 72 * 25.4) == 210
    annex = [p for p in pdf.pages if "Phụ lục 01" in nfc(p.extract_text())]
    assert annex
    box = annex[0].mediabox
    assert float(box.width) > float(box.height)
    # The annex table is long enough to continue on a second landscape page.
    last = pdf.pages[-1]
    assert float(last.mediabox.width) > float(last.mediabox.height)
    assert "Đơn vị thứ 30" in nfc(last.extract_text())


def test_rule_widths() -> None:
    w = text_width("Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    assert 150 < w < 170  # ~56 mm, the full length of the tiêu ngữ
    assert text_width("Ơ Ư ở ữ", 12) > 0


def test_letter_portrait_annex_and_landscape_body_table(tmp_path: Path) -> None:
    wide = dm.Table([dm.Column("A", 1), dm.Column("B", 3)], [["x", "=SUM(A1) & <b>"]] * 3,
                    landscape=True)
    doc = dm.OfficialDocument(
        agency="Sở Khoa học và Công nghệ", number="12/SKHCN-VP", place="Hải Dương",
        issue_date=date(2026, 6, 3), subject="đôn đốc gửi báo cáo",
        recipients=["Các sở, ban, ngành", "UBND các xã"],
        blocks=[dm.Paragraph("Mở đầu."), wide, dm.Paragraph("Kết thúc./.")],
        signature=dm.Signature("", "Giám đốc", "Trần Thị Bình"), distribution=["Như trên;"],
        annexes=[dm.Annex("Phụ lục", blocks=[dm.Paragraph("Nội dung phụ lục.")])])
    r = PdfReader(str(render_pdf(doc, tmp_path / "cv.pdf")))
    sizes = [(float(p.mediabox.width) > float(p.mediabox.height)) for p in r.pages]
    assert sizes == [False, True, False, False]  # body, wide table, rest of body, annex
    text = nfc("\n".join(p.extract_text() for p in r.pages))
    assert "V/v đôn đốc gửi báo cáo" in text
    assert "- Các sở, ban, ngành;" in text and "- UBND các xã." in text
    assert "=SUM(A1) & <b>" in text
    assert "ngày 03 tháng 6 năm 2026" in text
