"""Unit services: diacritic-free search, create/edit with validation and locking, deactivate,
delete only without history, merge keeping history, group members; all audited."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import Assignment, AuditLog, ExpectedReport, Unit
from services import units as U
from services.assignments import AssignmentFilter, get_assignments, search_assignments
from services.audit import history
from services.errors import ConcurrentEdit, Conflict, ValidationError
from services.unit_merge import history_unit_ids, members, merge_units, set_members

TODAY = date(2026, 12, 6)


def _by_code(db, code: str) -> U.UnitRow:  # noqa: ANN001
    return next(u for u in U.list_units(db, active_only=False) if u.code == code)


def _names(db, query: str, **kw) -> list[str]:  # noqa: ANN001, ANN003
    return [u.name for u in U.get_units(db, U.search_units(db, query, today=TODAY, **kw))]


def test_search_ignores_diacritics_and_case(demo_db) -> None:  # noqa: ANN001
    assert "Sở Khoa học và Công nghệ" in _names(demo_db, "so khoa hoc")
    assert "Sở Khoa học và Công nghệ" in _names(demo_db, "SỞ KHOA HỌC")
    assert "Đài Phát thanh và Truyền hình tỉnh" in _names(demo_db, "dai")
    assert _names(demo_db, "ubnd-cl") == ["UBND thành phố Chí Linh"]  # the code too
    assert _names(demo_db, "50%_x") == []  # LIKE wildcards are literal


def test_filters_and_sql_sorting(demo_db) -> None:  # noqa: ANN001
    press = _names(demo_db, "", group="Cơ quan báo chí")
    assert "Báo Hải Dương" in press and "Sở Nội vụ" not in press
    codes = [u.code for u in U.get_units(demo_db, U.search_units(demo_db, sort="code", today=TODAY))]
    assert codes == sorted(codes)
    desc = [u.name for u in U.get_units(demo_db, U.search_units(demo_db, sort="name", descending=True,
                                                                 today=TODAY))]
    assert desc[0] >= desc[-1]
    groups = U.get_units(demo_db, U.search_units(demo_db, groups_only=True, today=TODAY))
    assert {g.code for g in groups} == {"SBN", "UBNDH", "BAODAI"}
    assert next(g for g in groups if g.code == "BAODAI").member_count == 2


def test_create_validates_everything_and_changes_nothing(demo_db) -> None:  # noqa: ANN001
    snv = _by_code(demo_db, "SNV")
    with pytest.raises(ValidationError) as e:
        U.create_unit(demo_db, U.UnitData(code="snv", name="", email="khong-phai-email",
                                          parent_id=snv.id, active_from=date(2026, 1, 1),
                                          active_to=date(2025, 1, 1)), today=TODAY)
    cols = {p.column for p in e.value.problems}
    assert cols == {"Mã đơn vị", "Tên đơn vị", "Thư điện tử", "Hoạt động đến ngày", "Thuộc nhóm"}
    with pytest.raises(ValidationError) as e:
        U.create_unit(demo_db, U.UnitData(code="A B", name="x"), today=TODAY)
    assert "khoảng trắng" in e.value.problems[0].message
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Unit)) == 51


def test_create_edit_audit_and_regime(demo_db) -> None:  # noqa: ANN001
    sbn = _by_code(demo_db, "SBN")
    u = U.create_unit(demo_db, U.UnitData(code="sdl", name="  Sở Du lịch ", group="Sở, ban, ngành",
                                          parent_id=sbn.id, email="sdl@example.vn",
                                          active_from=date(2026, 1, 1)), today=TODAY)
    assert (u.code, u.name, u.parent_name) == ("SDL", "Sở Du lịch", sbn.name)
    assert "Sở Du lịch" in _names(demo_db, "so du lich")
    with demo_db.session() as s:
        owed = s.scalar(select(func.count()).select_from(ExpectedReport).where(ExpectedReport.unit_id == u.id))
        assert owed > 0  # the new unit now owes its reports
        assert history(s, "unit", u.id)[0]["action"] == "insert"
    edited = U.update_unit(demo_db, u.id, U.UnitData(code="SDL", name="Sở Du lịch tỉnh", group="Sở, ban, ngành",
                                                     parent_id=sbn.id, phone="0220 123"), u.version, today=TODAY)
    assert edited.version == u.version + 1 and edited.phone == "0220 123"
    with demo_db.session() as s:
        last = history(s, "unit", u.id)[-1]
        assert last["changes"]["name"] == ["Sở Du lịch", "Sở Du lịch tỉnh"]
    # The first form (old version) can no longer overwrite.
    with pytest.raises(ConcurrentEdit):
        U.update_unit(demo_db, u.id, U.UnitData(code="SDL", name="Ghi đè"), u.version, today=TODAY)
    assert U.get_unit(demo_db, u.id).name == "Sở Du lịch tỉnh"


def test_deactivate_and_delete_rules(demo_db) -> None:  # noqa: ANN001
    snv = _by_code(demo_db, "SNV")
    with pytest.raises(Conflict) as e:
        U.delete_unit(demo_db, snv.id, snv.version)
    assert "nhiệm vụ được giao" in str(e.value) and "báo cáo đã nhận" in str(e.value)
    off = U.deactivate_unit(demo_db, snv.id, date(2026, 6, 30), snv.version, today=TODAY)
    assert off.active_to == date(2026, 6, 30) and "Ngừng hoạt động" in off.status
    assert "Sở Nội vụ" not in _names(demo_db, "so noi vu")
    assert _names(demo_db, "so noi vu", active=False) == ["Sở Nội vụ"]
    with demo_db.session() as s:  # nothing owed for a period starting after it stopped
        late = s.scalars(select(ExpectedReport.obsolete).where(
            ExpectedReport.unit_id == snv.id, ExpectedReport.window_start > date(2026, 6, 30))).all()
        assert late and all(late)  # only rows already answered by a report stay, marked obsolete
    fresh = U.create_unit(demo_db, U.UnitData(code="NHAPNHAM", name="Nhập nhầm"), today=TODAY)
    U.delete_unit(demo_db, fresh.id, fresh.version)
    assert "Nhập nhầm" not in _names(demo_db, "nhap nham", active=None)


def test_merge_keeps_history_under_both_names(demo_db) -> None:  # noqa: ANN001
    stc, sct = _by_code(demo_db, "STC"), _by_code(demo_db, "SCT")
    with demo_db.session() as s:
        stc_assign = s.scalar(select(func.count()).select_from(Assignment).where(Assignment.unit_id == stc.id))
    res = merge_units(demo_db, stc.id, sct.id, date(2026, 7, 1), stc.version, today=TODAY)
    assert res.source.merged_into_id == sct.id and res.source.active_to == date(2026, 7, 1)
    assert "Đã sáp nhập vào Sở Công Thương" in res.source.status
    # Searching the old name finds the receiving unit; the old one stays, inactive.
    assert "Sở Công Thương" in _names(demo_db, "so tai chinh")
    assert _names(demo_db, "so tai chinh", active=False) == ["Sở Tài chính"]
    # B's list shows A's rows, labelled with A's name.
    ids = history_unit_ids(demo_db, sct.id)
    assert set(ids) == {sct.id, stc.id}
    rows = get_assignments(demo_db, search_assignments(demo_db, AssignmentFilter(unit_ids=ids), TODAY), TODAY)
    assert sum(r.unit_name == "Sở Tài chính" for r in rows) == stc_assign > 0
    with demo_db.session() as s:
        actions = {r.action for r in s.scalars(select(AuditLog).where(AuditLog.table_name == "unit",
                                                                       AuditLog.row_id.in_(ids)))}
        assert "merge" in actions
    with pytest.raises(ValidationError):  # already merged
        merge_units(demo_db, stc.id, sct.id, date(2026, 7, 1), res.source.version, today=TODAY)


def test_merge_can_move_open_assignments(demo_db) -> None:  # noqa: ANN001
    ct, snv = _by_code(demo_db, "CTTDT"), _by_code(demo_db, "SNV")
    with demo_db.session() as s:
        open_before = s.scalar(select(func.count()).select_from(Assignment).where(
            Assignment.unit_id == ct.id, Assignment.progress != "xong"))
        done_before = s.scalar(select(func.count()).select_from(Assignment).where(
            Assignment.unit_id == ct.id, Assignment.progress == "xong"))
    res = merge_units(demo_db, ct.id, snv.id, TODAY, ct.version, move_open_assignments=True, today=TODAY)
    assert res.moved + res.kept == open_before
    with demo_db.session() as s:
        left = s.scalars(select(Assignment.progress).where(Assignment.unit_id == ct.id)).all()
        assert left.count("xong") == done_before and len(left) == done_before + res.kept


def test_group_members_edit(demo_db) -> None:  # noqa: ANN001
    baodai, snv = _by_code(demo_db, "BAODAI"), _by_code(demo_db, "SNV")
    assert {m.code for m in members(demo_db, baodai.id)} == {"BHD", "DPTTH"}
    bhd = _by_code(demo_db, "BHD")
    g = set_members(demo_db, baodai.id, [bhd.id, snv.id], baodai.version, today=TODAY)
    assert g.version == baodai.version + 1
    assert {m.code for m in members(demo_db, baodai.id)} == {"BHD", "SNV"}
    assert _by_code(demo_db, "DPTTH").parent_id is None
    with pytest.raises(ConcurrentEdit):
        set_members(demo_db, baodai.id, [bhd.id], baodai.version, today=TODAY)
    with pytest.raises(ValidationError):
        set_members(demo_db, baodai.id, [_by_code(demo_db, "SBN").id], g.version, today=TODAY)
    with pytest.raises(ValidationError) as e:  # a group with members cannot stop being a group
        U.update_unit(demo_db, g.id, U.UnitData(code="BAODAI", name=g.name, is_group=False), g.version,
                      today=TODAY)
    assert e.value.problems[0].column == "Là nhóm đơn vị"
