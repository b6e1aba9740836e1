"""PDF renderer for an OfficialDocument (reportlab platypus).

Owns: registering the bundled Liberation Serif fonts (metric-compatible with
Times New Roman, full Vietnamese coverage), ``text_width`` (also used by the
DOCX renderer to size its rules) and ``render_pdf``, which lays the document out
as Nghị định 30/2020 Phụ lục I asks, with the same measures as render_docx.
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import HRFlowable

from services import docmodel as dm

FAMILY = "LiberationSerif"
_FACES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
          (True, True): "BoldItalic"}
_ALIGN = {dm.LEFT: TA_LEFT, dm.CENTER: TA_CENTER, dm.RIGHT: TA_RIGHT, dm.JUSTIFY: TA_JUSTIFY}
_LINE = 1.15  # a Times/Liberation "single" line is 1.15 em (ascent + descent + gap)
RULE_PT = 0.6


def _face(bold: bool, italic: bool) -> str:
    suffix = _FACES[(bold, italic)]
    return FAMILY if suffix == "Regular" else f"{FAMILY}-{suffix}"


def register_fonts() -> str:
    """Register the four faces once (TTFont: reportlab cannot embed CFF outlines)."""
    if FAMILY in pdfmetrics.getRegisteredFontNames():
        return FAMILY
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    from services.resources import fonts_dir

    folder = fonts_dir()
    for (bold, italic), suffix in _FACES.items():
        pdfmetrics.registerFont(TTFont(_face(bold, italic), str(folder / f"LiberationSerif-{suffix}.ttf")))
    registerFontFamily(FAMILY, normal=_face(False, False), bold=_face(True, False),
                       italic=_face(False, True), boldItalic=_face(True, True))
    return FAMILY


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Width in points of one line of text in Times-compatible metrics."""
    register_fonts()
    return pdfmetrics.stringWidth(dm.nfc(text), _face(bold, italic), size)


def _style(size: float, bold: bool = False, italic: bool = False, align: str = dm.CENTER,
           spacing: float = 1.0, after: float = 0.0, before: float = 0.0,
           first_indent: float = 0.0, left_indent: float = 0.0) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{bold}{italic}{align}", fontName=_face(bold, italic), fontSize=size,
        leading=size * _LINE * spacing, alignment=_ALIGN[align], spaceAfter=after,
        spaceBefore=before, firstLineIndent=first_indent, leftIndent=left_indent)


def _p(text: str, style: ParagraphStyle) -> RLParagraph:
    # Markup-escape: user text such as "A < B & C" must not be parsed as tags.
    return RLParagraph(escape(dm.nfc(text)).replace("\n", "<br/>"), style)


def _rule(width_pt: float, before: float = 2.5, after: float = 2.0) -> HRFlowable:
    return HRFlowable(width=width_pt, thickness=RULE_PT, color="black", hAlign="CENTER",
                      spaceBefore=before, spaceAfter=after)


def _body_style(size: float, bold: bool = False, italic: bool = False,
                align: str = dm.JUSTIFY, indent: bool = True) -> ParagraphStyle:
    return _style(size, bold, italic, align, spacing=dm.BODY_LINE_SPACING,
                  after=dm.BODY_SPACE_AFTER_PT, first_indent=dm.FIRST_LINE_INDENT_MM * mm if indent else 0)


def rule_widths(doc: dm.OfficialDocument) -> dict[str, float]:
    """Rule lengths in points: full tiêu ngữ; ~40 % of the agency name; 1/3 of the trích yếu."""
    col_l, full = dm.LEFT_COL_MM * mm, dm.text_width_mm() * mm
    agency = min(text_width(doc.agency.upper(), dm.SIZE["agency"], bold=True), col_l - 4)
    subject = min(text_width(doc.subject, dm.SIZE["subject"], bold=True), full)
    return {
        "motto": text_width("Độc lập - Tự do - Hạnh phúc", dm.SIZE["motto"], bold=True),
        "agency": max(agency * 0.4, 20 * mm),
        "subject": min(max(subject / 3, 25 * mm), 60 * mm),
    }


