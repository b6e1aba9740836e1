"""`main.py forms export|import` on a real demo database file: output, exit codes, dry run."""
from __future__ import annotations

from pathlib import Path

from forms_fill import edit, fill_form
from sqlalchemy import func, select

from main import main
from models import IncomingReport, IndicatorValue
from services.forms_common import ACTIVITY


def _db_path(db) -> str:  # noqa: ANN001
    return str(db.path)


def test_export_then_import_round_trip(demo_db, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "forms"
    assert main(["forms", "export", "--db", _db_path(demo_db), "--period", "2026", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    files = sorted(out.glob("*.xlsx"))
    assert len(files) == 32 and "Đã tạo 32 biểu mẫu kỳ 2026" in text
    for i, f in enumerate(files):
        fill_form(f, i)

    assert main(["forms", "import", "--db", _db_path(demo_db), str(out), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert text.count("[SẼ NHẬP]") == 32 and "kiểm tra (không ghi gì)" in text
    assert "Chỉ tiêu hoạt động!E5 Tin, bài tuyên truyền: (trống) →" in text
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(IncomingReport).where(IncomingReport.period == "2026")) == 0

    rc = main(["forms", "import", "--db", _db_path(demo_db), str(out), "--received", "2026-12-04"])
    text = capsys.readouterr().out
    assert rc == 0 and text.count("[ĐÃ NHẬP]") == 32 and "nhập 32; 0 tệp bị từ chối" in text
    with demo_db.session() as s:
        reps = s.scalars(select(IncomingReport).where(IncomingReport.period == "2026")).all()
        assert len(reps) == 32 and {r.received_date.isoformat() for r in reps} == {"2026-12-04"}
        assert s.scalar(select(func.count()).select_from(IndicatorValue)
                        .where(IndicatorValue.period == "2026-12", IndicatorValue.source.like("report:%"))) == 32 * 6

    assert main(["forms", "import", "--db", _db_path(demo_db), str(out)]) == 0  # again: nothing changes
    assert capsys.readouterr().out.count("[KHÔNG ĐỔI]") == 32


def test_import_prints_every_problem_and_exits_1(demo_db, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "forms"
    assert main(["forms", "export", "--db", _db_path(demo_db), "--period", "2026", "--out", str(out),
                 "--units", "SNV,BHD"]) == 0
    snv, bhd = sorted(out.glob("*SNV.xlsx"))[0], sorted(out.glob("*BHD.xlsx"))[0]
    fill_form(snv, 1)
    fill_form(bhd, 2)
    edit(snv, {(ACTIVITY, "E5"): -4, (ACTIVITY, "E6"): "=1+1"})
    (out / "ghi-chu.xlsx").write_text("không phải bảng tính", encoding="utf-8")
    capsys.readouterr()
    rc = main(["forms", "import", "--db", _db_path(demo_db), str(out)])
    text = capsys.readouterr().out
    assert rc == 1
    assert "[TỪ CHỐI] bieu-mau_2026_SNV.xlsx (SNV 2026)" in text
    assert "lỗi: trang 'Chỉ tiêu hoạt động', ô E5:" in text and "số âm (-4)" in text
    assert "lỗi: trang 'Chỉ tiêu hoạt động', ô E6:" in text and "công thức (=1+1)" in text
    assert "[TỪ CHỐI] ghi-chu.xlsx" in text and "không phải tệp Excel .xlsx" in text
    assert "[ĐÃ NHẬP] bieu-mau_2026_BHD.xlsx" in text  # the good file still goes in
    assert "2 tệp bị từ chối" in text


def test_bad_arguments(demo_db, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    db = _db_path(demo_db)
    assert main(["forms", "export", "--db", db, "--period", "2026-13", "--out", str(tmp_path)]) == 1
    assert "Kỳ báo cáo không hợp lệ" in capsys.readouterr().err
    assert main(["forms", "export", "--db", db, "--period", "2026", "--out", str(tmp_path), "--units", "XYZ"]) == 1
    assert "Không có đơn vị mã 'XYZ'" in capsys.readouterr().out
    assert main(["forms", "import", "--db", db, str(tmp_path / "khong-co.xlsx")]) == 1
    assert "không tìm thấy" in capsys.readouterr().err
    assert main(["forms", "import", "--db", db, str(tmp_path), "--received", "06/12/2026"]) == 1
    assert "ngày nhận không hợp lệ" in capsys.readouterr().err
    assert main(["forms", "--db", db]) == 1
