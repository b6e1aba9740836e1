"""The user manual: the Markdown source, its screenshots, the PDF builder and the shortcut list.

The PDF is built for real into a temporary folder and read back with pypdf; the palette
PNG embedding is checked pixel for pixel."""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MANUAL = DOCS / "huong-dan-su-dung.md"
sys.path.insert(0, str(ROOT / "scripts"))

import build_manual  # noqa: E402 - scripts/ is not a package
import manual_png  # noqa: E402


def _text() -> str:
    return MANUAL.read_text(encoding="utf-8")


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def test_manual_is_nfc_vietnamese_text() -> None:
    text = _text()
    assert text == unicodedata.normalize("NFC", text), "the manual must be stored in NFC"
    assert "\ufffd" not in text
    for word in ("Hướng dẫn sử dụng", "Ghi nhận báo cáo đến", "đôn đốc", "Sao lưu", "Khôi phục", "nghỉ bù"):
        assert word in text


def test_every_image_exists_and_is_small() -> None:
    sources = build_manual.image_sources(_text())
    assert len(sources) >= 20
    total = 0
    for src in sources:
        path = DOCS / src
        assert path.is_file(), f"{src} is referenced by the manual but missing (make screenshots)"
        size = path.stat().st_size
        assert size <= 150_000, f"{src}: {size} bytes"
        total += size
    assert total < 3_000_000
    # and no screenshot lies unused in docs/images
    assert sorted(p.name for p in (DOCS / "images").glob("*.png")) == sorted({Path(s).name for s in sources})


def test_every_page_has_a_heading() -> None:
    from gui.pages import PAGES

    titles = [t for _level, t in build_manual.headings(_text())]
    for _key, title, _module, _cls in PAGES:
        name = title.replace("&&", "&")
        assert any(name in t for t in titles), f"no heading for the page {name}"


def test_documented_shortcuts_are_the_real_ones() -> None:
    """Every key sequence written literally in gui/ is listed in the manual's table."""
    used: set[str] = set()
    for path in (ROOT / "gui").rglob("*.py"):
        used |= set(re.findall(r'"((?:Ctrl|Shift|Alt)\+[A-Za-z0-9+]+|F\d{1,2}|Delete)"', path.read_text("utf-8")))
    text = _text()
    table = text[text.index("## 11. Phím tắt"):text.index("## 12.")]
    documented = {cell.strip() for row in table.splitlines() if row.startswith("|")
                  for part in row.split("|")[1:2] for cell in part.split(",")}
    aliases = {"Ctrl+Return": "Ctrl+Enter"}
    missing = sorted(k for k in used if aliases.get(k, k) not in documented)
    assert not missing, f"shortcuts used in gui/ but not in the manual: {missing}"
    # The menu's own shortcuts (standard keys) are documented too.
    for key in ("F1", "Ctrl+O", "Ctrl+Shift+N", "Ctrl+B", "Ctrl+Q", "Ctrl+F", "Ctrl+P", "Ctrl+S", "F5"):
        assert key in documented


def test_parse_markdown_subset() -> None:
    md = "\n".join([
        "# Tiêu đề", "", "## 1. Chương", "Đoạn **đậm** và *nghiêng*, `mã` & <thẻ>.", "dòng tiếp.", "",
        "- mục một", "  tiếp theo", "- mục hai", "", "1. bước một", "2. bước hai", "",
        "![Chú thích](images/x.png)", "", "| A | B |", "|---|---|", "| 1 | 2 |", "",
        "```", "make run", "```", "", "> Ghi chú", "### 1.1. Mục con",
    ])
    blocks = build_manual.parse(md)
    assert [b.kind for b in blocks] == ["heading", "heading", "para", "bullets", "numbers", "image",
                                        "table", "code", "note", "heading"]
    assert blocks[2].text == "Đoạn **đậm** và *nghiêng*, `mã` & <thẻ>. dòng tiếp."
    assert blocks[3].items == ["mục một tiếp theo", "mục hai"]
    assert blocks[4].items == ["bước một", "bước hai"]
    assert blocks[5].text == "Chú thích" and blocks[5].items == ["images/x.png"]
    assert blocks[6].items == [["A", "B"], ["1", "2"]]
    assert blocks[7].text == "make run"
    assert build_manual.headings(md) == [(1, "Tiêu đề"), (2, "1. Chương"), (3, "1.1. Mục con")]
    html = build_manual.inline(blocks[2].text)
    assert "<b>đậm</b>" in html and "<i>nghiêng</i>" in html and "&amp;" in html and "&lt;thẻ&gt;" in html