# FONT matters even without text: empty cells would otherwise set Helvetica.
_NO_BORDER = [("FONT", (0, 0), (-1, -1), FAMILY, 12), ("VALIGN", (0, 0), (-1, -1), "TOP"),
              ("LEFTPADDING", (0, 0), (-1, -1), 1), ("RIGHTPADDING", (0, 0), (-1, -1), 1),
              ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]


def _header(doc: dm.OfficialDocument) -> list[Flowable]:
    s, rules = dm.SIZE, rule_widths(doc)
    left: list[Flowable] = []
    if doc.parent_agency.strip():
        left.append(_p(doc.parent_agency.upper(), _style(s["parent_agency"])))
    left += [_p(doc.agency.upper(), _style(s["agency"], bold=True)), _rule(rules["agency"])]
    right: list[Flowable] = [
        _p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", _style(s["national"], bold=True)),
        _p("Độc lập - Tự do - Hạnh phúc", _style(s["motto"], bold=True)),
        _rule(rules["motto"]),
    ]
    num: list[Flowable] = [_p(doc.number_line(), _style(s["number"]))]
    if doc.vv_line():
        num.append(_p(doc.vv_line(), _style(s["vv"], before=2)))
    when = [_p(doc.place_date_line(), _style(s["date"], italic=True))]
    t = RLTable([[left, right], [num, when]], colWidths=[dm.LEFT_COL_MM * mm, dm.RIGHT_COL_MM * mm])
    # Cell ALIGN (not the rule's hAlign) is what centres a rule inside a table cell.
    t.setStyle(_NO_BORDER + [("TOPPADDING", (0, 1), (-1, 1), 6), ("ALIGN", (0, 0), (-1, -1), "CENTER")])
    out: list[Flowable] = [t]
    if not doc.is_letter:
        out += [_p(doc.doc_type.upper(), _style(s["doc_type"], bold=True, before=18)),
                _p(doc.subject, _style(s["subject"], bold=True)), _rule(rules["subject"], after=6)]
    else:
        out.append(Spacer(1, 12))
    out += _recipients(doc)
    return out


def _recipients(doc: dm.OfficialDocument) -> list[Flowable]:
    lines, size = doc.recipient_lines(), dm.SIZE["recipients"]
    if not lines:
        return [Spacer(1, 6)]
    if len(lines) == 1:
        return [_p(f"Kính gửi: {lines[0]}", _style(size, before=6, after=12))]
    label_w = 45 * mm
    items = [_p(x, _style(size, align=dm.LEFT)) for x in lines]
    t = RLTable([[_p("Kính gửi:", _style(size, align=dm.RIGHT)), items]],
                colWidths=[label_w, dm.text_width_mm() * mm - label_w])
    t.setStyle(_NO_BORDER + [("LEFTPADDING", (1, 0), (1, 0), 4)])
    return [Spacer(1, 6), t, Spacer(1, 12)]


