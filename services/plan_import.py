"""Import of units, a plan, its tasks and progress from the workbook of services/plan_template.py.

`preview_import` reads and checks the whole file and returns every problem (sheet, row,
column, reason) and every change it would make; it writes nothing. `apply_import` does the
same checks again and, only when no error remains, writes everything in one transaction
(services/plan_import_apply.py); any error means nothing at all is written.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from models.db import Database
from services import plan_template as T
from services.dates import DateError, parse_date
from services.errors import Problem, ValidationError
from services.text import fold, nfc

Progress = Callable[[int, int, str], None]
FLAG_YES = {"x", "co", "1", "true", "yes", "dung"}
FLAG_NO = {"khong", "0", "false", "no", "sai", "-"}
PROGRESS_CODES = {"chua thuc hien": "chua", "chua": "chua", "dang thuc hien": "dang", "dang": "dang",
                  "hoan thanh": "xong", "da hoan thanh": "xong", "xong": "xong"}
RECURRING_WORDS = {"thuong xuyen", "hang nam", "hang thang", "lien tuc"}
_SPLIT = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class Change:
    kind: str  # "Kế hoạch" / "Đơn vị" / "Nhiệm vụ" / "Tiến độ"
    action: str  # "Thêm" / "Sửa" / "Không đổi"
    code: str
    name: str
    details: str = ""
    row: int | None = None


@dataclass(frozen=True)
class ImportPreview:
    file: str
    problems: tuple[Problem, ...]
    changes: tuple[Change, ...]
    plan_label: str  # where the tasks go

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, kind: str, action: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind and c.action == action)

    def summary(self) -> str:
        parts = []
        for kind in ("Kế hoạch", "Đơn vị", "Nhiệm vụ", "Tiến độ"):
            add, edit = self.count(kind, "Thêm"), self.count(kind, "Sửa")
            if add or edit:
                parts.append(f"{kind}: thêm {add}, sửa {edit}")
        return "; ".join(parts) or "Không có gì thay đổi."


@dataclass
class Parsed:
    """The file's content after cell-level checks (codes upper-cased, dates parsed)."""

    plan: dict[str, Any] = field(default_factory=dict)
    plan_rows: dict[str, int] = field(default_factory=dict)  # key → Excel row on the plan sheet
    units: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    progress: list[dict[str, Any]] = field(default_factory=list)


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return nfc(str(v))


class _Sheet:
    """Cell access for one sheet with problems reported against it."""

    def __init__(self, xsheet, name: str, problems: list[Problem], file: str) -> None:  # noqa: ANN001
        self.x, self.name, self.problems, self.file = xsheet, name, problems, file

    def bad(self, row: int, col: int, header: str, message: str) -> None:
        self.problems.append(Problem(message, file=self.file, sheet=self.name, row=row,
                                     column=f"{_letter(col)} ({header})"))

    def value(self, row: int, col: int, header: str) -> Any:
        c = self.x.get(f"{_letter(col)}{row}")
        if c is None:
            return None
        if c.formula is not None or c.error is not None:
            self.bad(row, col, header, "Ô chứa công thức hoặc lỗi công thức: hãy ghi giá trị, không dùng công thức.")
            return None
        return c.value

    def last_row(self) -> int:
        return max((int(re.sub(r"^[A-Z]+", "", k)) for k in self.x.cells), default=1)

    def table(self, cols: list[T.Col]) -> list[tuple[int, dict[str, Any]]] | None:
        """Rows under a checked header; None (and problems) when the header is wrong."""
        ok = True
        for j, c in enumerate(cols, start=1):
            found = _text(self.value(1, j, c.header))
            if fold(found.replace("*", "")) != fold(c.header):
                self.bad(1, j, c.header, f"Tiêu đề cột phải là “{c.header}” (trong tệp: “{found or 'trống'}”).")
                ok = False
        if not ok:
            return None
        out = []
        for r in range(2, self.last_row() + 1):
            values = {c.key: self.value(r, j, c.header) for j, c in enumerate(cols, start=1)}
            if all(v is None or _text(v) == "" for v in values.values()):
                continue  # blank lines are skipped
            out.append((r, values))
        return out


def read_file(path: str | Path, today: date) -> tuple[Parsed, list[Problem]]:
    """Read and check cell by cell: headers, required cells, codes, flags, dates, roles."""
    from services.xlsx_safety import read_xlsx

    path = Path(path)
    book = read_xlsx(path)  # refuses .xls, encrypted, corrupt or unsafe files with a clear reason
    problems: list[Problem] = []
    parsed = Parsed()
    by_fold = {fold(n): n for n in book.sheets}
    sheets: dict[str, _Sheet] = {}
    for name in (T.PLAN_SHEET, T.UNIT_SHEET, T.TASK_SHEET, T.PROGRESS_SHEET):
        real = by_fold.get(fold(name))
        if real is not None:
            sheets[name] = _Sheet(book.sheets[real], name, problems, path.name)
        elif name in (T.UNIT_SHEET, T.TASK_SHEET):
            problems.append(Problem(f"Thiếu trang “{name}” (hãy dùng tệp mẫu của phần mềm).", file=path.name,
                                    sheet=name))
    if T.PLAN_SHEET in sheets:
        _read_plan(sheets[T.PLAN_SHEET], parsed)
    if T.UNIT_SHEET in sheets:
        _read_units(sheets[T.UNIT_SHEET], parsed)
    if T.TASK_SHEET in sheets:
        _read_tasks(sheets[T.TASK_SHEET], parsed)
    if T.PROGRESS_SHEET in sheets:
        _read_progress(sheets[T.PROGRESS_SHEET], parsed, today)
    return parsed, problems


def _date(sh: _Sheet, r: int, col: int, header: str, raw: Any) -> date | None:
    try:
        return parse_date(raw)
    except DateError as e:
        sh.bad(r, col, header, str(e))
        return None


def _read_plan(sh: _Sheet, parsed: Parsed) -> None:
    labels = {fold(label): key for label, key in T.PLAN_FIELDS}
    for r in range(2, sh.last_row() + 1):
        key = labels.get(fold(_text(sh.value(r, 1, "Thông tin"))))
        if key is None:
            continue
        raw = sh.value(r, 2, "Nội dung")
        parsed.plan_rows[key] = r
        if key == "doc_date":
            parsed.plan[key] = _date(sh, r, 2, "Nội dung", raw)
        else:
            parsed.plan[key] = _text(raw)
    sp = parsed.plan.get("start_period") or ""
    if sp and not re.match(r"^\d{4}-(0[1-9]|1[0-2])$", sp):
        sh.bad(parsed.plan_rows["start_period"], 2, "Nội dung", f"Tháng bắt đầu '{sp}' phải viết dạng 2025-03.")


def _flag(sh: _Sheet, r: int, col: int, header: str, raw: Any) -> bool | None:
    t = fold(_text(raw))
    if not t:
        return None
    if t in FLAG_YES:
        return True
    if t in FLAG_NO:
        return False
    sh.bad(r, col, header, f"Ghi “x” (có) hoặc “không”, không phải “{_text(raw)}”.")
    return None


def _required(sh: _Sheet, r: int, cols: list[T.Col], values: dict[str, Any]) -> None:
    for j, c in enumerate(cols, start=1):
        if c.required and _text(values[c.key]) == "":
            sh.bad(r, j, c.header, "Ô bắt buộc đang để trống.")


def _col(cols: list[T.Col], key: str) -> tuple[int, str]:
    j = next(i for i, c in enumerate(cols, start=1) if c.key == key)
    return j, cols[j - 1].header


def _codes(sh: _Sheet, r: int, cols: list[T.Col], key: str, raw: Any) -> list[str]:
    from services.units import CODE_RE

    out = []
    for part in _SPLIT.split(_text(raw)):
        code = part.strip().upper()
        if not code:
            continue
        if not CODE_RE.match(code):
            sh.bad(r, *_col(cols, key), f"Mã đơn vị “{part.strip()}” không hợp lệ: chỉ dùng chữ không dấu, số, "
                                        "dấu - . _ và không có khoảng trắng.")
            continue
        out.append(code)
    return out


def _read_units(sh: _Sheet, parsed: Parsed) -> None:
    from services.units import EMAIL_RE

    cols = T.UNIT_COLS
    rows = sh.table(cols)
    seen: dict[str, int] = {}
    for r, v in rows or []:
        _required(sh, r, cols, v)
        code = _text(v["code"]).upper()
        if code and _codes(sh, r, cols, "code", code) != [code]:
            if "," in code or ";" in code:
                sh.bad(r, *_col(cols, "code"), f"Mỗi dòng chỉ ghi một mã đơn vị (“{code}”).")
            code = ""  # reported; the rest of the row is still checked
        elif code in seen:
            sh.bad(r, *_col(cols, "code"), f"Mã “{code}” trùng với dòng {seen[code]}.")
            code = ""
        if code:
            seen[code] = r
        u = {"row": r, "code": code}
        for key in ("name", "short_name", "group", "contact_person", "phone", "email", "notes"):
            u[key] = _text(v[key])
        if u["email"] and not EMAIL_RE.match(u["email"]):
            sh.bad(r, *_col(cols, "email"), f"Địa chỉ thư điện tử “{u['email']}” không hợp lệ.")
        parent = _codes(sh, r, cols, "parent", v["parent"])
        u["parent"] = parent[0] if parent else None
        if len(parent) > 1:
            sh.bad(r, *_col(cols, "parent"), "Chỉ ghi một mã nhóm.")
        u["is_group"] = _flag(sh, r, *_col(cols, "is_group"), v["is_group"])
        u["owes_reports"] = _flag(sh, r, *_col(cols, "owes_reports"), v["owes_reports"])
        u["active_from"] = _date(sh, r, *_col(cols, "active_from"), v["active_from"])
        if code:
            parsed.units.append(u)


