"""Reminder letter (công văn đôn đốc): addressees, wording, the công văn layout read back from
DOCX and PDF, numbering, and one reminder logged per unit and report."""
from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader
from sqlalchemy import select

from models import ReminderLog
from services import docmodel as dm
from services import outgoing
from services import reminder_letter as rl
from services.errors import Cancelled, ValidationError

DAY = date(2026, 12, 6)  # a Sunday: the deadline counts working days from it


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _texts(doc: dm.OfficialDocument) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, dm.Paragraph)]


def test_targets_are_missing_and_late_units(demo_db) -> None:  # noqa: ANN001
    targets = rl.reminder_targets(demo_db, "2026-11", DAY)
    assert [(t.unit_name, t.missing) for t in targets] == [
        ("Hội Cựu chiến binh tỉnh", False), ("UBND huyện Gia Lộc", True), ("UBND huyện Ninh Giang", True)]
    assert rl.default_deadline(demo_db, DAY) == date(2026, 12, 9)  # 3 working days after Sunday 6/12


def test_letter_wording(demo_db) -> None:  # noqa: ANN001
    doc = rl.build_reminder_document(demo_db, "2026-11", DAY, deadline=date(2026, 12, 10), symbol="12/SKHCN-QLKH")
    assert doc.is_letter and doc.number_line() == "Số: 12/SKHCN-QLKH"
    assert doc.vv_line() == ("V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch tuyên truyền thực hiện "
                             "Nghị quyết số 03/NQ-CP tháng 11 năm 2026")
    assert doc.recipient_lines() == ["- Hội Cựu chiến binh tỉnh;", "- UBND huyện Gia Lộc;", "- UBND huyện Ninh Giang."]
    text = _texts(doc)
    assert "- UBND huyện Gia Lộc: báo cáo tháng 11 năm 2026 (hạn gửi 17/11/2026, đã quá hạn 19 ngày);" in text
    assert ("- Hội Cựu chiến binh tỉnh: báo cáo tháng 11 năm 2026 (hạn gửi 17/11/2026, nhận ngày 21/11/2026, "
            "trễ 4 ngày).") in text
    assert any("chậm nhất ngày 10/12/2026" in t for t in text)
    assert text[-1] == "Đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./."
    assert doc.distribution == ["- Như trên;", "- Lưu: VT, QLKH."]
    assert doc.annexes == []


def test_many_units_go_to_an_attached_list(demo_db) -> None:  # noqa: ANN001
    doc = rl.build_reminder_document(demo_db, "2026", DAY, symbol="13/SKHCN-QLKH")
    assert doc.recipients == ["Các cơ quan, đơn vị có tên trong danh sách kèm theo"]
    assert len(doc.annexes) == 1 and doc.annexes[0].reference.startswith("(Kèm theo Công văn số 13/SKHCN-QLKH")
    table = doc.annexes[0].blocks[0]
    assert len(table.rows) == 45 and all(r[4].startswith(("Chưa nộp", "Trễ hạn")) for r in table.rows)
    assert any("báo cáo định kỳ năm 2026" in t for t in _texts(doc))


def test_only_chosen_units_and_nothing_to_remind(demo_db) -> None:  # noqa: ANN001
    doc = rl.build_reminder_document(demo_db, "2026-11", DAY, unit_ids=[45])
    assert doc.recipient_lines() == ["UBND huyện Gia Lộc."]
    assert not any("trễ" in t for t in _texts(doc))
    with pytest.raises(ValidationError, match="không cần công văn đôn đốc"):
        rl.generate_reminder(demo_db, "2026-12", ["pdf"], DAY)
    assert outgoing.list_documents(demo_db) == []


def test_generate_numbers_files_and_logs(demo_db) -> None:  # noqa: ANN001
    g = rl.generate_reminder(demo_db, "2026-11", ["docx", "pdf"], DAY)
    assert g.symbol == "01/SKHCN-QLKH"
    row = outgoing.get_document(demo_db, g.id)
    assert (row.kind, row.doc_type, row.period) == ("reminder", "CV", "2026-11")
    assert row.params["deadline"] == "2026-12-09" and row.params["unit_ids"] == [39, 45, 48]
    with demo_db.session() as s:
        logs = s.scalars(select(ReminderLog).order_by(ReminderLog.unit_id)).all()
        assert [(x.unit_id, x.channel, x.outgoing_document_id, x.sent_date) for x in logs] == [
            (39, "công văn", g.id, DAY), (45, "công văn", g.id, DAY), (48, "công văn", g.id, DAY)]
        assert logs[1].note == "Công văn số 01/SKHCN-QLKH: Chưa nộp (quá hạn 19 ngày)"

    d = Document(str(g.file("docx")))
    left = d.tables[0].cell(1, 0).paragraphs
    assert left[0].text == "Số: 01/SKHCN-QLKH"
    vv = left[1]
    assert vv.text.startswith("V/v đôn đốc báo cáo")
    r = vv.runs[0]
    assert (r.font.size.pt, bool(r.font.bold), r.font.name) == (12, False, "Times New Roman")
    assert r._element.rPr.rFonts.get(qn("w:cs")) == "Times New Roman"
    assert all(p.text not in ("BÁO CÁO", "CÔNG VĂN") for p in d.paragraphs)  # a công văn has no type name

    pdf = PdfReader(str(g.file("pdf")))
    text = nfc("\n".join(p.extract_text() for p in pdf.pages))
    for s in ("Số: 01/SKHCN-QLKH", "Hải Dương, ngày 06 tháng 12 năm 2026", "Kính gửi:", "UBND huyện Ninh Giang",
              "chậm nhất ngày 09/12/2026", "Nơi nhận:", "- Như trên;", "- Lưu: VT, QLKH.", "KT. GIÁM ĐỐC"):
        assert nfc(s) in text, s

    # Regenerating keeps the number and logs nothing new.
    again = rl.regenerate_reminder(demo_db, g.id, row.version, formats=["pdf"])
    assert again.symbol == g.symbol
    with demo_db.session() as s:
        assert len(s.scalars(select(ReminderLog)).all()) == 3
    assert rl.generate_reminder(demo_db, "2026-11", ["pdf"], DAY, unit_ids=[45]).symbol == "02/SKHCN-QLKH"


def test_cancel_logs_nothing(demo_db) -> None:  # noqa: ANN001
    with pytest.raises(Cancelled):
        rl.generate_reminder(demo_db, "2026-11", ["pdf"], DAY, cancelled=lambda: True)
    with demo_db.session() as s:
        assert s.scalars(select(ReminderLog)).all() == []
    assert outgoing.list_documents(demo_db) == []


def test_bad_deadline_and_format(demo_db) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError):
        rl.generate_reminder(demo_db, "2026-11", ["pdf"], DAY, deadline=date(2026, 12, 1))
    with pytest.raises(ValidationError):
        rl.generate_reminder(demo_db, "2026-11", ["xlsx"], DAY)
    assert outgoing.list_documents(demo_db) == []
