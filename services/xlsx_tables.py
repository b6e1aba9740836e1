"""Excel output for tables (openpyxl).

Owns ``write_tables`` (docmodel.Table blocks, one print-ready sheet each: title
rows, merged bold header, relative column widths, A4, fit to width, repeated
header rows, "Trang &P/&N" footer, frozen header) and ``export_rows``, the
generic list export every table view in the app uses. Both neutralise text that
Excel would read as a formula: user data must never run as code.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from services import docmodel as dm

FONT_NAME = "Times New Roman"
FORMULA_PREFIXES = ("=", "+", "-", "@")
_SHEET_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})
# Width budget in Excel character units; fit-to-width scales it to the paper.
_BUDGET = {False: 95.0, True: 140.0}


def set_value(cell, value: object) -> None:  # noqa: ANN001 (openpyxl cell)
    """Write a value; text starting with = + - @ stays literal text (data_type 's',
    plus Excel's quote prefix so it stays text after the user edits the cell)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", dm.nfc(value))
        cell.value = value
        if value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
            cell.quotePrefix = True
        return
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, int | float | Decimal):
        cell.value = value
        cell.number_format = "#,##0" if isinstance(value, int) else "#,##0.##"
    elif isinstance(value, datetime):
        cell.value = value
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "DD/MM/YYYY"
    elif value is None:
        cell.value = None
    else:
        set_value(cell, str(value))


def _sheet_title(wb, wanted: str) -> str:  # noqa: ANN001
    base = dm.nfc(wanted).translate(_SHEET_BAD).strip("' ") or "Bảng"
    if len(base) > 31:  # Excel's limit; cut at a word boundary when there is one
        cut = base[:31]
        base = cut[: cut.rfind(" ")] if " " in cut[10:] else cut
    name, n = base, 2
    existing = {ws.title.lower() for ws in wb.worksheets}
    while name.lower() in existing:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return name


def _print_setup(ws, landscape: bool, title_rows: tuple[int, int] | None) -> None:  # noqa: ANN001
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.print_options.horizontalCentered = True
    ws.page_margins.left, ws.page_margins.right = 0.6, 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT_NAME
    ws.oddFooter.center.size = 11


def _styles(size: float):  # noqa: ANN202
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "font": Font(name=FONT_NAME, size=size),
        "bold": Font(name=FONT_NAME, size=size, bold=True),
        "title": Font(name=FONT_NAME, size=size + 2, bold=True),
        "italic": Font(name=FONT_NAME, size=size, italic=True),
        "head_align": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "align": {a: Alignment(horizontal=a, vertical="center", wrap_text=True)
                  for a in (dm.LEFT, dm.CENTER, dm.RIGHT)},
    }


def _table_sheet(wb, table: dm.Table, heading: Sequence[str]) -> None:  # noqa: ANN001
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(_sheet_title(wb, table.sheet_name or table.title or "Bảng"))
    st, ncols = _styles(table.font_size), len(table.columns)
    r = 1
    titles = [(x, st["bold"]) for x in heading if x] + [(table.title, st["title"])] * bool(table.title)
    titles += [(table.note, st["italic"])] * bool(table.note)
    for text, font in titles:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        c = ws.cell(row=r, column=1)
        set_value(c, text)
        c.font, c.alignment = font, st["head_align"]
        r += 1
    if titles:
        r += 1  # a blank row between the titles and the table
    head0, nhead = r, len(table.header_grid())
    for row in range(head0, head0 + nhead):
        for col in range(1, ncols + 1):
            c = ws.cell(row=row, column=col)
            c.border, c.font, c.alignment = st["border"], st["bold"], st["head_align"]
    for hc in dm.header_cells(table):
        set_value(ws.cell(row=head0 + hc.row, column=hc.col + 1), hc.text)
        if hc.rowspan > 1 or hc.colspan > 1:
            ws.merge_cells(start_row=head0 + hc.row, start_column=hc.col + 1,
                           end_row=head0 + hc.row + hc.rowspan - 1,
                           end_column=hc.col + hc.colspan)
    first = head0 + nhead
    for i, data in enumerate(table.rows):
        font = st["bold"] if i in table.bold_rows else st["font"]
        for j, col in enumerate(table.columns):
            c = ws.cell(row=first + i, column=j + 1)
            set_value(c, data[j] if j < len(data) else None)
            c.border, c.font, c.alignment = st["border"], font, st["align"].get(col.align, st["align"][dm.LEFT])
    budget = _BUDGET[table.landscape]
    widths = [max(round(w * budget, 1), 4) for w in table.relative_widths()]
    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = w
    _row_heights(ws, table, widths, head0, first)
    ws.freeze_panes = ws.cell(row=first, column=1).coordinate
    _print_setup(ws, table.landscape, (head0, first - 1))


