"""Render the user manual (docs/huong-dan-su-dung.md) to PDF with reportlab (`make manual`).

A small Markdown subset of our own, enough for the manual: `#`–`###` headings, paragraphs,
`-` bullet and `1.` numbered lists (one level), `![caption](images/x.png)` images on their
own line (scaled to the page width, caption below), `|` tables with a `---` row, fenced
code blocks, `> ` notes, and inline **bold**, *italic* and `code`. Text is set in the
bundled Liberation Serif (full Vietnamese coverage); the PDF gets a title page, a table
of contents, bookmarks and page numbers. The output is byte-for-byte reproducible
(reportlab's invariant mode), so rebuilding an unchanged manual changes nothing in git.

    .venv/bin/python scripts/build_manual.py [--md FILE] [--out FILE]
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MD = ROOT / "docs" / "huong-dan-su-dung.md"
PDF = ROOT / "docs" / "huong-dan-su-dung.pdf"
FONTS = ROOT / "resources" / "fonts"
FAMILY = "ManualSerif"
PT_PER_PX = 0.6  # screenshots: 1366 px wide fill the page; small dialogs keep a readable size
sys.path.insert(0, str(Path(__file__).resolve().parent))  # manual_png beside this script


@dataclass
class Block:
    """One block of the document: kind is heading, para, bullets, numbers, image, table,
    code or note. `level` is the heading level; `items` the list items or table rows."""

    kind: str
    text: str = ""
    level: int = 0
    items: list = field(default_factory=list)


IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)\s*$")
HEADING = re.compile(r"^(?P<hashes>#{1,3})\s+(?P<text>.+?)\s*#*\s*$")
BULLET = re.compile(r"^[-*]\s+(?P<text>.*)$")
NUMBER = re.compile(r"^\d+[.)]\s+(?P<text>.*)$")


def parse(text: str) -> list[Block]:
    """Markdown subset → blocks. Unknown syntax is kept as plain paragraph text."""
    blocks: list[Block] = []
    lines = unicodedata.normalize("NFC", text).splitlines()
    i = 0
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("para", " ".join(s.strip() for s in para)))
            para.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            flush()
            i += 1
            continue
        if stripped.startswith("```"):
            flush()
            i += 1
            code: list[str] = []
            while i < len(lines) and not lines[i].strip().startswith("```"):
                code.append(lines[i])
                i += 1
            blocks.append(Block("code", "\n".join(code)))
            i += 1
            continue
        m = HEADING.match(stripped)
        if m:
            flush()
            blocks.append(Block("heading", m["text"], level=len(m["hashes"])))
            i += 1
            continue
        m = IMAGE.match(stripped)
        if m:
            flush()
            blocks.append(Block("image", m["alt"], items=[m["src"]]))
            i += 1
            continue
        if stripped.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                    rows.append(cells)
                i += 1
            blocks.append(Block("table", items=rows))
            continue
        if stripped.startswith(">"):
            flush()
            note = []
            while i < len(lines) and lines[i].strip().startswith(">"):
                note.append(lines[i].strip()[1:].strip())
                i += 1
            blocks.append(Block("note", " ".join(note)))
            continue
        for kind, pattern in (("bullets", BULLET), ("numbers", NUMBER)):
            if pattern.match(stripped):
                flush()
                items: list[str] = []
                while i < len(lines) and lines[i].strip():
                    m = pattern.match(lines[i].strip())
                    if m:
                        items.append(m["text"])
                    elif lines[i].startswith((" ", "\t")) and items:
                        items[-1] += " " + lines[i].strip()  # continuation line of an item
                    else:
                        break
                    i += 1
                blocks.append(Block(kind, items=items))
                break
        else:
            para.append(line)
            i += 1
    flush()
    return blocks


def inline(text: str) -> str:
    """Inline Markdown → reportlab paragraph markup (XML-escaped)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    parts = re.split(r"(`[^`]+`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f'<font backColor="#eeeeee">{part[1:-1]}</font>')
            continue
        part = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", part)
        part = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", part)
        out.append(part)
    return "".join(out)


def headings(text: str) -> list[tuple[int, str]]:
    """(level, plain text) of every heading: what the table of contents lists."""
    return [(b.level, plain(b.text)) for b in parse(text) if b.kind == "heading"]


def plain(text: str) -> str:
    return re.sub(r"\*\*|`|(?<!\w)\*|\*(?!\w)", "", text)


def image_sources(text: str) -> list[str]:
    return [b.items[0] for b in parse(text) if b.kind == "image"]


def _register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FAMILY in pdfmetrics.getRegisteredFontNames():
        return
    for suffix, bold, italic in (("Regular", 0, 0), ("Bold", 1, 0), ("Italic", 0, 1), ("BoldItalic", 1, 1)):
        name = FAMILY if suffix == "Regular" else f"{FAMILY}-{suffix}"
        pdfmetrics.registerFont(TTFont(name, str(FONTS / f"LiberationSerif-{suffix}.ttf")))
        addMapping(FAMILY, bold, italic, name)


def _styles() -> dict:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("body", fontName=FAMILY, fontSize=11.5, leading=15, alignment=TA_JUSTIFY,
                          spaceAfter=5)
    blue = HexColor("#1f3b63")
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=f"{FAMILY}-Bold", fontSize=26, leading=32,
                                alignment=TA_CENTER, textColor=blue, spaceAfter=14),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=19, alignment=TA_CENTER),
        "h1": ParagraphStyle("h1", parent=base, fontName=f"{FAMILY}-Bold", fontSize=17, leading=21,
                             textColor=blue, spaceBefore=6, spaceAfter=8, alignment=0, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName=f"{FAMILY}-Bold", fontSize=13.5, leading=17,
                             textColor=blue, spaceBefore=10, spaceAfter=5, alignment=0, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=base, fontName=f"{FAMILY}-BoldItalic", fontSize=12, leading=15,
                             spaceBefore=7, spaceAfter=3, alignment=0, keepWithNext=1),
        "caption": ParagraphStyle("caption", parent=base, fontName=f"{FAMILY}-Italic", fontSize=10,
                                  leading=12, alignment=TA_CENTER, spaceBefore=3, spaceAfter=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10.5, leading=13, alignment=0, spaceAfter=0),
        "code": ParagraphStyle("code", parent=base, fontSize=10, leading=12.5, alignment=0,
                               backColor=HexColor("#f2f2f2"), borderPadding=5, leftIndent=5, rightIndent=5,
                               spaceBefore=4, spaceAfter=9),
        "note": ParagraphStyle("note", parent=base, backColor=HexColor("#eef4fb"), borderPadding=6,
                               leftIndent=6, rightIndent=6, spaceBefore=4, spaceAfter=10),
        "toc1": ParagraphStyle("toc1", parent=base, fontName=f"{FAMILY}-Bold", fontSize=11.5, leading=14,
                               alignment=0, spaceBefore=2, spaceAfter=1),
        "toc2": ParagraphStyle("toc2", parent=base, fontSize=11, leading=13.5, leftIndent=16, alignment=0,
                               spaceAfter=0),
    }


