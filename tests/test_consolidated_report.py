"""Consolidated report of the demo's November 2026: the figures it states, the DOCX, PDF and
XLSX read back, numbering in the outgoing register, drafts of II–IV, cancel and regenerate."""
from __future__ import annotations

import json
import shutil
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from services import consolidated_report as cr
from services import docmodel as dm
from services import outgoing
from services import report_drafts as rd
from services.errors import Cancelled, ConcurrentEdit, ValidationError

DAY = date(2026, 12, 6)
PERIOD = "2026-11"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@pytest.fixture(scope="module")
def db(demo_template: Path, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """One demo copy for the read-only checks of this module."""
    from models.db import open_database

    target = tmp_path_factory.mktemp("report") / "demo.sqlite"
    shutil.copy(demo_template, target)
    d = open_database(target)
    yield d
    d.dispose()


@pytest.fixture(scope="module")
def generated(db):  # noqa: ANN001, ANN201
    return cr.generate_report(db, PERIOD, ["docx", "pdf", "xlsx"], DAY)


def _texts(doc: dm.OfficialDocument) -> list[str]:
    out = []
    for b in doc.blocks:
        if isinstance(b, dm.Paragraph | dm.Heading):
            out.append(b.text)
    return out


def test_document_states_the_demo_figures(db) -> None:  # noqa: ANN001
    doc = cr.build_report_document(db, PERIOD, DAY, symbol="07/BC-SKHCN")
    text = "\n".join(_texts(doc))
    assert doc.number_line() == "Số: 07/BC-SKHCN"
    assert doc.place_date_line() == "Hải Dương, ngày 06 tháng 12 năm 2026"
    assert doc.subject.startswith("Kết quả thực hiện Kế hoạch tuyên truyền thực hiện Nghị quyết số 03/NQ-CP")
    assert doc.subject.endswith("tháng 11 năm 2026") and "ngày 09/01/2025" not in doc.subject
    # Kính gửi: the recipients marked "(để báo cáo)", with UBND spelled out; the rest in Nơi nhận.
    assert doc.recipients == ["Ủy ban nhân dân tỉnh", "Ban Chỉ đạo thực hiện NQ 57 tỉnh"]
    assert doc.distribution == ["- Như trên;", "- Giám đốc, các Phó Giám đốc Sở;", "- Lưu: VT, QLKH."]
    assert doc.signature == dm.Signature("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn Minh (dữ liệu minh họa)")
    headings = [b.text for b in doc.blocks if isinstance(b, dm.Heading)]
    assert headings == [
        "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN", "1. Tình hình nhận báo cáo", "2. Kết quả thực hiện nhiệm vụ",
        "3. Kết quả hoạt động tuyên truyền", "4. Một số kết quả nổi bật", "II. TỒN TẠI, HẠN CHẾ, NGUYÊN NHÂN",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG 12 NĂM 2026", "IV. ĐỀ XUẤT, KIẾN NGHỊ"]
    # Timeliness of November as of 6/12: 32 owed, 29 on time, 1 late, 2 missing.
    assert "đã nhận 30/32 báo cáo, trong đó 29 báo cáo đúng hạn, 1 báo cáo trễ hạn; còn 2 báo cáo chưa gửi" in text
    assert "Tỷ lệ gửi báo cáo đạt 93,8%, tỷ lệ đúng hạn đạt 90,6%" in text
    assert "chưa gửi báo cáo: UBND huyện Gia Lộc, UBND huyện Ninh Giang." in text
    assert "- Hoàn thành đúng hạn: 2 lượt;" in text and "- Chưa thực hiện (quá hạn): 1 lượt;" in text
    # Indicator totals against October, in the section's table.
    table = next(b for b in doc.blocks if isinstance(b, dm.Table))
    first = table.rows[0]
    assert first[1:5] == ["Tin, bài tuyên truyền", "tin, bài", 299, 295] and first[5] == "+4 (+1,4%)"
    # Highlights quote a unit's own summary and name the unit.
    assert "- Đài Phát thanh và Truyền hình tỉnh: “Đăng 57 tin, bài trên trang thông tin điện tử" in text
    assert text.rstrip().endswith("kính báo cáo Ủy ban nhân dân tỉnh, Ban Chỉ đạo thực hiện NQ 57 tỉnh xem xét, chỉ đạo./.")
    assert [a.title for a in doc.annexes] == ["Phụ lục 01", "Phụ lục 02", "Phụ lục 03"]
    assert doc.annexes[0].reference == "(Kèm theo Báo cáo số 07/BC-SKHCN ngày 06/12/2026 của Sở Khoa học và Công nghệ)"


def test_annex_tables(db) -> None:  # noqa: ANN001
    doc = cr.build_report_document(db, PERIOD, DAY, symbol="07/BC-SKHCN")
    status = doc.annexes[0].blocks[0]
    rows = {r[1]: r for r in status.rows}
    assert rows["UBND huyện Gia Lộc"][4:] == ["", "", "Chưa nộp (quá hạn 19 ngày)"]
    assert rows["Hội Cựu chiến binh tỉnh"][3:] == ["17/11/2026", "21/11/2026", "20/BC-HCCB", "Trễ hạn 4 ngày"]
    assert status.rows[-1][1] == "Tổng cộng" and len(status.rows) == 33
    counts, detail = doc.annexes[1].blocks
    assert counts.rows[-1][:3] == ["", "Tổng cộng", 119]
    assert {r[1] for r in detail.rows} >= {"Sở Nội vụ", "Văn phòng UBND tỉnh"}
    assert all(r[4] for r in detail.rows)  # only tasks with a deadline are detailed
    figures = doc.annexes[2].blocks[0]
    assert figures.rows[-2][1:3] == ["Tổng cộng", 299] and figures.rows[-1][2] == 295
    # A six-month report's annex 1 counts per unit instead of one row per report.
    half = cr.build_report_document(db, "2026-H1", DAY).annexes[0].blocks[0]
    assert half.columns[2].title == "Phải gửi" and half.rows[-1][1] == "Tổng cộng"


def _font(p) -> tuple[float, bool, bool]:  # noqa: ANN001
    r = p.runs[0]
    assert r.font.name == "Times New Roman"
    assert r._element.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"
    return r.font.size.pt, bool(r.font.bold), bool(r.font.italic)


def _paragraphs(d) -> list:  # noqa: ANN001
    out = list(d.paragraphs)
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                out += cell.paragraphs
    return out


def _find(d, text: str):  # noqa: ANN001, ANN202
    for p in _paragraphs(d):
        if p.text == text:
            return p
    raise AssertionError(f"not found: {text!r}")


def test_docx_layout(generated) -> None:  # noqa: ANN001
    d = Document(str(generated.file("docx")))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert tuple(round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)) == (20, 20, 30, 15)
    assert [x.orientation for x in d.sections] == [WD_ORIENT.PORTRAIT] + [WD_ORIENT.LANDSCAPE] * 3
    header = d.tables[0]
    assert [p.text for p in header.cell(0, 0).paragraphs][:2] == ["UBND TỈNH HẢI DƯƠNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert header.cell(0, 1).paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert header.cell(1, 0).paragraphs[0].text == f"Số: {generated.symbol}" == "Số: 01/BC-SKHCN"
    assert header.cell(1, 1).paragraphs[0].text == "Hải Dương, ngày 06 tháng 12 năm 2026"
    expected = {
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": (12, True, False),
        "Độc lập - Tự do - Hạnh phúc": (13, True, False),
        "UBND TỈNH HẢI DƯƠNG": (13, False, False),
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ": (13, True, False),
        "Số: 01/BC-SKHCN": (13, False, False),
        "Hải Dương, ngày 06 tháng 12 năm 2026": (14, False, True),
        "BÁO CÁO": (14, True, False),
        generated.title: (14, True, False),
        "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN": (14, True, False),
        "(Chi tiết tại Phụ lục 01)": (14, False, True),
        "Nơi nhận:": (12, True, True),
        "- Lưu: VT, QLKH.": (11, False, False),
        "KT. GIÁM ĐỐC": (14, True, False),
        "Phụ lục 01": (14, True, False),
        "(Kèm theo Báo cáo số 01/BC-SKHCN ngày 06/12/2026 của Sở Khoa học và Công nghệ)": (14, False, True),
    }
    for text, want in expected.items():
        assert _font(_find(d, text)) == want, text
    body = _find(d, "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN")
    assert round(body.paragraph_format.first_line_indent.mm, 1) == 12.7


def test_pdf_text_and_fonts(generated) -> None:  # noqa: ANN001
    pdf = PdfReader(str(generated.file("pdf")))
    text = nfc("\n".join(p.extract_text() for p in pdf.pages))
    for s in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 01/BC-SKHCN", "Hải Dương, ngày 06 tháng 12 năm 2026",
              "BÁO CÁO", "Kính gửi:", "Ủy ban nhân dân tỉnh", "UBND huyện Ninh Giang", "Nơi nhận:",
              "- Lưu: VT, QLKH.", "PHÓ GIÁM ĐỐC", "Phụ lục 03", "Đài Phát thanh và Truyền hình tỉnh",
              "Lượt người tham dự", "Hội Cựu chiến binh tỉnh"):
        assert nfc(s) in text, s
    fonts = set()
    for page in pdf.pages:
        for ref in page["/Resources"]["/Font"].values():
            f = ref.get_object()
            for desc in [f] + [x.get_object() for x in f.get("/DescendantFonts", [])]:
                fd = desc.get("/FontDescriptor")
                if fd is not None and "/FontFile2" in fd.get_object():
                    fonts.add(str(desc["/BaseFont"]))
    assert any("LiberationSerif-Bold" in f for f in fonts) and any("LiberationSerif-Italic" in f for f in fonts)
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages}
    assert sizes == {(595, 842), (842, 595)}  # A4 portrait body, landscape annexes


