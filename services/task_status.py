"""Task status classes (DESIGN.md §2): one assignment's class from its progress and dates.

`classify` is a pure function; everything that shows or counts task status (plans page,
consolidated report, dashboard, `status` CLI) calls it or `counts_by_unit`, so they
always agree.

Rules (the deadline day itself is on time):
- no effective due date (a "thường xuyên" task) → THUONG_XUYEN, whatever the progress:
  there is no deadline to be on time or late against; progress is shown beside it;
- done → XONG_DUNG_HAN if completed on or before the effective due date, else XONG_QUA_HAN
  (a done row without a completion date counts as on time: nothing proves it late);
- not done, today after the effective due date → DANG_QUA_HAN / CHUA_QUA_HAN;
- not done, 0 ≤ days left ≤ due_soon_days → SAP_DEN_HAN (a due-today task is "sắp đến hạn");
- otherwise DANG_TRONG_HAN / CHUA_TRONG_HAN.

The effective due date is the last approved extension's new date, or the original due
date. An approved extension moves the deadline, so work finished within it is on time;
the original date stays on the task for statistics (see `is_extended`, `late_vs_original`).
Official statistics have no "sắp đến hạn" class: pass due_soon_days=-1 (or call
`statistic_class`) to get the six official classes plus THUONG_XUYEN.
"""
from __future__ import annotations

from datetime import date

from models.plan import DONE, IN_PROGRESS, NOT_STARTED

XONG_DUNG_HAN = "xong_dung_han"
XONG_QUA_HAN = "xong_qua_han"
DANG_TRONG_HAN = "dang_trong_han"
DANG_QUA_HAN = "dang_qua_han"
CHUA_TRONG_HAN = "chua_trong_han"
CHUA_QUA_HAN = "chua_qua_han"
SAP_DEN_HAN = "sap_den_han"
THUONG_XUYEN = "thuong_xuyen"

# Display and counting order.
CLASSES: tuple[str, ...] = (
    XONG_DUNG_HAN, XONG_QUA_HAN, DANG_TRONG_HAN, DANG_QUA_HAN,
    CHUA_TRONG_HAN, CHUA_QUA_HAN, SAP_DEN_HAN, THUONG_XUYEN,
)
LABELS: dict[str, str] = {
    XONG_DUNG_HAN: "Hoàn thành đúng hạn",
    XONG_QUA_HAN: "Hoàn thành quá hạn",
    DANG_TRONG_HAN: "Đang thực hiện trong hạn",
    DANG_QUA_HAN: "Đang thực hiện quá hạn",
    CHUA_TRONG_HAN: "Chưa thực hiện (trong hạn)",
    CHUA_QUA_HAN: "Chưa thực hiện (quá hạn)",
    SAP_DEN_HAN: "Sắp đến hạn",
    THUONG_XUYEN: "Thường xuyên",
}
# Column headers where space is short (legend: HT = hoàn thành, TH = thực hiện).
SHORT_LABELS: dict[str, str] = {
    XONG_DUNG_HAN: "HT đúng hạn", XONG_QUA_HAN: "HT quá hạn", DANG_TRONG_HAN: "Đang TH trong hạn",
    DANG_QUA_HAN: "Đang TH quá hạn", CHUA_TRONG_HAN: "Chưa TH trong hạn", CHUA_QUA_HAN: "Chưa TH quá hạn",
    SAP_DEN_HAN: "Sắp đến hạn", THUONG_XUYEN: "Thường xuyên",
}
SHORT_LEGEND = "HT: hoàn thành; TH: thực hiện."
# Light backgrounds that keep black text readable on screen and in greyscale print.
COLORS: dict[str, str] = {
    XONG_DUNG_HAN: "#c8e6c9",  # green
    XONG_QUA_HAN: "#dcedc8",  # pale olive: done, but late
    DANG_TRONG_HAN: "#bbdefb",  # blue
    DANG_QUA_HAN: "#ffcdd2",  # light red
    CHUA_TRONG_HAN: "#eceff1",  # grey
    CHUA_QUA_HAN: "#ef9a9a",  # stronger red: nothing done and late
    SAP_DEN_HAN: "#fff59d",  # yellow
    THUONG_XUYEN: "#e1bee7",  # lilac
}
# Late and still open: what the secretariat has to chase.
OPEN_OVERDUE: frozenset[str] = frozenset({DANG_QUA_HAN, CHUA_QUA_HAN})

