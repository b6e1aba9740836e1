"""Helpers for the form tests: fill an exported form the way a unit would (openpyxl keeps
the hidden sheet and the protection), and build broken files for real."""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from services.forms_common import ACT_FIRST_ROW, ACTIVITY, INFO, TASK_FIRST_ROW, TASKS, TEXT


@dataclass
class Filled:
    """What was written into a form, to check the database against."""

    progress: dict[str, str] = field(default_factory=dict)  # task code → label
    values: dict[str, int] = field(default_factory=dict)  # indicator name → value


def fill_form(path: Path, seed: int, *, done_day: date = date(2026, 11, 20)) -> Filled:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    got = Filled()
    ws = wb[TASKS]
    r = TASK_FIRST_ROW
    labels = ["Đang thực hiện", "Hoàn thành", "Chưa thực hiện"]
    while ws[f"B{r}"].value:
        label = labels[(seed + r) % 3]
        ws[f"F{r}"] = label
        ws[f"G{r}"] = done_day if label == "Hoàn thành" else None
        ws[f"H{r}"] = f"Kết quả đơn vị {seed}, dòng {r}"
        got.progress[ws[f"B{r}"].value] = label
        r += 1
    ws = wb[ACTIVITY]
    r = ACT_FIRST_ROW
    while ws[f"B{r}"].value:
        v = (seed * 7 + r * 3) % 40
        ws[f"E{r}"] = v
        got.values[ws[f"B{r}"].value] = v
        r += 1
    wb[TEXT]["B4"] = f"Tóm tắt của đơn vị {seed}"
    wb[TEXT]["B6"] = "Đề nghị tăng kinh phí tuyên truyền."
    wb[INFO]["C9"] = f"{seed:02d}/BC-DV"
    wb[INFO]["C10"] = date(2026, 11, 25)
    wb.save(path)
    return got


def edit(path: Path, changes: dict[tuple[str, str], Any], drop_sheet: str | None = None) -> None:
    """Set cells (sheet, coordinate) → value; a string starting with '=' becomes a formula."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for (sheet, coord), value in changes.items():
        wb[sheet][coord] = value
    if drop_sheet:
        del wb[drop_sheet]
    wb.save(path)


def rewrite_zip(src: Path, dst: Path, patch: dict[str, bytes] | None = None,
                extra: dict[str, bytes] | None = None) -> Path:
    """Copy an xlsx member by member, replacing or adding members (for crafted bad files)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = (patch or {}).get(info.filename, zin.read(info.filename))
            zout.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst
