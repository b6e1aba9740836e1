"""The audit trail of one record, worded for people (gui/dialogs/history.py shows it).

`record_history(db, table, row_id)` wraps services.audit.history: who, when, what action,
and each changed field as "label: old → new". Field labels come from FIELD_LABELS; a
module that audits new fields may add its labels with `register_labels`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from models.db import Database
from services import audit

ACTIONS = {
    "insert": "Thêm mới", "update": "Sửa", "delete": "Xóa", "merge": "Sáp nhập", "import": "Nhập từ Excel",
    "deactivate": "Ngừng hoạt động", "extend": "Gia hạn", "attach": "Đính kèm tệp", "detach": "Bỏ tệp đính kèm",
}
FIELD_LABELS: dict[str, str] = {
    # units
    "code": "Mã", "name": "Tên", "short_name": "Tên viết tắt", "group": "Nhóm", "parent_id": "Thuộc nhóm",
    "is_group": "Là nhóm đơn vị", "contact_person": "Người liên hệ", "phone": "Điện thoại",
    "email": "Thư điện tử", "active_from": "Hoạt động từ", "active_to": "Hoạt động đến ngày",
    "merged_into_id": "Sáp nhập vào", "owes_reports": "Phải nộp báo cáo", "notes": "Ghi chú",
    "sort_order": "Thứ tự", "members": "Đơn vị thành viên", "merged_in": "Tiếp nhận đơn vị",
    "moved_assignments": "Số nhiệm vụ chuyển sang",
    # documents, tasks, assignments
    "symbol": "Số, ký hiệu", "doc_type": "Loại văn bản", "doc_date": "Ngày ban hành", "issuer": "Cơ quan ban hành",
    "title": "Trích yếu", "is_plan": "Là kế hoạch", "start_period": "Bắt đầu theo dõi", "plan_id": "Kế hoạch",
    "section": "Mục", "text": "Nội dung", "due_date": "Thời hạn", "recurring": "Thường xuyên",
    "task_id": "Nhiệm vụ", "unit_id": "Đơn vị", "role": "Vai trò", "via_unit_id": "Giao qua nhóm",
    "progress": "Tiến độ", "completion_date": "Ngày hoàn thành", "result_text": "Kết quả",
    "difficulties": "Khó khăn, vướng mắc", "source": "Nguồn", "due": "Hạn", "approver": "Người duyệt",
    "reason": "Lý do", "file": "Tệp",
}
VALUE_WORDS = {"chua": "Chưa thực hiện", "dang": "Đang thực hiện", "xong": "Hoàn thành", True: "có", False: "không"}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime | None
    user: str
    action: str  # Vietnamese
    changes: tuple[tuple[str, str, str], ...]  # (field label, old, new)

    @property
    def text(self) -> str:
        return "\n".join(f"{f}: {a or '(trống)'} → {b or '(trống)'}" for f, a, b in self.changes)


def register_labels(labels: dict[str, str]) -> None:
    FIELD_LABELS.update(labels)


def _word(v: Any) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, bool) or v in ("chua", "dang", "xong"):
        return VALUE_WORDS.get(v, str(v))
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
        try:
            return datetime.strptime(v, "%Y-%m-%d").strftime("%d/%m/%Y")  # ISO date from the JSON
        except ValueError:
            return v
    return str(v)


def record_history(db: Database, table: str, row_id: int) -> list[HistoryEntry]:
    """Oldest first. Unit and task ids in the values are shown by their codes."""
    from sqlalchemy import select

    from models import DirectiveDocument, Task, Unit

    with db.session() as s:
        rows = audit.history(s, table, row_id)
        units = dict(s.execute(select(Unit.id, Unit.code)).all())
        tasks = dict(s.execute(select(Task.id, Task.code)).all())
        plans = dict(s.execute(select(DirectiveDocument.id, DirectiveDocument.symbol)).all())
    names = {"parent_id": units, "merged_into_id": units, "unit_id": units, "via_unit_id": units,
             "task_id": tasks, "plan_id": plans}
    out = []
    for r in rows:
        changes = []
        for key, pair in r["changes"].items():
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            lookup = names.get(key)
            if lookup is not None:
                old, new = lookup.get(old, old), lookup.get(new, new)
            changes.append((FIELD_LABELS.get(key, key), _word(old), _word(new)))
        at = r["at"]
        if at is not None and db.is_sqlite:  # SQLite's CURRENT_TIMESTAMP is UTC: show local time
            at = at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
        out.append(HistoryEntry(at, r["user"], ACTIONS.get(r["action"], r["action"]), tuple(changes)))
    return out
