"""DOCX renderer for an OfficialDocument (python-docx).

Owns ``render_docx``: the Word layout of Nghị định 30/2020 Phụ lục I with the
measures in services.docmodel, matching render_pdf. Header and signature blocks
are borderless two-column tables; rules are empty paragraphs with a top border
and side indents (they render the same in Word and LibreOffice); page numbers
are a PAGE field in the header from page 2 on; wide tables and annexes flagged
landscape get their own sections.
"""
from __future__ import annotations

from copy import deepcopy
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from services import docmodel as dm

_ALIGN = {dm.LEFT: WD_ALIGN_PARAGRAPH.LEFT, dm.CENTER: WD_ALIGN_PARAGRAPH.CENTER,
          dm.RIGHT: WD_ALIGN_PARAGRAPH.RIGHT, dm.JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY}
Container = DocxDocument | _Cell
PT_PER_MM = 72 / 25.4
def _el(tag: str, **attrs: str):  # noqa: ANN202 (lxml element)
    el = OxmlElement(f"w:{tag}")
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _fonts(rpr_owner, size: float | None = None) -> None:  # noqa: ANN001 (run or style element)
    """Times New Roman for every script slot: Word picks the East Asian / complex
    slot for some Vietnamese characters, and would fall back to another font."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), dm.FONT_NAME)
    if size is not None and rpr.find(qn("w:szCs")) is None:
        rpr.append(_el("szCs", val=str(round(size * 2))))  # after w:sz, as the schema wants


def _run(p: DocxParagraph, text: str, size: float, bold: bool = False, italic: bool = False) -> None:
    r = p.add_run(dm.nfc(text))
    r.font.name = dm.FONT_NAME
    r.font.size = Pt(size)
    r.font.bold = bold
    r.font.italic = italic
    _fonts(r._element, size)


def _new_par(box: Container) -> DocxParagraph:
    # A new table cell holds one bare <w:p/>: write into it rather than after it.
    if isinstance(box, _Cell) and len(box._tc.p_lst) == 1 and len(box._tc.p_lst[0]) == 0:
        return box.paragraphs[0]
    return box.add_paragraph()


def _para(box: Container, text: str, size: float, bold: bool = False, italic: bool = False,
          align: str = dm.CENTER, before: float = 0, after: float = 0, spacing: float = 1.0,
          indent: bool = False) -> DocxParagraph:
    p = _new_par(box)
    pf = p.paragraph_format
    pf.alignment = _ALIGN[align]
    pf.space_before, pf.space_after, pf.line_spacing = Pt(before), Pt(after), spacing
    pf.first_line_indent = Mm(dm.FIRST_LINE_INDENT_MM) if indent else Mm(0)
    for i, line in enumerate(dm.nfc(text).split("\n")):
        if i:
            p.runs[-1].add_break(WD_BREAK.LINE)
        _run(p, line, size, bold, italic)
    return p


def _rule(box: Container, width_pt: float, avail_mm: float, after: float = 2) -> None:
    """A centred rule width_pt long: an empty 2 pt paragraph whose top border is
    squeezed between equal side indents."""
    p = _new_par(box)
    bdr = _el("pBdr")
    bdr.append(_el("top", val="single", sz="6", space="1", color="000000"))
    # pBdr goes in first: python-docx then inserts spacing/ind after it in schema order.
    p._p.get_or_add_pPr().append(bdr)
    side = max((avail_mm - width_pt / PT_PER_MM) / 2, 0)
    pf = p.paragraph_format
    pf.space_before, pf.space_after, pf.line_spacing = Pt(2), Pt(after), Pt(2)
    pf.left_indent = pf.right_indent = Mm(side)
    mark = _el("rPr")
    mark.append(_el("sz", val="4"))
    p._p.get_or_add_pPr().append(mark)


_TBLPR_ORDER = [qn(f"w:{x}") for x in (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")]


def _tbl_pr_child(t: DocxTable, tag: str):  # noqa: ANN202 (lxml element)
    pr = t._tbl.tblPr
    el = pr.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        pr.append(el)
    # CT_TblPr is a strict sequence (python-docx leaves tblLook before jc): keep it
    # in schema order, which Word checks when it opens the file.
    kids = sorted(pr, key=lambda k: _TBLPR_ORDER.index(k.tag) if k.tag in _TBLPR_ORDER else 99)
    for k in kids:
        pr.append(k)
    return el


def _table_props(t: DocxTable, border: str, lr_twips: int, tb_twips: int) -> None:
    el = _tbl_pr_child(t, "w:tblBorders")
    extra = {} if border == "nil" else {"sz": "4", "color": "000000"}
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el.append(_el(side, val=border, **extra))
    el = _tbl_pr_child(t, "w:tblCellMar")
    for side, v in (("top", tb_twips), ("left", lr_twips), ("bottom", tb_twips), ("right", lr_twips)):
        el.append(_el(side, w=str(v), type="dxa"))


def _widths(t: DocxTable, widths_mm: list[float]) -> None:
    """Grid columns and every cell: LibreOffice reads the grid, Word the cells."""
    t.autofit = False  # fixed layout: Word must not stretch columns to content
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, w in zip(t.columns, widths_mm, strict=False):
        col.width = Mm(w)
    for tr in t._tbl.tr_lst:  # raw elements: proxies per cell are slow on long tables
        for tc, w in zip(tr.tc_lst, widths_mm, strict=False):
            tc.width = Mm(w)
    tblw = _tbl_pr_child(t, "w:tblW")
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(round(sum(widths_mm) / 25.4 * 1440))))


def _row_flag(row, tag: str) -> None:  # noqa: ANN001
    row._tr.get_or_add_trPr().append(_el(tag, val="true"))


def _borderless(doc: DocxDocument, rows: int, widths_mm: list[float]) -> DocxTable:
    t = doc.add_table(rows=rows, cols=len(widths_mm))
    _table_props(t, "nil", 28, 0)
    _widths(t, widths_mm)
    return t


def _header(doc: DocxDocument, d: dm.OfficialDocument) -> None:
    from services.render_pdf import rule_widths

    s, rules = dm.SIZE, rule_widths(d)
    lw, rw = dm.LEFT_COL_MM, dm.RIGHT_COL_MM
    t = _borderless(doc, 2, [lw, rw])
    left, right = t.cell(0, 0), t.cell(0, 1)
    if d.parent_agency.strip():
        _para(left, d.parent_agency.upper(), s["parent_agency"])
    _para(left, d.agency.upper(), s["agency"], bold=True)
    _rule(left, rules["agency"], lw - 1)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", s["national"], bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", s["motto"], bold=True)
    _rule(right, rules["motto"], rw - 1)
    num, when = t.cell(1, 0), t.cell(1, 1)
    _para(num, d.number_line(), s["number"], before=6)
    if d.vv_line():
        _para(num, d.vv_line(), s["vv"], before=2)
    _para(when, d.place_date_line(), s["date"], italic=True, before=6)
    if not d.is_letter:
        _para(doc, d.doc_type.upper(), s["doc_type"], bold=True, before=18)
        _para(doc, d.subject, s["subject"], bold=True)
        _rule(doc, rules["subject"], dm.text_width_mm(), after=6)
    else:
        _para(doc, "", 6, after=6)
    _recipients(doc, d)


def _recipients(doc: DocxDocument, d: dm.OfficialDocument) -> None:
    lines, size = d.recipient_lines(), dm.SIZE["recipients"]
    if len(lines) == 1:
        _para(doc, f"Kính gửi: {lines[0]}", size, before=6, after=12)
    elif lines:
        label = 45.0
        t = _borderless(doc, 1, [label, dm.text_width_mm() - label])
        _para(t.cell(0, 0), "Kính gửi:", size, align=dm.RIGHT)
        for x in lines:
            _para(t.cell(0, 1), x, size, align=dm.LEFT)
        _para(doc, "", 6, after=6)


def _table(doc: DocxDocument, table: dm.Table, width_mm: float) -> None:
    titles = []
    if table.title:
        titles.append(_para(doc, table.title, dm.SIZE["body"], bold=True, before=6, after=2))
    if table.note:
        titles.append(_para(doc, table.note, dm.SIZE["body"] - 1, italic=True, after=2))
    for p in titles:  # a table title never ends a page without its table
        p.paragraph_format.keep_with_next = True
    ncols, nhead = len(table.columns), len(table.header_grid())
    t = doc.add_table(rows=nhead + len(table.rows), cols=ncols)
    _table_props(t, "single", 57, 28)
    _widths(t, [w * width_mm for w in table.relative_widths()])
    fill = _CellFiller(doc, table.font_size)
    rows = list(t.rows)
    head = [list(r.cells) for r in rows[:nhead]]
    for hc in dm.header_cells(table):
        cell = head[hc.row][hc.col]
        if hc.rowspan > 1 or hc.colspan > 1:
            cell = cell.merge(head[hc.row + hc.rowspan - 1][hc.col + hc.colspan - 1])
        fill(cell._tc, hc.text, bold=True, align=dm.CENTER)
    for r in rows[:nhead]:
        # Repeat on every page, and never split a header row across pages.
        _row_flag(r, "cantSplit")
        _row_flag(r, "tblHeader")
    for i, (row, data) in enumerate(zip(rows[nhead:], table.rows, strict=False)):
        bold = i in table.bold_rows
        for tc, v, col in zip(row._tr.tc_lst, data, table.columns, strict=False):
            fill(tc, dm.format_cell(v), bold=bold, align=col.align)
    _para(doc, "", 6)


class _CellFiller:
    """Fills table cells by copying a prepared paragraph per (bold, align): going
    through python-docx's proxies per cell made a 2,000-row table take seconds."""

    def __init__(self, doc: DocxDocument, size: float) -> None:
        self.doc, self.size = doc, size
        self.templates: dict[tuple[bool, str], object] = {}

    def _template(self, bold: bool, align: str):  # noqa: ANN202 (lxml element)
        key = (bold, align)
        if key not in self.templates:
            p = _para(self.doc, "x", self.size, bold=bold, align=align)
            p._p.getparent().remove(p._p)
            p._p.r_lst[0].t_lst[0].set(qn("xml:space"), "preserve")
            self.templates[key] = p._p
        return self.templates[key]

    def __call__(self, tc, text: str, bold: bool, align: str) -> None:  # noqa: ANN001
        p = deepcopy(self._template(bold, align))
        r = p.r_lst[0]
        if not text:
            p.remove(r)
        elif "\n" in text or "\t" in text:
            r.text = text  # CT_R's setter turns these into w:br / w:tab, keeping rPr
        else:
            r.t_lst[0].text = text
        tc.replace(tc.p_lst[0], p)
        tc.get_or_add_tcPr().append(_el("vAlign", val="center"))


