"""Register of incoming reports: registering with files, duplicates, editing (version
check, relinking), excusing, deleting attachments, search without diacritics."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Attachment, AuditLog, ExpectedReport, IncomingReport, ReportType, Unit
from services import incoming, incoming_list, tracking
from services.errors import ConcurrentEdit, ValidationError
from services.filestore import stored_path

TODAY = date(2026, 12, 6)


def _unit(db, code: str) -> int:  # noqa: ANN001
    with db.session() as s:
        return s.scalar(select(Unit.id).where(Unit.code == code))


def test_register_with_files_and_duplicate_detection(demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    f = tmp_path / "Báo cáo tháng 11.pdf"
    f.write_bytes(b"%PDF-1.4 noi dung bao cao")
    gl = _unit(demo_db, "UBND-GL")
    reg = incoming.register(demo_db, incoming.NewIncoming(
        unit_id=gl, period="2026-11", doc_number="125/BC-UBND", doc_date=date(2026, 12, 4),
        received_date=TODAY, channel="eoffice", summary="Báo cáo kết quả chuyển đổi số", files=[str(f)]))
    assert reg.duplicate_files == [] and reg.expected_report_id is not None
    detail = incoming.get_incoming(demo_db, reg.id)
    att = detail.attachments[0]
    assert att.original_name == "Báo cáo tháng 11.pdf" and att.size == f.stat().st_size
    stored = stored_path(demo_db, att.sha256, att.original_name)
    assert stored.read_bytes() == f.read_bytes() and stored.parent.parent.parent == demo_db.data_dir
    assert incoming.attachment_path(demo_db, att.id) == stored
    # The same content under another name: detected before and after saving.
    copy = tmp_path / "ban sao.pdf"
    copy.write_bytes(f.read_bytes())
    dups = incoming.duplicates_of(demo_db, [str(copy)])
    assert len(dups) == 1 and "125/BC-UBND" in dups[0].where and "UBND-GL" in dups[0].where
    ng = _unit(demo_db, "UBND-NG")
    again = incoming.register(demo_db, incoming.NewIncoming(unit_id=ng, period="2026-11", files=[str(copy)]))
    assert again.duplicate_files == ["ban sao.pdf"]
    row = tracking.fetch(demo_db, [reg.expected_report_id], TODAY)[0]
    assert row.status == "tre_han" and row.days == 19 and row.doc_number == "125/BC-UBND"


def test_stand_in_report_answers_the_higher_one(demo_db) -> None:  # noqa: ANN001
    with demo_db.session() as s:
        monthly = s.scalar(select(ReportType.id).where(ReportType.code == "BC-THANG"))
    unit = _unit(demo_db, "SNV")
    reg = incoming.register(demo_db, incoming.NewIncoming(unit_id=unit, period="2026-06", report_type_id=monthly))
    with demo_db.session() as s:
        assert s.get(ExpectedReport, reg.expected_report_id).period == "2026-H1"


def test_edit_relinks_checks_version_and_audits(demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    gl = _unit(demo_db, "UBND-GL")
    reg = incoming.register(demo_db, incoming.NewIncoming(unit_id=gl, period="2026-10", received_date=TODAY))
    d = incoming.get_incoming(demo_db, reg.id)
    extra = tmp_path / "phu luc.xlsx"
    extra.write_bytes(b"PK phu luc")
    res = incoming.edit(demo_db, incoming.EditIncoming(
        d.id, d.version, gl, "2026-11", d.report_type_id, "130/BC-UBND", None, date(2026, 11, 17), "paper",
        "Sửa: báo cáo tháng 11", [str(extra)]))
    assert res.expected_report_id != reg.expected_report_id
    row = tracking.fetch(demo_db, [res.expected_report_id], TODAY)[0]
    assert row.status == "dung_han" and row.received_date == date(2026, 11, 17)
    assert len(incoming.get_incoming(demo_db, d.id).attachments) == 1
    with pytest.raises(ConcurrentEdit):
        incoming.edit(demo_db, incoming.EditIncoming(
            d.id, d.version, gl, "2026-11", None, "", None, TODAY, "email", "ghi đè"))
    with demo_db.session() as s:
        changes = s.scalars(select(AuditLog.changes).where(AuditLog.table_name == "incoming_report",
                                                           AuditLog.row_id == d.id).order_by(AuditLog.id)).all()
        assert s.get(IncomingReport, d.id).summary == "Sửa: báo cáo tháng 11"
    assert len(changes) == 3 and "received_date" in changes[1] and "phu luc.xlsx" in changes[2]


def test_validation_names_every_field_and_writes_nothing(demo_db) -> None:  # noqa: ANN001
    with demo_db.session() as s:
        before = s.scalar(select(func.count()).select_from(IncomingReport))
    with pytest.raises(ValidationError) as e:
        incoming.register(demo_db, incoming.NewIncoming(unit_id=0, period="2026-13", channel="fax",
                                                        doc_date=date(2026, 12, 7), received_date=TODAY))
    assert {p.extra["field"] for p in e.value.problems} == {"Đơn vị", "Kỳ báo cáo", "Ngày văn bản", "Hình thức nhận"}
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(IncomingReport)) == before


def test_excuse_needs_a_reason(demo_db) -> None:  # noqa: ANN001
    miss = tracking.rows(demo_db, tracking.ReportFilter(month_key="2026-11", status="chua_nop"), TODAY)
    with pytest.raises(ValidationError):
        incoming.excuse(demo_db, [miss[0].id], "  ")
    assert incoming.excuse(demo_db, [r.id for r in miss], "Đơn vị sáp nhập từ 01/7") == 2
    rows = tracking.rows(demo_db, tracking.ReportFilter(month_key="2026-11", status="mien"), TODAY)
    assert len(rows) == 2 and rows[0].status_text == "Miễn: Đơn vị sáp nhập từ 01/7"
    assert incoming.unexcuse(demo_db, [miss[0].id]) == 1


def test_delete_attachment_keeps_shared_content(demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    f = tmp_path / "a.docx"
    f.write_bytes(b"noi dung dung chung")
    a = incoming.register(demo_db, incoming.NewIncoming(unit_id=_unit(demo_db, "UBND-GL"), period="2026-11",
                                                        files=[str(f)]))
    b = incoming.register(demo_db, incoming.NewIncoming(unit_id=_unit(demo_db, "UBND-NG"), period="2026-11",
                                                        files=[str(f)]))
    att_a = incoming.get_incoming(demo_db, a.id).attachments[0]
    path = stored_path(demo_db, att_a.sha256, att_a.original_name)
    incoming.delete_attachment(demo_db, att_a.id)
    assert path.exists()  # b still uses the same content
    assert incoming.get_incoming(demo_db, a.id).attachments == ()
    db_b = incoming.get_incoming(demo_db, b.id)
    incoming.delete_incoming(demo_db, b.id, db_b.version)
    assert not path.exists()
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Attachment)) == 0
        assert s.get(IncomingReport, b.id) is None


def test_register_search_and_filters(demo_db) -> None:  # noqa: ANN001
    f = tracking.ReportFilter(month_key="2026-11")
    assert len(incoming_list.search_ids(demo_db, f)) == 30
    late = incoming_list.fetch(demo_db, incoming_list.search_ids(demo_db, tracking.ReportFilter(
        month_key="2026-11", status="tre_han")))
    assert [(r.unit_code, r.status_text) for r in late] == [("HCCB", "Trễ hạn 4 ngày")]
    # Without diacritics, in the summary: "phat song" finds "phát sóng".
    hits = incoming_list.fetch(demo_db, incoming_list.search_ids(demo_db, tracking.ReportFilter(
        month_key="2026-11", query="phat song")))
    assert hits and all("phát sóng" in r.summary for r in hits)
    june = incoming_list.fetch(demo_db, incoming_list.search_ids(demo_db, tracking.ReportFilter(month_key="2026-06")))
    assert {r.period for r in june} == {"2026-H1"} and len(june) == 32
    group = incoming_list.search_ids(demo_db, tracking.ReportFilter(month_key="2026-11", group="Cơ quan báo chí"))
    assert len(group) == 2
    ids = incoming_list.search_ids(demo_db, f, sort="received_date")
    rows = incoming_list.fetch(demo_db, ids)
    assert [r.received_date for r in rows] == sorted(r.received_date for r in rows)
    assert incoming_list.periods_of_month("2026-12") == ["2026-12", "2026-Q4", "2026-H2", "2026"]