def _read_tasks(sh: _Sheet, parsed: Parsed) -> None:
    from services.plans import ROLES, section_of

    cols = T.TASK_COLS
    rows = sh.table(cols)
    seen: dict[str, int] = {}
    roles = {fold(r): r for r in ROLES}
    for r, v in rows or []:
        _required(sh, r, cols, v)
        code = _text(v["code"])
        if code in seen:
            sh.bad(r, *_col(cols, "code"), f"Mã nhiệm vụ “{code}” trùng với dòng {seen[code]}.")
            continue
        if code:
            seen[code] = r
        role_text = _text(v["role"])
        role = roles.get(fold(role_text)) if role_text else "chủ trì"
        if role is None:
            sh.bad(r, *_col(cols, "role"), f"Vai trò “{role_text}” không hợp lệ (chủ trì, thực hiện, chỉ đạo, phối hợp).")
        lead = _codes(sh, r, cols, "lead", v["lead"])
        if len(lead) > 1:
            sh.bad(r, *_col(cols, "lead"), "Chỉ ghi một đơn vị chủ trì; các đơn vị khác ghi ở cột phối hợp.")
        coop = [c for c in _codes(sh, r, cols, "cooperating", v["cooperating"]) if c not in lead[:1]]
        raw_due = v["due"]
        recurring = isinstance(raw_due, str) and fold(raw_due) in RECURRING_WORDS
        due = None if recurring else _date(sh, r, *_col(cols, "due"), raw_due)
        if code:
            parsed.tasks.append({"row": r, "code": code, "section": _text(v["section"]) or section_of(code),
                                 "text": _text(v["text"]), "lead": lead[0] if lead else None, "role": role,
                                 "cooperating": list(dict.fromkeys(coop)), "due_date": due,
                                 "recurring": recurring})


def _read_progress(sh: _Sheet, parsed: Parsed, today: date) -> None:
    cols = T.PROGRESS_COLS
    rows = sh.table(cols)
    seen: dict[tuple[str, str], int] = {}
    for r, v in rows or []:
        _required(sh, r, cols, v)
        task, unit = _text(v["task"]), _text(v["unit"]).upper()
        if (task, unit) in seen:
            sh.bad(r, *_col(cols, "unit"), f"Đơn vị “{unit}” của nhiệm vụ “{task}” trùng với dòng {seen[(task, unit)]}.")
            continue
        seen[(task, unit)] = r
        text = _text(v["progress"])
        progress = PROGRESS_CODES.get(fold(text))
        if text and progress is None:
            sh.bad(r, *_col(cols, "progress"), f"Tiến độ “{text}” không hợp lệ (Chưa thực hiện, Đang thực hiện, Hoàn thành).")
        done = _date(sh, r, *_col(cols, "completion_date"), v["completion_date"])
        if progress == "xong" and done is None and v["completion_date"] in (None, ""):
            sh.bad(r, *_col(cols, "completion_date"), "Đã hoàn thành thì phải có ngày hoàn thành.")
        if done and progress and progress != "xong":
            sh.bad(r, *_col(cols, "completion_date"), "Chỉ ghi ngày hoàn thành khi tiến độ là Hoàn thành.")
        if done and done > today:
            sh.bad(r, *_col(cols, "completion_date"), f"Ngày hoàn thành {done:%d/%m/%Y} ở tương lai.")
        if task and unit and progress:
            parsed.progress.append({"row": r, "task": task, "unit": unit, "progress": progress,
                                    "completion_date": done, "result_text": _text(v["result_text"])})


_SHEET_ORDER = {name: i for i, name in enumerate((T.PLAN_SHEET, T.UNIT_SHEET, T.TASK_SHEET, T.PROGRESS_SHEET))}


def _where(p: Problem) -> tuple[int, int, str]:
    """Problems listed sheet by sheet, row by row, as the officer fixes them."""
    return _SHEET_ORDER.get(p.sheet, -1), p.row or 0, p.column or p.cell


def preview_import(db: Database, path: str | Path, plan_id: int | None = None,
                   today: date | None = None) -> ImportPreview:
    """Every problem and every change the import would make; writes nothing."""
    from services.plan_import_apply import check

    day = today or date.today()
    parsed, problems = read_file(path, day)
    with db.session() as s:
        changes, label = check(s, parsed, plan_id, problems, Path(path).name, day)
        s.rollback()
    return ImportPreview(Path(path).name, tuple(sorted(problems, key=_where)), tuple(changes), label)


def apply_import(db: Database, path: str | Path, plan_id: int | None = None, today: date | None = None,
                 progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> ImportPreview:
    """Check again, then write everything in one transaction; ValidationError (nothing written)
    if any error remains, Cancelled (nothing written) if the user stops it."""
    from services.plan_import_apply import check, write

    day = today or date.today()
    parsed, problems = read_file(path, day)
    with db.session() as s:
        changes, label = check(s, parsed, plan_id, problems, Path(path).name, day)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise ValidationError(f"Tệp {Path(path).name} còn {len(errors)} lỗi nên chưa nhập gì.",
                                  sorted(errors, key=_where))
        write(s, parsed, plan_id, day, progress, cancelled)
    return ImportPreview(Path(path).name, tuple(problems), tuple(changes), label)