def _flowables(blocks: list[Block], base_dir: Path, width: float, st: dict) -> list:
    from manual_png import image_flowable
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import (
        CondPageBreak,
        KeepTogether,
        ListFlowable,
        ListItem,
        PageBreak,
        Paragraph,
        Preformatted,
        Spacer,
        Table,
        TableStyle,
    )

    out: list = []
    first_h1 = True
    for b in blocks:
        if b.kind == "heading":
            if b.level == 1:
                continue  # the document title is on the title page
            style = st["h1"] if b.level == 2 else st["h2"]
            if b.level == 2 and not first_h1:
                out.append(PageBreak())  # each chapter starts on a new page
            else:
                # A heading must not end a page: keep room for it and what follows (a whole
                # screenshot when one comes next).
                out.append(CondPageBreak(_room_after(blocks, b, base_dir, width)))
            first_h1 = first_h1 and b.level != 2
            p = Paragraph(inline(b.text), style)
            p.toc_level = b.level - 2  # read by the document template for the TOC and bookmarks
            p.toc_text = plain(b.text)
            out.append(p)
        elif b.kind == "para":
            out.append(Paragraph(inline(b.text), st["body"]))
        elif b.kind in ("bullets", "numbers"):
            items = [ListItem(Paragraph(inline(t), st["body"]), leftIndent=16) for t in b.items]
            kw = {"bulletType": "bullet", "start": "•"} if b.kind == "bullets" else \
                {"bulletType": "1", "bulletFormat": "%s."}
            out.append(ListFlowable(items, leftIndent=16, bulletFontName=FAMILY, bulletFontSize=11, **kw))
        elif b.kind == "image":
            parts = [image_flowable(base_dir / b.items[0], width, PT_PER_PX)]
            if b.text:
                parts.append(Paragraph(inline(b.text), st["caption"]))
            out.append(KeepTogether(parts))
        elif b.kind == "table":
            rows = [[Paragraph(inline(c if r else f"**{c}**"), st["cell"]) for c in row]
                    for r, row in enumerate(b.items)]
            ncols = max(len(r) for r in rows)
            rows = [r + [Paragraph("", st["cell"])] * (ncols - len(r)) for r in rows]
            widths = _column_widths(b.items, ncols, width)
            t = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
            t.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.5, HexColor("#9aa5b1")),
                ("BACKGROUND", (0, 0), (-1, 0), HexColor("#e4ebf3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]))
            out += [t, Spacer(1, 8)]
        elif b.kind == "code":
            out.append(Preformatted(b.text, st["code"]))
        elif b.kind == "note":
            out.append(Paragraph(inline(b.text), st["note"]))
    return out


def _room_after(blocks: list[Block], heading: Block, base_dir: Path, width: float) -> float:
    """Height to keep free for a heading: the next image with its caption, else ~6 lines."""
    from manual_png import image_flowable

    nxt = blocks[blocks.index(heading) + 1] if blocks.index(heading) + 1 < len(blocks) else None
    if nxt is not None and nxt.kind == "image":
        return image_flowable(base_dir / nxt.items[0], width, PT_PER_PX).drawHeight + 70
    return 110


def _column_widths(rows: list[list[str]], ncols: int, width: float) -> list[float]:
    """Share the width by the longest text of each column (short columns stay narrow)."""
    longest = [max((len(r[c]) if c < len(r) else 0) for r in rows) for c in range(ncols)]
    weights = [min(max(n, 8), 60) for n in longest]
    total = sum(weights)
    return [width * w / total for w in weights]


def build_pdf(md_path: Path = MD, pdf_path: Path = PDF) -> Path:
    """Render the Markdown manual to a PDF; returns the PDF path."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
    )
    from reportlab.platypus.tableofcontents import TableOfContents

    rl_config.invariant = 1  # no creation date or random ids: the same input gives the same bytes
    _register_fonts()
    st = _styles()
    text = md_path.read_text(encoding="utf-8")
    blocks = parse(text)
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "Hướng dẫn sử dụng")
    intro = next((b.text for b in blocks if b.kind == "para"), "")

    class Doc(BaseDocTemplate):
        def afterFlowable(self, flowable) -> None:  # noqa: ANN001, N802 - reportlab hook
            level = getattr(flowable, "toc_level", None)
            if level is None:
                return
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.toc_text, key, level=level, closed=level > 0)
            self.notify("TOCEntry", (level, flowable.toc_text, self.page, key))

    def page_number(canv, doc) -> None:  # noqa: ANN001
        if doc.page == 1:
            return
        canv.saveState()
        canv.setFont(FAMILY, 9.5)
        canv.drawCentredString(A4[0] / 2, 12 * mm, f"SecDesk — {title} — trang {doc.page}")
        canv.restoreState()

    margin = 20 * mm
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    doc = Doc(str(pdf_path), pagesize=A4, title=title, author="SecDesk", subject="Hướng dẫn sử dụng SecDesk",
              leftMargin=margin, rightMargin=margin, topMargin=18 * mm, bottomMargin=20 * mm)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=page_number)])
    toc = TableOfContents(levelStyles=[st["toc1"], st["toc2"]], dotsMinLevel=0)
    story = [Spacer(1, 70 * mm), Paragraph(inline(title), st["title"]),
             Paragraph(inline(intro), st["subtitle"]), PageBreak(),
             Paragraph("Mục lục", st["h1"]), toc, PageBreak()]
    body = [b for b in blocks if not (b.kind == "para" and b.text == intro)]
    story += _flowables(body, md_path.parent, doc.width, st)
    doc.multiBuild(story)
    return pdf_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tạo bản PDF của hướng dẫn sử dụng.")
    parser.add_argument("--md", default=str(MD))
    parser.add_argument("--out", default=str(PDF))
    args = parser.parse_args(argv)
    md = Path(args.md)
    missing = [src for src in image_sources(md.read_text(encoding="utf-8")) if not (md.parent / src).exists()]
    if missing:
        print("Thiếu ảnh: " + ", ".join(missing) + " (chạy `make screenshots`).", file=sys.stderr)
        return 1
    out = build_pdf(md, Path(args.out))
    print(f"Đã tạo {out} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