def _table(table: dm.Table, width_pt: float) -> list[Flowable]:
    # Room for the title, the header and a few rows, else start on the next page.
    # (keepWithNext would glue the title to the whole table and push long tables
    # off a half-empty page.)
    out: list[Flowable] = [CondPageBreak(35 * mm)]
    if table.title:
        out.append(_p(table.title, _style(dm.SIZE["body"], bold=True, before=6, after=2)))
    if table.note:
        out.append(_p(table.note, _style(dm.SIZE["body"] - 1, italic=True, after=2)))
    fs = table.font_size
    ncols, nhead = len(table.columns), len(table.header_grid())
    head_style = _style(fs, bold=True)
    data: list[list[object]] = [["" for _ in range(ncols)] for _ in range(nhead)]
    cmds: list[tuple] = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("FONT", (0, 0), (-1, -1), FAMILY, fs),
                         ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                         ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                         ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    for hc in dm.header_cells(table):
        data[hc.row][hc.col] = _p(hc.text, head_style)
        if hc.rowspan > 1 or hc.colspan > 1:
            cmds.append(("SPAN", (hc.col, hc.row), (hc.col + hc.colspan - 1, hc.row + hc.rowspan - 1)))
    styles = {(b, c.align): _style(fs, bold=b, align=c.align) for c in table.columns for b in (False, True)}
    widths = [w * width_pt for w in table.relative_widths()]
    room = [w - 6 for w in widths]  # minus left and right padding
    rl_align = {dm.LEFT: "LEFT", dm.CENTER: "CENTER", dm.RIGHT: "RIGHT", dm.JUSTIFY: "LEFT"}
    for c, col in enumerate(table.columns):
        cmds.append(("ALIGN", (c, nhead), (c, -1), rl_align.get(col.align, "LEFT")))
    for i, row in enumerate(table.rows):
        bold = i in table.bold_rows
        face = _face(bold, False)
        if bold:
            cmds.append(("FONT", (0, nhead + i), (-1, nhead + i), face, fs))
        cells = list(row) + [None] * (ncols - len(row))
        out_row: list[object] = []
        for c, (v, col) in enumerate(zip(cells, table.columns, strict=False)):
            text = dm.nfc(dm.format_cell(v))
            # A cell that fits on one line is drawn as a plain string: laying out a
            # Paragraph per cell made the 10× annual report's big annex ~5× slower.
            if "\n" not in text and pdfmetrics.stringWidth(text, face, fs) <= room[c]:
                out_row.append(text)
            else:
                out_row.append(_p(text, styles[(bold, col.align)]))
        data.append(out_row)
    t = RLTable(data, colWidths=widths, repeatRows=nhead, hAlign="CENTER")
    t.setStyle(cmds)
    out += [t, Spacer(1, dm.BODY_SPACE_AFTER_PT)]
    return out


class _Builder:
    """Collects flowables; page breaks for orientation changes are inserted lazily,
    so a landscape table followed by an annex does not leave an empty page."""

    def __init__(self) -> None:
        self.story: list[Flowable] = []
        self.landscape = False
        self._pending: bool | None = None  # orientation of a requested new page

    def new_page(self, landscape: bool) -> None:
        self._pending = landscape

    def add(self, flowables: list[Flowable]) -> None:
        if not flowables:
            return
        if self._pending is not None:
            self.landscape, self._pending = self._pending, None
            self.story += [NextPageTemplate("landscape" if self.landscape else "portrait"),
                           PageBreak()]
        self.story += flowables

    def width(self) -> float:
        landscape = self.landscape if self._pending is None else self._pending
        return (dm.landscape_text_width_mm() if landscape else dm.text_width_mm()) * mm

    def blocks(self, blocks: list[dm.Block]) -> None:
        size = dm.SIZE["body"]
        for i, b in enumerate(blocks):
            if isinstance(b, dm.Heading):
                # No heading ends a page: demand room for it and the start of what follows.
                room = 60 if isinstance(blocks[i + 1:i + 2] and blocks[i + 1], dm.Table) else 25
                self.add([CondPageBreak(room * mm),
                          _p(b.text, _body_style(size, bold=True, italic=b.level >= 3))])
            elif isinstance(b, dm.Paragraph):
                self.add([_p(b.text, _body_style(size, b.bold, b.italic, b.align, b.indent))])
            elif isinstance(b, dm.PageBreak):
                self.add([PageBreak()])
            elif isinstance(b, dm.Table):
                back = self.landscape if self._pending is None else self._pending
                if b.landscape and not back:
                    # A wide table gets its own landscape pages, then the text goes on in portrait.
                    self.new_page(True)
                    self.add(_table(b, self.width()))
                    self.new_page(False)
                else:
                    self.add(_table(b, self.width()))


