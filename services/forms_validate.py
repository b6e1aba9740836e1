"""Reads a returned form (an XBook from services/xlsx_safety.py) into plain answers:
the hidden metadata, the integrity check of the locked cells, and every input cell
validated with a Problem that names the sheet and the cell. No database here.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from models.plan import DONE
from services.errors import Problem, ValidationError
from services.forms_common import (
    ACT_VALUE_COL,
    ACTIVITY,
    FORM_VERSION,
    INFO,
    INFO_INPUTS,
    MAX_VALUE_WARNING,
    META,
    PROGRESS_LABELS,
    TASK_CODE_COL,
    TASK_INPUTS,
    TASKS,
    TEXT,
    TEXT_INPUTS,
    VISIBLE_SHEETS,
    FormMeta,
    RowMap,
    canon,
    checksum,
    progress_code,
    same_checksum,
)
from services.periods import format_date_vn
from services.text import nfc
from services.xlsx_safety import XBook, XCell, as_date

_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class HiddenPart:
    meta: FormMeta
    checksum: str
    rows: tuple[RowMap, ...]
    locked: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class TaskAnswer:
    row: int
    assignment_id: int
    code: str
    progress: str | None  # None: left blank, keep the current progress
    completion_date: date | None
    result_text: str | None
    difficulties: str | None


@dataclass(frozen=True)
class ActivityAnswer:
    row: int
    indicator_id: int
    value: float | None  # None: left blank, nothing reported


@dataclass(frozen=True)
class Answers:
    tasks: tuple[TaskAnswer, ...]
    activities: tuple[ActivityAnswer, ...]
    doc_number: str
    doc_date: date | None
    preparer: str
    phone: str
    summary: str
    difficulties: str
    proposals: str
    problems: tuple[Problem, ...]


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def read_hidden(book: XBook, file: str) -> HiddenPart | None:
    """The metadata sheet, or None when it is missing (the form was copied elsewhere)."""
    sh = book.sheets.get(META)
    if sh is None:
        return None
    meta: dict[str, str] = {}
    parts: dict[str, list[str]] = {"rows": [], "locked": []}
    r = 1
    try:
        while (tag := sh.get(f"A{r}")) is not None:
            b, c = (canon(x.value) if (x := sh.get(f"{col}{r}")) else "" for col in "BC")
            if tag.value == "meta":
                meta[b] = c
            elif tag.value in parts:
                parts[tag.value].append(str(sh.get(f"B{r}").value or "") if sh.get(f"B{r}") else "")
            r += 1
        rows = [RowMap(str(k), int(row), int(ref)) for k, row, ref in json.loads("".join(parts["rows"]) or "[]")]
        locked = [(str(a), str(b), str(c)) for a, b, c in json.loads("".join(parts["locked"]) or "[]")]
        fm = FormMeta(meta["form_id"], meta["unit_code"], meta["period"], meta.get("report_type", ""),
                      int(meta["form_version"]), meta.get("created_at", ""))
        digest = meta["checksum"]
    except (KeyError, ValueError, TypeError) as e:
        msg = f"phần thông tin ẩn của biểu mẫu bị hỏng (dòng {r}: {e}); không xác định được đơn vị và kỳ."
        raise ValidationError(f"{file}: {msg}", [Problem(msg, file=file, sheet=META)]) from e
    return HiddenPart(fm, digest, tuple(rows), tuple(locked))


def check_integrity(book: XBook, file: str, secret: str, hidden: HiddenPart) -> list[Problem]:
    """Version, checksum of the hidden part, then every locked cell against its recorded value."""
    out: list[Problem] = []
    if hidden.meta.form_version > FORM_VERSION:
        out.append(Problem(f"biểu mẫu phiên bản {hidden.meta.form_version}, mới hơn phiên bản phần mềm này "
                           f"đọc được ({FORM_VERSION}). Hãy cập nhật SecDesk.", file=file, sheet=META))
        return out
    if not secret or not same_checksum(checksum(secret, hidden.meta, list(hidden.rows), list(hidden.locked)),
                                       hidden.checksum):
        out.append(Problem("mã kiểm tra của biểu mẫu không khớp: biểu mẫu không do cơ sở dữ liệu này tạo ra, "
                           "hoặc phần thông tin ẩn đã bị sửa.", file=file, sheet=META))
        return out
    for name in VISIBLE_SHEETS:
        if name not in book.sheets:
            out.append(Problem(f"thiếu trang '{name}' (đã bị xóa hoặc đổi tên).", file=file))
    for sheet, coord, original in hidden.locked:
        ws = book.sheets.get(sheet)
        if ws is None:
            continue
        c = ws.get(coord)
        if c is not None and c.formula is not None:
            out.append(Problem(f"ô đã khóa bị thay bằng công thức (={_short(c.formula)}); mẫu gốc: "
                               f"'{_short(original)}'.", file=file, sheet=sheet, cell=coord))
            continue
        actual = canon(c.value) if c is not None else ""
        if actual != original:
            out.append(Problem(f"ô đã khóa bị sửa: '{_short(actual)}' (mẫu gốc: '{_short(original)}').",
                               file=file, sheet=sheet, cell=coord))
    return out


class _Reader:
    """Reads input cells, collecting a Problem for each bad one."""

    def __init__(self, book: XBook, file: str, today: date) -> None:
        self.book, self.file, self.today = book, file, today
        self.problems: list[Problem] = []

    def problem(self, sheet: str, coord: str, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(message, file=self.file, sheet=sheet, cell=coord, severity=severity))

    def cell(self, sheet: str, coord: str) -> XCell | None:
        ws = self.book.sheets.get(sheet)
        c = ws.get(coord) if ws else None
        if c is None:
            return None
        if c.formula is not None:
            self.problem(sheet, coord, f"ô nhập liệu chứa công thức (={_short(c.formula)}): chỉ được nhập giá "
                                       "trị, không dùng công thức.")
            return None
        if c.error is not None:
            self.problem(sheet, coord, f"ô chứa giá trị lỗi {c.error}: hãy nhập lại giá trị.")
            return None
        if isinstance(c.value, str) and not c.value.strip():
            return None
        return c

    def text(self, sheet: str, coord: str) -> str | None:
        c = self.cell(sheet, coord)
        if c is None:
            return None
        v = c.value
        if isinstance(v, datetime):
            return format_date_vn(v.date())
        if isinstance(v, float):
            return canon(v)
        return nfc(str(v))

    def whole(self, sheet: str, coord: str, what: str) -> float | None:
        c = self.cell(sheet, coord)
        if c is None:
            return None
        v = c.value
        if isinstance(v, bool | datetime):
            kind = "ngày tháng" if isinstance(v, datetime) else "TRUE/FALSE"
            self.problem(sheet, coord, f"{what}: phải là số nguyên không âm, không phải {kind}.")
            return None
        if isinstance(v, str):
            self.problem(sheet, coord, f"{what}: ô chứa văn bản '{_short(v, 30)}' — phải nhập số nguyên không âm "
                                       "(dạng số, không kèm chữ).")
            return None
        if v < 0:
            self.problem(sheet, coord, f"{what}: số âm ({canon(v)}) không hợp lệ — phải là số nguyên không âm.")
            return None
        if not float(v).is_integer():
            self.problem(sheet, coord, f"{what}: {v} không phải số nguyên.")
            return None
        if v > MAX_VALUE_WARNING:
            self.problem(sheet, coord, f"{what}: giá trị {canon(v)} lớn bất thường, hãy kiểm tra lại.", "warning")
        return float(v)

    def day(self, sheet: str, coord: str, what: str) -> date | None:
        c = self.cell(sheet, coord)
        if c is None:
            return None
        v = c.value
        d = as_date(v)
        if d is None and isinstance(v, str) and (m := _DATE_TEXT.match(v.strip())):
            try:
                d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                d = None
        if d is None and isinstance(v, float) and 36526 <= v <= 73415:  # a date serial without date format
            from openpyxl.utils.datetime import from_excel

            d = from_excel(v).date()
        if d is None:
            self.problem(sheet, coord, f"{what}: '{_short(canon(v), 30)}' không phải ngày hợp lệ (dạng ngày/tháng/năm).")
            return None
        if d < EARLIEST or d > self.today:
            self.problem(sheet, coord, f"{what} {format_date_vn(d)} không hợp lệ (phải từ năm 2000 đến hôm nay).")
            return None
        return d


def read_answers(book: XBook, file: str, rows: tuple[RowMap, ...], today: date) -> Answers:
    rd = _Reader(book, file, today)
    tasks = []
    for rm in rows:
        if rm.kind != "task":
            continue
        r = rm.row
        code_cell = book.sheets[TASKS].get(f"{TASK_CODE_COL}{r}") if TASKS in book.sheets else None
        code = canon(code_cell.value) if code_cell else f"dòng {r}"
        col = {k: f"{v}{r}" for k, v in TASK_INPUTS.items()}
        raw = rd.text(TASKS, col["progress"])
        progress = progress_code(raw) if raw is not None else None
        if raw is not None and progress is None:
            rd.problem(TASKS, col["progress"], f"Nhiệm vụ {code}: tiến độ '{_short(raw, 30)}' không hợp lệ — chọn "
                                               + ", ".join(PROGRESS_LABELS.values()) + ".")
        elif raw is None:
            rd.problem(TASKS, col["progress"], f"Nhiệm vụ {code}: chưa chọn tiến độ, giữ nguyên tiến độ hiện có.",
                       "warning")
        done = rd.day(TASKS, col["completion_date"], f"Nhiệm vụ {code}: ngày hoàn thành")
        if progress == DONE and done is None and not _has(book, TASKS, col["completion_date"]):
            rd.problem(TASKS, col["completion_date"], f"Nhiệm vụ {code}: đã hoàn thành nhưng chưa ghi ngày hoàn "
                                                      "thành.", "warning")
        if done is not None and progress is not None and progress != DONE:
            rd.problem(TASKS, col["completion_date"], f"Nhiệm vụ {code}: có ngày hoàn thành nhưng tiến độ là "
                                                      f"'{PROGRESS_LABELS[progress]}' — bỏ qua ngày này.", "warning")
            done = None
        tasks.append(TaskAnswer(r, rm.ref_id, code, progress, done, rd.text(TASKS, col["result_text"]),
                                rd.text(TASKS, col["difficulties"])))
    acts = []
    for rm in rows:
        if rm.kind != "activity":
            continue
        name_cell = book.sheets[ACTIVITY].get(f"B{rm.row}") if ACTIVITY in book.sheets else None
        what = canon(name_cell.value) if name_cell else f"dòng {rm.row}"
        acts.append(ActivityAnswer(rm.row, rm.ref_id, rd.whole(ACTIVITY, f"{ACT_VALUE_COL}{rm.row}", what)))
    info = {k: rd.text(INFO, c) or "" for k, c in INFO_INPUTS.items() if k != "doc_date"}
    doc_date = rd.day(INFO, INFO_INPUTS["doc_date"], "Ngày văn bản")
    texts = {k: rd.text(TEXT, c) or "" for k, c in TEXT_INPUTS.items()}
    return Answers(tuple(tasks), tuple(acts), info["doc_number"], doc_date, info["preparer"], info["phone"],
                   texts["summary"], texts["difficulties"], texts["proposals"], tuple(rd.problems))


def _has(book: XBook, sheet: str, coord: str) -> bool:
    ws = book.sheets.get(sheet)
    return bool(ws and ws.get(coord))


def as_plain(value: Any) -> str:
    """How a value is shown in the preview (old → new)."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return format_date_vn(value)
    if isinstance(value, float):
        return f"{int(value):,}".replace(",", ".") if value.is_integer() else str(value)
    return str(value)