def _lines(text: str, width_chars: float, size: float, bold: bool) -> int:
    """Lines a wrapped text needs in a column of `width_chars` Excel units (an estimate:
    Times glyphs are about as wide as the unit at 11 pt, bold ones a little wider)."""
    per_line = max(width_chars - 1.0, 1.0) * 11.0 / size / (1.1 if bold else 1.0)
    return sum(max(1, -(-len(part) // int(per_line))) for part in (text or "").split("\n"))


def _row_heights(ws, table: dm.Table, widths: list[float], head0: int, first: int) -> None:  # noqa: ANN001
    """Explicit heights for wrapped rows: spreadsheet programs do not grow rows with merged
    cells, so a wrapped header would print cut off."""
    size = table.font_size
    need: dict[int, float] = {}
    for hc in dm.header_cells(table):
        lines = _lines(hc.text, sum(widths[hc.col:hc.col + hc.colspan]), size, True)
        for k in range(hc.rowspan):
            row = head0 + hc.row + k
            need[row] = max(need.get(row, 1.0), lines / hc.rowspan)
    for i, data in enumerate(table.rows):
        texts = [dm.format_cell(v) if not isinstance(v, date) else "00/00/0000" for v in data]
        lines = max((_lines(t, widths[j], size, i in table.bold_rows) for j, t in enumerate(texts[:len(widths)])),
                    default=1)
        if lines > 1:
            need[first + i] = lines
    for row, lines in need.items():
        if lines > 1:
            ws.row_dimensions[row].height = round(-(-lines // 1) * size * 1.3 + 3, 1)


def write_tables(path: str | Path, tables: Sequence[dm.Table], heading: Sequence[str] = ()) -> Path:
    """One sheet per table; `heading` lines (e.g. the agency name) go above each title."""
    from openpyxl import Workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for t in tables:
        _table_sheet(wb, t, heading)
    if not wb.worksheets:
        wb.create_sheet("Bảng")
    wb.save(str(path))
    return path


def _display_len(v: object) -> int:
    if v is None:
        return 0
    if isinstance(v, date):
        return 10
    return max((len(line) for line in str(v).splitlines()), default=0)


def export_rows(path: str | Path, headers: Sequence[str], rows: Iterable[Sequence[object]],
                title: str | None = None) -> Path:
    """Plain list export: optional title row, bold frozen header with autofilter,
    column widths from the content, the same formula escaping as write_tables."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(wb, title or "Danh sách") if title else "Danh sách"
    ncols = max(len(headers), 1)
    r = 1
    if title:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        set_value(ws.cell(row=1, column=1), title)
        ws.cell(row=1, column=1).font = Font(name=FONT_NAME, size=14, bold=True)
        r = 3
    head = r
    bold = Font(name=FONT_NAME, size=12, bold=True)
    fill = PatternFill("solid", fgColor="DDE7F0")
    widths = [_display_len(h) for h in headers]
    for j, h in enumerate(headers):
        c = ws.cell(row=head, column=j + 1)
        set_value(c, h)
        c.font, c.fill = bold, fill
        c.alignment = Alignment(vertical="center", wrap_text=True)
    last = head
    for last, row in enumerate(rows, start=head + 1):  # noqa: B007 (last is used after the loop)
        for j, v in enumerate(row):
            set_value(ws.cell(row=last, column=j + 1), v)
            if j < len(widths) and last - head <= 2000:  # sizing from a sample is enough
                widths[j] = max(widths[j], _display_len(v))
    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = min(max(w + 2, 8), 60)
    ws.freeze_panes = ws.cell(row=head + 1, column=1).coordinate
    ws.auto_filter.ref = f"A{head}:{get_column_letter(ncols)}{last}"
    _print_setup(ws, landscape=sum(widths) > 110, title_rows=(head, head))
    wb.save(str(path))
    return path