def test_xlsx_annexes(generated) -> None:  # noqa: ANN001
    wb = load_workbook(generated.file("xlsx"))
    assert wb.sheetnames == ["Phụ lục 01", "Phụ lục 02A", "Phụ lục 02B", "Phụ lục 03"]
    ws = wb["Phụ lục 01"]
    assert ws["A1"].value == "UBND TỈNH HẢI DƯƠNG" and ws["A2"].value == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert ws["A3"].value == "PHỤ LỤC 01. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ THÁNG 11 NĂM 2026"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows and ws.oddFooter.center.text == "Trang &P/&N"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert [29, "UBND huyện Ninh Giang", "Báo cáo tháng", datetime(2026, 11, 17), None, None,
            "Chưa nộp (quá hạn 19 ngày)"] in values
    assert values[-1][:2] == [None, "Tổng cộng"]
    ws3 = wb["Phụ lục 03"]
    totals = next(r for r in ws3.iter_rows(values_only=True) if r[1] == "Tổng cộng")
    assert totals[2] == 299 and ws3.cell(row=ws3.max_row, column=2).value == "Tổng cộng tháng 10 năm 2026"
    assert ws3["C7"].value == "Tin, bài tuyên truyền (tin, bài)"
    assert ws3.row_dimensions[7].height >= 45  # the wrapped header row prints whole


def test_register_row_and_files(db, generated) -> None:  # noqa: ANN001
    row = outgoing.get_document(db, generated.id)
    assert (row.symbol, row.kind, row.period, row.doc_date) == ("01/BC-SKHCN", "report", PERIOD, DAY)
    assert row.recipients == "Ủy ban nhân dân tỉnh; Ban Chỉ đạo thực hiện NQ 57 tỉnh"
    assert [Path(f).name for f in row.files] == ["01-BC-SKHCN_2026-11.docx", "01-BC-SKHCN_2026-11.pdf",
                                                 "01-BC-SKHCN_2026-11.xlsx"]
    assert all(outgoing.file_path(db, f).stat().st_size > 5000 for f in row.files)
    from services.audit import history

    with db.session() as s:
        actions = [h["action"] for h in history(s, "outgoing_document", generated.id)]
    assert actions[:2] == ["insert", "update"]


def test_numbers_follow_the_register_and_restart_each_year(demo_db) -> None:  # noqa: ANN001
    a = cr.generate_report(demo_db, PERIOD, ["pdf"], DAY)
    b = cr.generate_report(demo_db, "2026-10", ["docx"], DAY)
    c = cr.generate_report(demo_db, "2026-12", ["pdf"], date(2027, 1, 5))
    assert (a.symbol, b.symbol, c.symbol) == ("01/BC-SKHCN", "02/BC-SKHCN", "01/BC-SKHCN")
    d = Document(str(b.file("docx")))
    assert d.tables[0].cell(1, 0).paragraphs[0].text == "Số: 02/BC-SKHCN"
    text = nfc("\n".join(p.extract_text() for p in PdfReader(str(c.file("pdf"))).pages))
    assert "Hải Dương, ngày 05 tháng 01 năm 2027" in text  # leading zeros for day < 10 and January


def test_cancel_takes_no_number_and_leaves_no_file(demo_db) -> None:  # noqa: ANN001
    steps: list[str] = []

    def cancel_after_docx() -> bool:
        return any("PDF" in s for s in steps)

    with pytest.raises(Cancelled):
        cr.generate_report(demo_db, PERIOD, ["docx", "pdf"], DAY, progress=lambda d, t, m="": steps.append(m),
                           cancelled=cancel_after_docx)
    assert outgoing.list_documents(demo_db) == []
    folder = outgoing.output_dir(demo_db, 2026)
    assert list(folder.iterdir()) == []
    assert cr.generate_report(demo_db, PERIOD, ["pdf"], DAY).symbol == "01/BC-SKHCN"


def test_bad_input_changes_nothing(demo_db) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError):
        cr.generate_report(demo_db, "2026-13", ["pdf"], DAY)
    with pytest.raises(ValidationError):
        cr.generate_report(demo_db, PERIOD, ["odt"], DAY)
    assert outgoing.list_documents(demo_db) == []