class _Builder:
    """Adds blocks; a change of orientation starts a new section lazily (see render_pdf)."""

    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc
        self.landscape = False
        self._pending: bool | None = None

    def new_page(self, landscape: bool) -> None:
        self._pending = landscape

    def ready(self) -> bool | None:
        """Start the requested section, if any; returns its orientation or None."""
        if self._pending is None:
            return None
        self.landscape, self._pending = self._pending, None
        _setup_section(self.doc.add_section(WD_SECTION.NEW_PAGE), self.landscape, first=False)
        return self.landscape

    def width(self) -> float:
        landscape = self.landscape if self._pending is None else self._pending
        return dm.landscape_text_width_mm() if landscape else dm.text_width_mm()

    def blocks(self, blocks: list[dm.Block]) -> None:
        size, doc = dm.SIZE["body"], self.doc
        for b in blocks:
            if isinstance(b, dm.Table):
                back = self.landscape if self._pending is None else self._pending
                if b.landscape and not back:
                    self.new_page(True)
                    self.ready()
                    _table(doc, b, self.width())
                    self.new_page(False)
                else:
                    self.ready()
                    _table(doc, b, self.width())
                continue
            self.ready()
            if isinstance(b, dm.Heading):  # kept with what follows: no heading ends a page
                _para(doc, b.text, size, bold=True, italic=b.level >= 3, align=dm.JUSTIFY,
                      after=dm.BODY_SPACE_AFTER_PT, spacing=dm.BODY_LINE_SPACING,
                      indent=True).paragraph_format.keep_with_next = True
            elif isinstance(b, dm.Paragraph):
                _para(doc, b.text, size, b.bold, b.italic, b.align, after=dm.BODY_SPACE_AFTER_PT,
                      spacing=dm.BODY_LINE_SPACING, indent=b.indent)
            elif isinstance(b, dm.PageBreak):
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _keep_last_with_next(doc: DocxDocument) -> None:
    # The signature block must not sit alone on a page: the closing paragraph comes along.
    body = doc.element.body
    last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
    if last.tag == qn("w:p"):
        DocxParagraph(last, doc._body).paragraph_format.keep_with_next = True


