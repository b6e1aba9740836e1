"""Palette PNG screenshots placed in a reportlab PDF without re-encoding (for build_manual).

reportlab decodes every image to RGB and deflates it again, which makes our 8-bit palette
screenshots about three times bigger in the PDF than on disk. A PDF image can use the
PNG's own compressed data directly (FlateDecode with the PNG predictors and an Indexed
colour space), so the manual's PDF stays about as small as the PNG files. Anything that
is not a plain non-interlaced palette PNG falls back to reportlab's own Image flowable.
"""
from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfdoc
from reportlab.platypus import Flowable
from reportlab.platypus import Image as RLImage

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class PalettePng:
    width: int
    height: int
    bits: int
    palette: bytes  # RGB triplets
    idat: bytes  # the zlib stream of the image rows, as stored in the file


def read_palette_png(path: Path) -> PalettePng | None:
    """The parts of a palette PNG a PDF needs; None for any other kind of PNG."""
    data = path.read_bytes()
    if not data.startswith(PNG_SIGNATURE):
        return None
    pos, header, palette, idat = 8, None, b"", []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"tRNS":
            return None  # transparency would need a soft mask
        elif kind == b"IEND":
            break
    if header is None:
        return None
    width, height, bits, colour_type, _compression, _filter, interlace = header
    if colour_type != 3 or interlace or not palette:
        return None
    return PalettePng(width, height, bits, palette, b"".join(idat))


class _IndexedImage(pdfdoc.PDFImageXObject):
    """An image XObject holding the PNG's compressed rows and its palette."""

    def __init__(self, name: str, png: PalettePng) -> None:
        super().__init__(name)
        self.png = png
        self.width, self.height = png.width, png.height

    def format(self, document) -> bytes:  # noqa: ANN001 - reportlab's PDFDocument
        p = self.png
        stream = pdfdoc.PDFStream(content=p.idat, filters=())
        d = stream.dictionary
        d["Type"] = pdfdoc.PDFName("XObject")
        d["Subtype"] = pdfdoc.PDFName("Image")
        d["Width"], d["Height"], d["BitsPerComponent"] = p.width, p.height, p.bits
        d["ColorSpace"] = pdfdoc.PDFArray(["/Indexed", "/DeviceRGB", len(p.palette) // 3 - 1,
                                           "<" + p.palette.hex() + ">"])
        d["Filter"] = "/FlateDecode"  # a name: with an array, DecodeParms would have to be one too
        d["DecodeParms"] = pdfdoc.PDFDictionary(
            {"Predictor": 15, "Colors": 1, "BitsPerComponent": p.bits, "Columns": p.width})
        return stream.format(document)


class PngImage(Flowable):
    """Draws a palette PNG at a given size (the data is stored once per file)."""

    def __init__(self, path: Path, png: PalettePng, width: float, height: float) -> None:
        super().__init__()
        self.path, self.png = path, png
        self.drawWidth, self.drawHeight = width, height
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.drawWidth, self.drawHeight

    def draw(self) -> None:
        # Mirrors reportlab's Canvas.drawImage registration of an image XObject.
        canv = self.canv
        name = hashlib.sha1(self.png.idat).hexdigest()
        reg = canv._doc.getXObjectName(name)
        if canv._doc.idToObject.get(reg) is None:
            obj = _IndexedImage(name, self.png)
            canv._setXObjects(obj)
            canv._doc.Reference(obj, reg)
            canv._doc.addForm(name, obj)
        canv._currentPageHasImages = 1
        canv.saveState()
        canv.scale(self.drawWidth, self.drawHeight)
        canv._code.append(f"/{reg} Do")
        canv.restoreState()
        canv._formsinuse.append(name)


def image_flowable(path: Path, max_width: float, pt_per_px: float) -> Flowable:
    """A flowable for a screenshot: natural size × pt_per_px, never wider than max_width."""
    png = read_palette_png(path) if path.suffix.lower() == ".png" else None
    if png is not None:
        w = min(max_width, png.width * pt_per_px)
        return PngImage(path, png, w, png.height * w / png.width)
    img = RLImage(str(path))
    w = min(max_width, img.imageWidth * pt_per_px)
    img.drawWidth, img.drawHeight = w, img.imageHeight * w / img.imageWidth
    img.hAlign = "CENTER"
    return img


def check_rows(png: PalettePng) -> bool:
    """True when the compressed rows have the size the header promises (a sanity check)."""
    raw = zlib.decompress(png.idat)
    return len(raw) == png.height * (1 + (png.width * png.bits + 7) // 8)