def test_drafts_saved_with_version_and_used(demo_db) -> None:  # noqa: ANN001
    drafts = rd.load_drafts(demo_db, PERIOD, DAY)
    assert [d.version for d in drafts.values()] == [0, 0, 0]
    assert "UBND huyện Gia Lộc, UBND huyện Ninh Giang" in drafts["II"].text
    assert "DEMO.5" in drafts["III"].text  # due in December
    saved = rd.save_draft(demo_db, PERIOD, "II", "Một số đơn vị chậm báo cáo.\nSố liệu chưa đồng đều.", 0)
    assert saved.version == 1
    with pytest.raises(ConcurrentEdit):  # another window still holds the prefilled default
        rd.save_draft(demo_db, PERIOD, "II", "Ghi đè", 0)
    again = rd.save_draft(demo_db, PERIOD, "II", saved.text + "\nThêm một ý.", saved.version)
    assert again.version == 2 and rd.load_drafts(demo_db, PERIOD, DAY)["II"].text.endswith("Thêm một ý.")
    with demo_db.session() as s:
        from services.audit import history

        assert [h["action"] for h in history(s, "report_draft", again_id(demo_db))] == ["insert", "update"]
    doc = cr.build_report_document(demo_db, PERIOD, DAY)
    texts = _texts(doc)
    start = texts.index("II. TỒN TẠI, HẠN CHẾ, NGUYÊN NHÂN")
    assert texts[start + 1: start + 4] == ["Một số đơn vị chậm báo cáo.", "Số liệu chưa đồng đều.", "Thêm một ý."]


def again_id(db) -> int:  # noqa: ANN001
    from sqlalchemy import select

    from models import ReportDraft

    with db.session() as s:
        return s.scalar(select(ReportDraft.id).where(ReportDraft.period == PERIOD, ReportDraft.section == "II"))


def test_regenerate_keeps_number_and_checks_version(demo_db) -> None:  # noqa: ANN001
    g = cr.generate_report(demo_db, PERIOD, ["docx"], DAY)
    row = outgoing.get_document(demo_db, g.id)
    rd.save_draft(demo_db, PERIOD, "IV", "Đề nghị bổ sung kinh phí.", 0)
    again = cr.regenerate_report(demo_db, g.id, row.version, formats=["docx", "pdf"])
    assert again.symbol == "01/BC-SKHCN" and {p.suffix for p in again.files} == {".docx", ".pdf"}
    assert "Đề nghị bổ sung kinh phí." in [p.text for p in Document(str(again.file("docx"))).paragraphs]
    assert json.loads(json.dumps(outgoing.get_document(demo_db, g.id).files))[1].endswith(".pdf")
    with pytest.raises(ConcurrentEdit):
        cr.regenerate_report(demo_db, g.id, row.version)  # the row changed since it was read
    assert len(outgoing.list_documents(demo_db)) == 1


def test_names_come_from_the_database(demo_db) -> None:  # noqa: ANN001
    """Nothing is Hải Dương-specific: rename the agency and it follows."""
    from services.settings import get_agency, save_agency

    a = get_agency(demo_db)
    a.parent_name, a.name, a.abbreviation, a.place = "UBND THÀNH PHỐ HẢI PHÒNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "KHCN", "Hải Phòng"
    a.report_recipients, a.drafting_unit = "Ủy ban nhân dân thành phố (để báo cáo);\nLãnh đạo Sở;", "VP"
    save_agency(demo_db, a)
    g = cr.generate_report(demo_db, PERIOD, ["pdf"], date(2026, 6, 5))
    text = nfc("\n".join(p.extract_text() for p in PdfReader(str(g.file("pdf"))).pages))
    assert g.symbol == "01/BC-KHCN"
    assert "Hải Phòng, ngày 05 tháng 6 năm 2026" in text  # no leading zero for June
    assert "UBND THÀNH PHỐ HẢI PHÒNG" in text and "Kính gửi: Ủy ban nhân dân thành phố." in text
    assert "- Lãnh đạo Sở;" in text and "- Lưu: VT, VP." in text


def test_render_report_for_benchmarks(db, tmp_path: Path) -> None:  # noqa: ANN001
    before = len(outgoing.list_documents(db))
    out = cr.render_report(db, PERIOD, "pdf", tmp_path / "r.pdf", DAY)
    assert out.stat().st_size > 10000 and len(outgoing.list_documents(db)) == before
    text = nfc(PdfReader(str(out)).pages[0].extract_text())
    assert "/BC-SKHCN" in text and "Số: 01/BC" not in text  # no number taken: left for the văn thư