PROGRESS_LABELS: dict[str, str] = {
    NOT_STARTED: "Chưa thực hiện",
    IN_PROGRESS: "Đang thực hiện",
    DONE: "Hoàn thành",
}


def effective_due(original_due: date | None, extensions: list[date] | tuple[date, ...] = ()) -> date | None:
    """The due date after extensions: the last extension wins (extensions are kept in order)."""
    return extensions[-1] if extensions else original_due


def classify(progress: str, completion_date: date | None, original_due: date | None,
             effective_due: date | None, recurring: bool, today: date, due_soon_days: int) -> str:
    """The class key of one assignment (see the module docstring for the rules).

    `recurring` only matters when there is no due date at all: a recurring task that
    also carries a date ("thường xuyên, xong trước 30/6") is measured against the date.
    """
    due = effective_due or original_due
    if due is None:
        return THUONG_XUYEN
    if progress == DONE:
        if completion_date is None or completion_date <= due:
            return XONG_DUNG_HAN
        return XONG_QUA_HAN
    started = progress == IN_PROGRESS
    days_left = (due - today).days
    if days_left < 0:
        return DANG_QUA_HAN if started else CHUA_QUA_HAN
    if due_soon_days >= 0 and days_left <= due_soon_days:
        return SAP_DEN_HAN
    return DANG_TRONG_HAN if started else CHUA_TRONG_HAN


def statistic_class(progress: str, completion_date: date | None, original_due: date | None,
                    effective_due: date | None, recurring: bool, today: date) -> str:
    """The official-statistics class: like `classify` without "sắp đến hạn"."""
    return classify(progress, completion_date, original_due, effective_due, recurring, today, -1)


def is_extended(original_due: date | None, effective_due: date | None) -> bool:
    return original_due is not None and effective_due is not None and effective_due != original_due


def late_vs_original(progress: str, completion_date: date | None, original_due: date | None,
                     today: date) -> bool:
    """Late measured against the original date, ignoring extensions (for statistics)."""
    if original_due is None:
        return False
    if progress == DONE:
        return completion_date is not None and completion_date > original_due
    return today > original_due


def label(key: str) -> str:
    return LABELS.get(key, key)


def counts_by_unit(db, today: date, due_soon_days: int | None = None,  # noqa: ANN001 - models.db.Database
                   plan_id: int | None = None) -> dict[str, dict[str, int]]:
    """{unit code: {class key: count}} over every assignment (of one plan if plan_id).

    Every class key is present (0 when none) for each unit that has an assignment.
    Counts are per unit as assigned: a unit merged into another keeps its own rows
    (callers that want a merged view add the codes up). due_soon_days defaults to the
    "due_soon_days" setting; pass -1 for the official classes only.
    """
    from sqlalchemy import select

    from models import Assignment, Extension, Task, Unit
    from services.settings import get_int

    if due_soon_days is None:
        due_soon_days = get_int(db, "due_soon_days")
    with db.session() as s:
        q = (select(Assignment.id, Unit.code, Assignment.progress, Assignment.completion_date,
                    Task.due_date, Task.recurring)
             .join(Task, Task.id == Assignment.task_id).join(Unit, Unit.id == Assignment.unit_id))
        if plan_id is not None:
            q = q.where(Task.plan_id == plan_id)
        rows = s.execute(q).all()
        ext: dict[int, list[date]] = {}
        eq = select(Extension.assignment_id, Extension.new_due).order_by(Extension.id)
        if plan_id is not None:
            eq = eq.join(Assignment, Assignment.id == Extension.assignment_id).join(
                Task, Task.id == Assignment.task_id).where(Task.plan_id == plan_id)
        for aid, new_due in s.execute(eq):
            ext.setdefault(aid, []).append(new_due)
    out: dict[str, dict[str, int]] = {}
    for aid, code, progress, done_on, due, recurring in rows:
        key = classify(progress, done_on, due, effective_due(due, ext.get(aid, ())), recurring,
                       today, due_soon_days)
        bucket = out.setdefault(code, dict.fromkeys(CLASSES, 0))
        bucket[key] += 1
    return out
