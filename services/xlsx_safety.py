"""Careful reading of .xlsx files that come from outside (units' returned forms).

`read_xlsx(path)` refuses, with one precise Vietnamese message each: a file that is not
an .xlsx at all, an old .xls, a password-protected (encrypted) workbook, a truncated or
corrupt zip, a zip bomb (more than 50 MB once uncompressed), and XML with DTD or entity
declarations (parsed with defusedxml, which forbids them). What it returns is a plain
cell map per sheet in which formulas are kept apart from values, so a caller can say
exactly which cell holds a formula.

It is also much faster than a full openpyxl load, which matters when hundreds of forms
are imported at once.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from services.errors import Problem, ValidationError

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_MEMBERS = 2000
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls or encrypted OOXML
ZIP_MAGIC = b"PK\x03\x04"
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_COORD = re.compile(r"^([A-Z]{1,3})(\d+)$")


@dataclass(frozen=True)
class XCell:
    value: Any  # str, float, bool, datetime or None
    formula: str | None = None  # the formula text (without '=') when the cell has one
    error: str | None = None  # "#N/A", "#VALUE!" …


@dataclass(frozen=True)
class XSheet:
    name: str
    state: str  # "visible" | "hidden" | "veryHidden"
    cells: dict[str, XCell] = field(default_factory=dict)

    def get(self, coord: str) -> XCell | None:
        return self.cells.get(coord)


@dataclass(frozen=True)
class XBook:
    sheets: dict[str, XSheet]
    modified: datetime | None  # docProps/core.xml, when the file was last saved


class UnsafeFile(ValidationError):
    """The file cannot or must not be read; `problems[0]` says why."""


def _refuse(path: Path, message: str) -> UnsafeFile:
    return UnsafeFile(f"{path.name}: {message}", [Problem(message, file=path.name)])


def read_xlsx(path: str | Path) -> XBook:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        raise _refuse(path, f"không mở được tệp ({e.strerror or e}).") from e
    if not head:
        raise _refuse(path, "tệp rỗng (0 byte).")
    if head == CFB_MAGIC:
        raise _refuse(path, _cfb_reason(path))
    if head[:4] != ZIP_MAGIC:
        raise _refuse(path, "không phải tệp Excel .xlsx (nội dung không đúng định dạng bảng tính).")
    try:
        with zipfile.ZipFile(path) as z:
            parts = _read_parts(path, z)
        return _book(path, parts)
    except UnsafeFile:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, IndexError,
            NotImplementedError) as e:
        raise _refuse(path, "tệp bị cắt cụt hoặc hỏng (không đọc được: "
                            f"{e.__class__.__name__}). Hãy xin đơn vị gửi lại tệp.") from e


def _cfb_reason(path: Path) -> str:
    data = path.read_bytes()[:4 * 1024 * 1024]
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return ("tệp đã được đặt mật khẩu (mã hóa) nên không đọc được. Hãy mở bằng Excel, bỏ mật khẩu "
                "(Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, xóa trống) rồi lưu lại.")
    return "tệp Excel 97-2003 (.xls) hoặc định dạng cũ: hãy mở bằng Excel và lưu lại dạng .xlsx."


def _read_parts(path: Path, z: zipfile.ZipFile) -> dict[str, Element]:
    """Every XML part, parsed with defusedxml; sizes checked before and while inflating."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(path, f"tệp nén chứa quá nhiều phần ({len(infos)}): không phải biểu mẫu.")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNCOMPRESSED:
        raise _refuse(path, _bomb(declared))
    if any(i.flag_bits & 0x1 for i in infos):
        raise _refuse(path, "tệp nén được đặt mật khẩu: không đọc được.")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise _refuse(path, "tệp nén (.zip) nhưng không phải bảng tính Excel (thiếu xl/workbook.xml).")
    parts: dict[str, Element] = {}
    total = 0
    for info in infos:
        with z.open(info) as f:
            # Read at most what is left of the budget: a lying size header cannot inflate past it.
            data = f.read(MAX_UNCOMPRESSED - total + 1)
        total += len(data)
        if total > MAX_UNCOMPRESSED:
            raise _refuse(path, _bomb(total))
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            parts[info.filename] = fromstring(data, forbid_dtd=True)
        except DefusedXmlException as e:
            raise _refuse(path, f"phần {info.filename} chứa khai báo DTD/thực thể XML ({e.__class__.__name__}) "
                                "— có thể là tệp độc hại, không đọc.") from e
        except ParseError as e:
            raise _refuse(path, f"tệp hỏng: phần {info.filename} không phải XML hợp lệ ({e}).") from e
    return parts