def _signature(doc: dm.OfficialDocument) -> list[Flowable]:
    s = dm.SIZE
    left: list[Flowable] = []
    if doc.distribution:
        left.append(_p("Nơi nhận:", _style(s["distribution_title"], True, True, dm.LEFT)))
        left += [_p(x, _style(s["distribution"], align=dm.LEFT)) for x in doc.distribution_lines()]
    right: list[Flowable] = []
    sig = doc.signature
    if sig:
        sty = _style(s["signature"], bold=True)
        right += [_p(x.upper(), sty) for x in (sig.authority, sig.position) if x.strip()]
        right += [Spacer(1, 28 * mm), _p(sig.name, sty)]
    if not left and not right:
        return []
    t = RLTable([[left or "", right or ""]], colWidths=[dm.LEFT_COL_MM * mm, dm.RIGHT_COL_MM * mm])
    t.setStyle(_NO_BORDER)
    return [Spacer(1, 6), t]


def _page_number(canvas, doc) -> None:  # noqa: ANN001 (reportlab callback)
    canvas.saveState()
    canvas.setFont(FAMILY, dm.SIZE["page_number"])
    w, h = canvas._pagesize
    x = dm.MARGIN_LEFT_MM * mm + (w - (dm.MARGIN_LEFT_MM + dm.MARGIN_RIGHT_MM) * mm) / 2
    canvas.drawCentredString(x, h - dm.HEADER_DISTANCE_MM * mm - dm.SIZE["page_number"] * 0.9,
                             str(doc.page))
    canvas.restoreState()


def _templates() -> list[PageTemplate]:
    pw, ph = dm.PAGE_W_MM * mm, dm.PAGE_H_MM * mm
    t, b, lm, rm = (v * mm for v in (dm.MARGIN_TOP_MM, dm.MARGIN_BOTTOM_MM,
                                     dm.MARGIN_LEFT_MM, dm.MARGIN_RIGHT_MM))

    def frame(w: float, h: float, name: str) -> Frame:
        return Frame(lm, b, w - lm - rm, h - t - b, id=name, leftPadding=0, rightPadding=0,
                     topPadding=0, bottomPadding=0)

    return [
        # Page 1 carries no number (Phụ lục I); every later page does.
        PageTemplate("first", [frame(pw, ph, "f1")], pagesize=(pw, ph), autoNextPageTemplate="portrait"),
        PageTemplate("portrait", [frame(pw, ph, "fp")], onPage=_page_number, pagesize=(pw, ph)),
        PageTemplate("landscape", [frame(ph, pw, "fl")], onPage=_page_number, pagesize=(ph, pw)),
    ]


def build_story(doc: dm.OfficialDocument) -> list[Flowable]:
    register_fonts()
    b = _Builder()
    b.add(_header(doc))
    b.blocks(doc.blocks)
    sig = _signature(doc)
    if sig and b.story and isinstance(b.story[-1], RLParagraph):
        # Never leave the signature alone on a page: it takes the closing paragraph along.
        b.add([KeepTogether([b.story.pop(), *sig])])
    else:
        b.add(sig)
    for annex in doc.annexes:
        b.new_page(annex.landscape)
        size = dm.SIZE["annex"]
        head = [_p(annex.title, _style(size, bold=True))]
        if annex.subtitle:
            head.append(_p(annex.subtitle, _style(size, bold=True)))
        if annex.reference:
            head.append(_p(annex.reference, _style(size, italic=True)))
        b.add(head + [Spacer(1, 10)])
        b.blocks(annex.blocks)
    return b.story


def render_pdf(doc: dm.OfficialDocument, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = BaseDocTemplate(
        str(path), pagesize=(dm.PAGE_W_MM * mm, dm.PAGE_H_MM * mm), pageTemplates=_templates(),
        title=dm.nfc(doc.subject or doc.doc_type), author=dm.nfc(doc.agency),
        subject=dm.nfc(doc.number_line()), creator="SecDesk",
        # Otherwise every page references (unembedded) Helvetica as its initial font.
        initialFontName=FAMILY, initialFontSize=dm.SIZE["body"])
    pdf.build(build_story(doc))
    return path
