"""Every bad returned file is built for real and refused with a precise message (file,
sheet, cell where it applies), and the database is left exactly as it was."""
from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from forms_fill import edit, fill_form, rewrite_zip
from sqlalchemy import func, select

from models import Assignment, AuditLog, IncomingReport, IndicatorValue, Setting
from services.forms_commit import import_files
from services.forms_common import ACTIVITY, INFO, META, TASKS
from services.forms_export import export_forms
from services.forms_import import NEEDS_MATCH, OK, REFUSED, analyze_file

TODAY = date(2026, 12, 6)


@pytest.fixture()
def form(demo_db, tmp_path: Path) -> Path:
    """SNV's annual form, filled in correctly (so only the planted fault can refuse it)."""
    res = export_forms(demo_db, "2026", tmp_path / "forms", ["SNV"])
    path = Path(res.forms[0].path)
    fill_form(path, 1)
    return path


def _state(db) -> tuple:  # noqa: ANN001
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(IncomingReport)),
                s.scalar(select(func.count()).select_from(AuditLog)),
                s.scalar(select(func.sum(IndicatorValue.value))),
                s.scalar(select(func.sum(Assignment.version))))


def _refused(db, path: Path, **kw) -> list:  # noqa: ANN001, ANN003
    """Import for real (not a dry run) and check that nothing at all was written."""
    before = _state(db)
    batch = import_files(db, [path], today=TODAY, **kw)
    assert batch.previews[0].status in (REFUSED, NEEDS_MATCH), batch.previews[0]
    assert batch.outcomes == ()
    assert _state(db) == before
    return batch.previews[0].errors


def test_good_form_is_accepted(demo_db, form: Path) -> None:
    """The control case: the fixture's form imports without a single error."""
    p = analyze_file(demo_db, form, today=TODAY)
    assert p.status == OK and p.errors == []


def test_not_an_xlsx(demo_db, tmp_path: Path) -> None:
    bad = tmp_path / "bao-cao.xlsx"
    bad.write_text("Đây là văn bản, không phải bảng tính", encoding="utf-8")
    errors = _refused(demo_db, bad)
    assert "không phải tệp Excel .xlsx" in errors[0].message and errors[0].file == "bao-cao.xlsx"


def test_empty_file(demo_db, tmp_path: Path) -> None:
    bad = tmp_path / "rong.xlsx"
    bad.write_bytes(b"")
    assert "tệp rỗng" in _refused(demo_db, bad)[0].message


def test_zip_that_is_not_a_workbook(demo_db, tmp_path: Path) -> None:
    bad = tmp_path / "nen.xlsx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("readme.txt", "xin chào")
    assert "không phải bảng tính Excel" in _refused(demo_db, bad)[0].message


