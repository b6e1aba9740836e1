"""Reminders: units to chase with contacts, the e-mail text, the log of reminders sent."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import AuditLog
from services import dashboard as dash
from services import reminders as rm
from services.errors import ValidationError

TODAY = date(2026, 12, 6)


def test_units_to_chase_with_contacts(demo_db) -> None:  # noqa: ANN001
    rows = rm.units_to_chase(demo_db, "2026-11", TODAY)
    assert [r.unit_code for r in rows] == ["UBND-GL", "UBND-NG"]
    assert rows[0].email == "ubndgl@haiduong.gov.vn" and rows[0].phone and rows[0].contact_person
    assert rows[0].status_text == "Chưa nộp (quá hạn 19 ngày)"
    ahead = rm.units_to_chase(demo_db, "2026-12", TODAY)
    assert len(ahead) == 32 and all(r.status == "chua_den_han" for r in ahead)
    assert rm.units_to_chase(demo_db, "2026-12", TODAY, overdue_only=True) == []


def test_email_text_in_vietnamese(demo_db) -> None:  # noqa: ANN001
    draft = rm.email_text(demo_db, "2026-11", TODAY)
    assert draft.subject == "Đôn đốc gửi báo cáo tháng 11 năm 2026"
    assert "Sở Khoa học và Công nghệ" in draft.body and "hạn cuối ngày 17/11/2026" in draft.body
    assert "1. UBND huyện Gia Lộc — chưa nộp (quá hạn 19 ngày)." in draft.body
    assert "(trước ngày 18 hằng tháng)" in draft.body and draft.body.rstrip().endswith("Sở Khoa học và Công nghệ")
    assert draft.recipients_text() == "ubndgl@haiduong.gov.vn; ubndng@haiduong.gov.vn"
    one = rm.email_text(demo_db, "2026-11", TODAY, [rm.units_to_chase(demo_db, "2026-11", TODAY)[1].expected_id])
    assert one.body.startswith("Kính gửi: UBND huyện Ninh Giang") and len(one.recipients) == 1


def test_log_of_reminders(demo_db) -> None:  # noqa: ANN001
    rows = rm.units_to_chase(demo_db, "2026-11", TODAY)
    with pytest.raises(ValidationError):
        rm.record_reminders(demo_db, [], TODAY, "email")
    with pytest.raises(ValidationError):
        rm.record_reminders(demo_db, [rows[0].expected_id], TODAY, "fax")
    assert rm.record_reminders(demo_db, [r.expected_id for r in rows], date(2026, 12, 1), "email", "Lần 1") == 2
    rm.record_reminders(demo_db, [rows[0].expected_id], TODAY, "phone", "Gọi điện nhắc")
    log = rm.reminder_log(demo_db, "2026-11")
    assert [(r.unit_code, r.channel_label, r.sent_date) for r in log][:1] == [("UBND-GL", "Điện thoại", TODAY)]
    assert len(log) == 3 and log[0].period == "tháng 11 năm 2026"
    again = {r.unit_code: r for r in rm.units_to_chase(demo_db, "2026-11", TODAY)}
    assert again["UBND-GL"].reminders == 2 and again["UBND-GL"].last_reminder == TODAY
    assert dash.dashboard(demo_db, "2026-11", TODAY).reminders_sent == 3
    with demo_db.session() as s:
        assert len(s.scalars(select(AuditLog).where(AuditLog.table_name == "reminder_log")).all()) == 3
