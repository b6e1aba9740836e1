"""Render resources/icons/secdesk.svg into a multi-size Windows icon (installer/secdesk.ico).

Run at build time by installer/build.py (the .ico is generated, never committed). Qt's own
ICO writer stores a single image, so the ICO container is written here: sizes below 256
as 32-bit BMP/DIB entries (what every Windows tool reads), 256 px as PNG (the Vista+ form
that keeps the file small).

    python installer/make_icon.py [SVG] [ICO]
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SVG = ROOT / "resources" / "icons" / "secdesk.svg"
DEFAULT_ICO = Path(__file__).resolve().parent / "secdesk.ico"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def _render(svg: Path, size: int):  # noqa: ANN202 - QImage, imported lazily
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"not a valid SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def _png_bytes(image) -> bytes:  # noqa: ANN001 - QImage
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data)


def _dib_bytes(image) -> bytes:  # noqa: ANN001 - QImage
    """A BITMAPINFOHEADER + bottom-up BGRA pixels + 1-bit AND mask, as ICO entries want."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(size - 1, -1, -1):  # DIBs are stored bottom-up
        # Format_ARGB32 is 0xAARRGGBB per pixel: little-endian bytes are B, G, R, A.
        rows.append(struct.pack(f"<{size}I", *(image.pixel(x, y) for x in range(size))))
    mask_row = ((size + 31) // 32) * 4  # AND mask rows are padded to 32 bits; all 0 = use alpha
    return header + b"".join(rows) + b"\0" * (mask_row * size)


def make_ico(svg: Path = DEFAULT_SVG, ico: Path = DEFAULT_ICO, sizes: tuple[int, ...] = SIZES) -> Path:
    """Write `ico` with one image per size; returns its path."""
    from PySide6.QtGui import QGuiApplication

    # QPainter needs a GUI application; offscreen works without a display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    images = []
    for size in sizes:
        img = _render(svg, size)
        images.append((size, _png_bytes(img) if size >= 256 else _dib_bytes(img)))
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = [], []
    for size, blob in images:
        dim = 0 if size >= 256 else size  # 0 means 256 in ICONDIRENTRY
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    ico.parent.mkdir(parents=True, exist_ok=True)
    ico.write_bytes(header + b"".join(entries) + b"".join(blobs))
    return ico


def read_ico_sizes(ico: Path) -> list[int]:
    """Sizes listed in an ICO directory (used by tests and the build log)."""
    data = ico.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    if reserved != 0 or kind != 1:
        raise ValueError(f"not an icon file: {ico}")
    sizes = []
    for i in range(count):
        w = struct.unpack_from("<B", data, 6 + 16 * i)[0]
        sizes.append(w or 256)
    return sizes


if __name__ == "__main__":
    svg = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SVG
    ico = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_ICO
    out = make_ico(svg, ico)
    print(f"icon: {out} ({', '.join(map(str, read_ico_sizes(out)))} px, {out.stat().st_size} bytes)")