def test_encrypted_workbook(demo_db, form: Path, tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    bad = tmp_path / "mat-khau.xlsx"
    out = io.BytesIO()
    with open(form, "rb") as f:
        OOXMLFile(f).encrypt("123456", out)
    bad.write_bytes(out.getvalue())
    msg = _refused(demo_db, bad)[0].message
    assert "đặt mật khẩu (mã hóa)" in msg and "bỏ mật khẩu" in msg


def test_truncated_file(demo_db, form: Path, tmp_path: Path) -> None:
    bad = tmp_path / "cut.xlsx"
    bad.write_bytes(form.read_bytes()[: form.stat().st_size // 2])
    assert "bị cắt cụt hoặc hỏng" in _refused(demo_db, bad)[0].message


def test_zip_bomb_over_50_mb(demo_db, form: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bomb.xlsx"
    rewrite_zip(form, bad, extra={"xl/media/padding.bin": b"\0" * (51 * 1024 * 1024)})
    assert bad.stat().st_size < 2 * 1024 * 1024  # small on disk, huge inflated
    msg = _refused(demo_db, bad)[0].message
    assert "zip bomb" in msg and "50 MB" in msg


def test_zip_bomb_with_lying_size_header(demo_db, form: Path, tmp_path: Path) -> None:
    """Sizes in the zip directory can lie; reading stops at the budget anyway."""
    bad = tmp_path / "liar.xlsx"
    rewrite_zip(form, bad, extra={"xl/media/padding.bin": b"\0" * (51 * 1024 * 1024)})
    data = bytearray(bad.read_bytes())
    name = b"xl/media/padding.bin"
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local and central headers
        pos = data.find(sig + b"")
        while pos != -1:
            n = int.from_bytes(data[pos + (26 if sig == b"PK\x03\x04" else 28):][:2], "little")
            start = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[start:start + n] == name:
                data[pos + size_at:pos + size_at + 4] = (1000).to_bytes(4, "little")
            pos = data.find(sig, pos + 4)
    bad.write_bytes(bytes(data))
    msg = _refused(demo_db, bad)[0].message
    assert "zip bomb" in msg or "cắt cụt hoặc hỏng" in msg


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                  b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>')
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')


@pytest.mark.parametrize("member,payload", [("xl/sharedStrings.xml", BILLION_LAUGHS),
                                            ("xl/worksheets/sheet2.xml", EXTERNAL)])
def test_xml_entity_tricks(demo_db, form: Path, tmp_path: Path, member: str, payload: bytes) -> None:
    bad = tmp_path / "entity.xlsx"
    with zipfile.ZipFile(form) as z:
        present = member in z.namelist()
    rewrite_zip(form, bad, patch={member: payload} if present else None,
                extra=None if present else {member: payload})
    msg = _refused(demo_db, bad)[0].message
    assert member in msg and "DTD/thực thể XML" in msg


def test_form_of_another_period(demo_db, form: Path) -> None:
    err = _refused(demo_db, form, expect_period="2026-11")[0]
    assert "kỳ năm 2026 (2026), không phải kỳ tháng 11 năm 2026" in err.message


def test_form_of_another_unit(demo_db, form: Path) -> None:
    err = _refused(demo_db, form, expect_unit="BHD")[0]
    assert "đơn vị SNV" in err.message and "không phải đơn vị BHD" in err.message


def test_tampered_locked_cell(demo_db, form: Path) -> None:
    edit(form, {(TASKS, "C5"): "Nội dung nhiệm vụ đã bị sửa", (ACTIVITY, "D6"): 5000})
    errors = _refused(demo_db, form)
    where = {(e.sheet, e.cell) for e in errors}
    assert where == {(TASKS, "C5"), (ACTIVITY, "D6")}
    assert all("ô đã khóa bị sửa" in e.message for e in errors)
    assert "Nội dung nhiệm vụ đã bị sửa" in next(e for e in errors if e.cell == "C5").message


def test_tampered_hidden_sheet(demo_db, form: Path) -> None:
    """Changing the unit in the hidden sheet (to send one unit's form as another's) fails the checksum."""
    edit(form, {(META, "C2"): "BHD"})
    err = _refused(demo_db, form)[0]
    assert err.sheet == META and "mã kiểm tra của biểu mẫu không khớp" in err.message


def test_form_made_by_another_database(demo_db, form: Path) -> None:
    with demo_db.session() as s:
        s.get(Setting, "forms_secret").value = "another-database-key"
    assert "không do cơ sở dữ liệu này tạo ra" in _refused(demo_db, form)[0].message


def test_text_negative_and_fraction_in_number_cells(demo_db, form: Path) -> None:
    edit(form, {(ACTIVITY, "E5"): "mười hai", (ACTIVITY, "E6"): -3, (ACTIVITY, "E7"): 2.5})
    errors = {e.cell: e.message for e in _refused(demo_db, form)}
    assert "ô chứa văn bản 'mười hai'" in errors["E5"]
    assert "số âm (-3)" in errors["E6"]
    assert "không phải số nguyên" in errors["E7"]


def test_formula_in_input_cells_names_the_cell(demo_db, form: Path) -> None:
    edit(form, {(ACTIVITY, "E8"): "=E5+E6", (TASKS, "H6"): "=CONCAT(\"a\",\"b\")"})
    errors = {(e.sheet, e.cell): e.message for e in _refused(demo_db, form)}
    assert "chứa công thức (=E5+E6)" in errors[(ACTIVITY, "E8")]
    assert "không dùng công thức" in errors[(TASKS, "H6")]


def test_bad_progress_and_dates(demo_db, form: Path) -> None:
    edit(form, {(TASKS, "F5"): "Sắp xong", (TASKS, "F6"): "Hoàn thành", (TASKS, "G6"): date(2031, 1, 1),
                (INFO, "C10"): "32/13/2026"})
    errors = {(e.sheet, e.cell): e.message for e in _refused(demo_db, form)}
    assert "tiến độ 'Sắp xong' không hợp lệ" in errors[(TASKS, "F5")]
    assert "31/01/2031" in errors[(TASKS, "G6")] or "01/01/2031" in errors[(TASKS, "G6")]
    assert "không phải ngày hợp lệ" in errors[(INFO, "C10")]


def test_hidden_sheet_missing_asks_for_hand_matching(demo_db, form: Path) -> None:
    edit(form, {}, drop_sheet=META)
    err = _refused(demo_db, form)[0]
    assert "không có trang ẩn" in err.message and "ghép thủ công" in err.message


def test_newer_form_layout_is_refused(demo_db, form: Path) -> None:
    edit(form, {(META, "C5"): "99"})
    err = _refused(demo_db, form)[0]
    assert "phiên bản 99" in err.message


def test_batch_goes_on_after_a_bad_file(demo_db, form: Path, tmp_path: Path) -> None:
    """One bad file in a folder does not stop the good ones; each file is its own transaction."""
    (form.parent / "rac.xlsx").write_bytes(b"PK\x03\x04garbage")
    batch = import_files(demo_db, [form.parent], today=TODAY)
    status = {p.name: p.status for p in batch.previews}
    assert status == {"rac.xlsx": REFUSED, form.name: OK}
    assert [o.name for o in batch.outcomes] == [form.name]