def _signature(doc: DocxDocument, d: dm.OfficialDocument) -> None:
    s = dm.SIZE
    t = _borderless(doc, 1, [dm.LEFT_COL_MM, dm.RIGHT_COL_MM])
    _row_flag(t.rows[0], "cantSplit")  # the signature block never breaks across pages
    left, right = t.cell(0, 0), t.cell(0, 1)
    if d.distribution:
        _para(left, "Nơi nhận:", s["distribution_title"], bold=True, italic=True, align=dm.LEFT)
        for x in d.distribution_lines():
            _para(left, x, s["distribution"], align=dm.LEFT)
    sig = d.signature
    if sig:
        for x in (sig.authority, sig.position):
            if x.strip():
                _para(right, x.upper(), s["signature"], bold=True)
        _para(right, sig.name, s["signature"], bold=True, before=28 * PT_PER_MM)


def _page_field(p: DocxParagraph, size: float) -> None:
    """PAGE as a complex field: begin, instruction, separate, cached result, end."""
    for part in ("begin", " PAGE ", "separate", "2", "end"):
        _run(p, part if part == "2" else "", size)
        if part == " PAGE ":
            el = _el("instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = part
        elif part != "2":
            el = _el("fldChar", fldCharType=part)
        else:
            continue
        p.runs[-1]._r.append(el)


def _setup_section(sec, landscape: bool, first: bool) -> None:  # noqa: ANN001
    w, h = Mm(dm.PAGE_W_MM), Mm(dm.PAGE_H_MM)
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = (h, w) if landscape else (w, h)
    sec.top_margin, sec.bottom_margin = Mm(dm.MARGIN_TOP_MM), Mm(dm.MARGIN_BOTTOM_MM)
    sec.left_margin, sec.right_margin = Mm(dm.MARGIN_LEFT_MM), Mm(dm.MARGIN_RIGHT_MM)
    sec.header_distance = sec.footer_distance = Mm(dm.HEADER_DISTANCE_MM)
    sec.gutter = Mm(0)
    # Only the first section has a separate (empty) first-page header; later
    # sections inherit the numbered header, and numbering runs on.
    sec.different_first_page_header_footer = first
    if first:
        hp = sec.header.paragraphs[0]
        hp.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(hp, dm.SIZE["page_number"])
        sec.first_page_header.is_linked_to_previous = False


def _base_styles(doc: DocxDocument) -> None:
    # The template's document defaults name theme fonts (Calibri / Cambria), which
    # win over plain font names at the same level: replace them outright.
    for rfonts in doc.styles.element.xpath("w:docDefaults//w:rFonts"):
        for k in list(rfonts.attrib):
            del rfonts.attrib[k]
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), dm.FONT_NAME)
    for lang in doc.styles.element.xpath("w:docDefaults//w:lang"):
        lang.set(qn("w:val"), "vi-VN")  # Vietnamese proofing, not English
    normal = doc.styles["Normal"]
    normal.font.name = dm.FONT_NAME
    normal.font.size = Pt(dm.SIZE["body"])
    _fonts(normal.element, dm.SIZE["body"])
    pf = normal.paragraph_format
    pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(0), 1.0


def render_docx(doc: dm.OfficialDocument, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = Document()
    _base_styles(out)
    _setup_section(out.sections[0], landscape=False, first=True)
    out.core_properties.title = dm.nfc(doc.subject or doc.doc_type)
    out.core_properties.author = dm.nfc(doc.agency)
    b = _Builder(out)
    _header(out, doc)
    b.blocks(doc.blocks)
    if doc.signature or doc.distribution:
        if b.ready() is None:
            _keep_last_with_next(out)
        _signature(out, doc)
    for annex in doc.annexes:
        b.new_page(annex.landscape)
        b.ready()
        size = dm.SIZE["annex"]
        _para(out, annex.title, size, bold=True)
        if annex.subtitle:
            _para(out, annex.subtitle, size, bold=True)
        if annex.reference:
            _para(out, annex.reference, size, italic=True)
        _para(out, "", 8)
        b.blocks(annex.blocks)
    out.save(str(path))
    return path
