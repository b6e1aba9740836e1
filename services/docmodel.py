"""Plain description of an official document (Nghị định 30/2020/NĐ-CP, Phụ lục I).

Owns the dataclasses that services fill in and that ``render_docx``,
``render_pdf`` and ``xlsx_tables`` turn into files, the small text helpers the
renderers share (the "Số:" line, the place and date line, recipient lines,
table header merges, cell formatting) and the layout measures of Phụ lục I.
Keeping the measures here is what stops the DOCX and the PDF from drifting.

No database, no Qt, no rendering library: only the standard library.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from services.periods import format_date_vn, official_date_text

Cell = str | int | float | Decimal | None

LEFT, CENTER, RIGHT, JUSTIFY = "left", "center", "right", "justify"
# In Table.header_rows, None continues the cell on its left (a column span) and
# MERGE_UP continues the cell above (a row span). A control character keeps it
# from ever colliding with real header text.
MERGE_UP = "\x00merge-up"

# ---- layout measures shared by both renderers (mm and pt) --------------------
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20.0, 20.0, 30.0, 15.0
HEADER_DISTANCE_MM = 10.0  # page number sits inside the 20 mm top margin
# Header and signature tables: the right column must hold "CỘNG HÒA XÃ HỘI CHỦ
# NGHĨA VIỆT NAM" at 12 pt bold (88.3 mm in Times/Liberation metrics) on one line.
LEFT_COL_MM, RIGHT_COL_MM = 75.0, 90.0
FIRST_LINE_INDENT_MM = 12.7
BODY_SPACE_AFTER_PT = 6.0
BODY_LINE_SPACING = 1.15  # Word "multiple"; the PDF multiplies by the font's own 1.15 line
FONT_NAME = "Times New Roman"

SIZE = {
    "national": 12.0,       # Quốc hiệu
    "motto": 13.0,          # Tiêu ngữ
    "parent_agency": 13.0,  # Cơ quan chủ quản
    "agency": 13.0,         # Tên cơ quan ban hành
    "number": 13.0,         # Số, ký hiệu
    "vv": 12.0,             # Trích yếu of a công văn ("V/v …")
    "date": 14.0,           # Địa danh, ngày tháng
    "doc_type": 14.0,       # Tên loại
    "subject": 14.0,        # Trích yếu
    "recipients": 14.0,     # Kính gửi
    "body": 14.0,
    "signature": 14.0,
    "distribution_title": 12.0,  # "Nơi nhận:"
    "distribution": 11.0,
    "page_number": 13.0,
    "annex": 14.0,
}


def text_width_mm() -> float:
    return PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM


def landscape_text_width_mm() -> float:
    return PAGE_H_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM


def nfc(s: str | None) -> str:
    return unicodedata.normalize("NFC", s or "")


# ---- blocks ------------------------------------------------------------------
@dataclass
class Heading:
    """A section heading; the caller writes the numbering ("I. …", "1. …", "a) …").
    Level 1 and 2 are bold, level 3 and deeper bold italic."""
    level: int
    text: str


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    indent: bool = True  # first-line indent 1.27 cm
    align: str = JUSTIFY


@dataclass
class Column:
    title: str
    width: float = 1.0  # relative to the other columns
    align: str = LEFT   # alignment of body cells; header cells are always centred


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    # None → one header row made of the column titles. Otherwise each row has one
    # entry per column: text, None (span from the left) or MERGE_UP (span from above).
    header_rows: list[list[str | None]] | None = None
    title: str = ""        # bold centred line above the table (and the sheet's title row)
    note: str = ""         # italic centred line under the title, e.g. "(Số liệu đến 14/5/2026)"
    landscape: bool = False
    bold_rows: set[int] = field(default_factory=set)  # body row indexes, e.g. a total row
    font_size: float = 12.0
    sheet_name: str = ""   # xlsx only; defaults to the title

    def header_grid(self) -> list[list[str | None]]:
        return self.header_rows if self.header_rows else [[c.title for c in self.columns]]

    def relative_widths(self) -> list[float]:
        ws = [max(float(c.width), 0.01) for c in self.columns]
        total = sum(ws)
        return [w / total for w in ws]


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | Table | PageBreak


@dataclass
class Signature:
    authority: str = ""  # quyền hạn: "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"; "" when none
    position: str = ""   # chức vụ: "PHÓ GIÁM ĐỐC"
    name: str = ""       # người ký


@dataclass
class Annex:
    title: str                 # "Phụ lục 01"
    subtitle: str = ""         # "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ …"
    reference: str = ""        # "(Kèm theo Báo cáo số … ngày … của …)"; see annex_reference()
    blocks: list[Block] = field(default_factory=list)
    landscape: bool = False


@dataclass
class OfficialDocument:
    agency: str                        # cơ quan ban hành: "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    parent_agency: str = ""            # cơ quan chủ quản: "UBND TỈNH HẢI DƯƠNG"
    number: str = ""                   # "05/BC-SKHCN" or the whole "Số: 05/BC-SKHCN"
    place: str = ""                    # "Hải Dương"
    issue_date: date | None = None
    date_text: str = ""                # overrides issue_date, e.g. "ngày     tháng 01 năm 2026"
    doc_type: str = ""                 # "BÁO CÁO"; "" for a công văn
    subject: str = ""                  # trích yếu; a công văn shows it as "V/v …"
    recipients: list[str] = field(default_factory=list)  # "Kính gửi:"
    blocks: list[Block] = field(default_factory=list)
    signature: Signature | None = None
    distribution: list[str] = field(default_factory=list)  # Nơi nhận: "- Như trên;" …
    annexes: list[Annex] = field(default_factory=list)

    @property
    def is_letter(self) -> bool:
        """A công văn has no type name; its subject goes under the number."""
        return not self.doc_type.strip()

    def number_line(self) -> str:
        n = nfc(self.number).strip()
        return n if n.lower().startswith("số") else f"Số: {n}"

    def place_date_line(self) -> str:
        when = nfc(self.date_text).strip() or (
            official_date_text(self.issue_date) if self.issue_date else "ngày     tháng     năm     ")
        place = nfc(self.place).strip()
        return f"{place}, {when}" if place else when[:1].upper() + when[1:]

    def vv_line(self) -> str:
        s = nfc(self.subject).strip()
        if not s or not self.is_letter:
            return ""
        return s if s.startswith("V/v") else f"V/v {s}"

    def recipient_lines(self) -> list[str]:
        """["- A;", "- B."] for many recipients, ["A."] for one, [] for none."""
        items = [nfc(r).strip().rstrip(";.,").strip() for r in self.recipients]
        items = [r for r in items if r]
        if len(items) == 1:
            return [items[0] + "."]
        return [f"- {r}{'.' if i == len(items) - 1 else ';'}" for i, r in enumerate(items)]

    def distribution_lines(self) -> list[str]:
        lines = [nfc(x).strip() for x in self.distribution if nfc(x).strip()]
        return [x if x.startswith(("-", "+", "–")) else f"- {x}" for x in lines]


def annex_reference(kind: str, number: str, issued: date | None, issuer: str) -> str:
    """"(Kèm theo Báo cáo số 05/BC-SKHCN ngày 05/01/2026 của Sở Khoa học và Công nghệ)"."""
    when = f" ngày {format_date_vn(issued)}" if issued else ""
    num = f" số {number}" if number else ""
    return nfc(f"(Kèm theo {kind}{num}{when} của {issuer})")


# ---- table helpers -------------------------------------------------------------
@dataclass(frozen=True)
class HeaderCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


def header_cells(table: Table) -> list[HeaderCell]:
    """The header grid resolved into cells with spans, top-left anchored, so all
    three renderers merge exactly the same ranges."""
    grid = table.header_grid()
    ncols = len(table.columns)
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    anchors: dict[tuple[int, int], list[int]] = {}  # (r, c) → [last_row, last_col]
    for r, row in enumerate(grid):
        row = list(row) + [""] * (ncols - len(row))
        for c in range(ncols):
            v = row[c]
            if v is None and c > 0:
                src = owner[(r, c - 1)]
            elif v == MERGE_UP and r > 0:
                src = owner[(r - 1, c)]
            else:
                src = (r, c)
                anchors[src] = [r, c]
            owner[(r, c)] = src
            a = anchors[src]
            a[0], a[1] = max(a[0], r), max(a[1], c)
    out = []
    for (r, c), (r1, c1) in anchors.items():
        v = grid[r][c] if c < len(grid[r]) else ""
        text = "" if v in (None, MERGE_UP) else nfc(str(v))
        out.append(HeaderCell(r, c, r1 - r + 1, c1 - c + 1, text))
    return out


def format_cell(v: Cell) -> str:
    """Vietnamese number style for text output: 1.234 and 12,5. Pass years and codes
    as strings (2026 would otherwise read "2.026")."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "Có" if v else "Không"
    if isinstance(v, int):
        return f"{v:,}".replace(",", ".")
    if isinstance(v, float | Decimal):
        s = f"{float(v):,.2f}".rstrip("0").rstrip(".")
        return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return nfc(str(v))