def test_pdf_contains_every_heading(tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = build_manual.build_pdf(MANUAL, tmp_path / "manual.pdf")
    assert out.stat().st_size < 3_000_000
    reader = PdfReader(str(out))
    text = _squash(" ".join(page.extract_text() or "" for page in reader.pages))
    for _level, heading in build_manual.headings(_text()):
        assert _squash(heading) in text, f"heading missing from the PDF: {heading}"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "5. Các trang của phần mềm" in outline and "12. Câu hỏi thường gặp" in outline
    assert reader.metadata.title == "Hướng dẫn sử dụng SecDesk"
    images = sum(len(page.images) for page in reader.pages)
    assert images == len(set(build_manual.image_sources(_text())))


def test_pdf_is_reproducible(tmp_path: Path) -> None:
    a = build_manual.build_pdf(MANUAL, tmp_path / "a.pdf").read_bytes()
    b = build_manual.build_pdf(MANUAL, tmp_path / "b.pdf").read_bytes()
    assert a == b


def test_palette_png_goes_into_the_pdf_unchanged(tmp_path: Path) -> None:
    from PIL import Image
    from pypdf import PdfReader
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    img = Image.new("RGB", (203, 61))
    img.putdata([((x * 7) % 256, (y * 11) % 256, (x * y) % 256) for y in range(61) for x in range(203)])
    png_path = tmp_path / "p.png"
    img.quantize(colors=64, dither=Image.Dither.NONE).save(png_path, optimize=True)
    png = manual_png.read_palette_png(png_path)
    assert png is not None and (png.width, png.height) == (203, 61) and manual_png.check_rows(png)

    pdf = tmp_path / "p.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4).build([manual_png.image_flowable(png_path, 400, 1.0)])
    raw = pdf.read_bytes()
    assert png.idat in raw  # stored as it is in the PNG, not decoded and deflated again
    assert b"/Filter /FlateDecode" in raw  # a name: poppler ignores DecodeParms next to an array
    got = PdfReader(str(pdf)).pages[0].images[0].image.convert("RGB")
    assert got.tobytes() == Image.open(png_path).convert("RGB").tobytes()

    rgb = tmp_path / "rgb.png"
    img.save(rgb)
    assert manual_png.read_palette_png(rgb) is None  # other PNGs use reportlab's own Image


def test_screenshot_png_is_palette_and_small(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    import io

    import screenshots
    from PIL import Image
    from PySide6.QtGui import QImage

    # Busy content with many colours (like a chart-heavy page) must still fit the size limit.
    busy = Image.effect_mandelbrot((1366, 768), (-2.2, -1.2, 1.0, 1.2), 60).convert("RGB")
    data = io.BytesIO()
    busy.save(data, "PNG")
    image = QImage.fromData(data.getvalue(), "PNG")
    assert image.width() == 1366
    size = screenshots.save_png(image, tmp_path / "s.png")
    saved = Image.open(tmp_path / "s.png")
    assert saved.mode == "P" and size == (tmp_path / "s.png").stat().st_size <= 150_000


def test_committed_pdf_is_current() -> None:
    """The PDF in the repository was built from the Markdown as it is now (make manual)."""
    from pypdf import PdfReader

    pdf = DOCS / "huong-dan-su-dung.pdf"
    assert pdf.is_file() and pdf.stat().st_size < 3_000_000
    text = _squash(" ".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages))
    for _level, heading in build_manual.headings(_text()):
        assert _squash(heading) in text, "docs/huong-dan-su-dung.pdf is older than the Markdown: run make manual"