def _bomb(size: int) -> str:
    return (f"tệp giải nén ra quá lớn (trên {size // (1024 * 1024)} MB, giới hạn "
            f"{MAX_UNCOMPRESSED // (1024 * 1024)} MB): có thể là tệp độc hại (zip bomb), không đọc.")


def _book(path: Path, parts: dict[str, Element]) -> XBook:
    wb = parts["xl/workbook.xml"]
    rels = {r.get("Id"): r.get("Target", "") for r in parts.get("xl/_rels/workbook.xml.rels", Element("x"))
            .iter(f"{_PKG_REL}Relationship")}
    pr = wb.find(f"{_NS}workbookPr")
    epoch1904 = pr is not None and pr.get("date1904") in ("1", "true")
    strings = _shared_strings(parts.get("xl/sharedStrings.xml"))
    date_styles = _date_styles(parts.get("xl/styles.xml"))
    sheets: dict[str, XSheet] = {}
    for sh in wb.iter(f"{_NS}sheet"):
        name = sh.get("name", "")
        target = rels.get(sh.get(f"{_REL_NS}id"), "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        xml = parts.get(target)
        cells = _cells(xml, strings, date_styles, epoch1904) if xml is not None else {}
        sheets[name] = XSheet(name, sh.get("state", "visible"), cells)
    if not sheets:
        raise _refuse(path, "bảng tính không có trang nào (cấu trúc không đọc được).")
    return XBook(sheets, _modified(parts.get("docProps/core.xml")))


def _text(el: Element) -> str:
    """Text of an <si>/<is> element: its <t> runs, leaving out phonetic hints (<rPh>)."""
    out = []
    for child in el:
        if child.tag == f"{_NS}t":
            out.append(child.text or "")
        elif child.tag == f"{_NS}r":
            t = child.find(f"{_NS}t")
            out.append(t.text or "" if t is not None else "")
    return "".join(out)


def _shared_strings(root: Element | None) -> list[str]:
    return [] if root is None else [_text(si) for si in root.iter(f"{_NS}si")]


def _date_styles(root: Element | None) -> set[int]:
    """Indexes of cell styles whose number format shows a date."""
    if root is None:
        return set()
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "") for n in root.iter(f"{_NS}numFmt")}
    xfs = root.find(f"{_NS}cellXfs")
    out = set()
    for i, xf in enumerate(xfs if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        fmt = custom.get(fid, BUILTIN_FORMATS.get(fid, ""))
        if fmt and is_date_format(fmt):
            out.add(i)
    return out


def _col_letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cells(root: Element, strings: list[str], date_styles: set[int], epoch1904: bool) -> dict[str, XCell]:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if epoch1904 else CALENDAR_WINDOWS_1900
    out: dict[str, XCell] = {}
    row_no = 0
    for row in root.iter(f"{_NS}row"):
        row_no = int(row.get("r") or row_no + 1)
        col = 0
        for c in row.iter(f"{_NS}c"):
            m = _COORD.match(c.get("r") or "")
            col = _col_number(m.group(1)) if m else col + 1
            coord = f"{_col_letter(col)}{row_no}"
            t = c.get("t", "n")
            f_el, v_el = c.find(f"{_NS}f"), c.find(f"{_NS}v")
            raw = v_el.text if v_el is not None else None
            formula = (f_el.text or "(công thức dùng chung)") if f_el is not None else None
            value: Any = None
            error = None
            if t == "s" and raw is not None:
                idx = int(raw)
                value = strings[idx] if 0 <= idx < len(strings) else ""
            elif t == "inlineStr":
                is_el = c.find(f"{_NS}is")
                value = _text(is_el) if is_el is not None else ""
            elif t == "str":
                value = raw or ""
            elif t == "b":
                value = raw in ("1", "true")
            elif t == "e":
                error = raw or "#ERROR"
            elif t == "d" and raw:
                value = _iso(raw)
            elif raw is not None:
                value = float(raw)
                if int(c.get("s", "0")) in date_styles:
                    try:
                        value = from_excel(value, epoch)
                    except (ValueError, OverflowError):
                        pass  # an impossible date serial stays a number; validation says so
            if value is None and formula is None and error is None:
                continue
            out[coord] = XCell(value, formula, error)
    return out


def _iso(text: str) -> Any:
    try:
        return datetime.fromisoformat(text.rstrip("Z"))
    except ValueError:
        return text


def _modified(root: Element | None) -> datetime | None:
    if root is None:
        return None
    el = root.find("{http://purl.org/dc/terms/}modified")
    if el is None or not el.text:
        return None
    try:
        when = datetime.fromisoformat(el.text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # OOXML stores UTC
    return when.astimezone().replace(tzinfo=None)  # local time, as people read it


def as_date(value: Any) -> date | None:
    """A cell value that is a date (datetime at midnight, date) → date; else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None
