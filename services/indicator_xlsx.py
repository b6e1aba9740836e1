"""Excel exports of the Chỉ tiêu page: target progress and unit × period tables.

Figures come from services.aggregates / services.targets (the same numbers the page and
the consolidated report show); the sheets are print-ready through services.xlsx_tables.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from models.db import Database
from services import aggregates as ag
from services import docmodel as dm
from services.errors import Cancelled
from services.periods import Period
from services.settings import get_agency
from services.targets import target_progress

Progress = Callable[[int, int, str], None]


def _num(v: float | None) -> float | int | None:
    """Whole numbers as int, so Excel shows "12" and not "12,"."""
    if v is None:
        return None
    return int(v) if float(v).is_integer() else round(v, 4)


def _heading(db: Database) -> list[str]:
    name = get_agency(db).name
    return [name] if name else []


def progress_table(db: Database, target_year: int | None = None) -> dm.Table:
    rows = target_progress(db, target_year)
    years = sorted({t.period for r in rows for t in r.trend})
    cols = [dm.Column("STT", 0.4, dm.CENTER), dm.Column("Mã", 0.8), dm.Column("Chỉ tiêu", 3.0),
            dm.Column("Mục tiêu", 1.6), dm.Column("Năm", 0.5, dm.CENTER)]
    cols += [dm.Column(f"Năm {y}", 0.7, dm.RIGHT) for y in years]
    cols += [dm.Column("Còn thiếu", 0.7, dm.RIGHT), dm.Column("Đánh giá", 0.9, dm.CENTER),
             dm.Column("Ghi chú", 1.6)]
    body: list[list[dm.Cell]] = []
    for n, r in enumerate(rows, start=1):
        by_year = {t.period: t.value for t in r.trend}
        body.append([n, r.code, r.name, r.target_text, r.target_year or "",
                     *[_num(by_year.get(y)) for y in years], _num(r.gap), r.status_label, r.status_note])
    title = "TIẾN ĐỘ THỰC HIỆN CÁC MỤC TIÊU" + (f" ĐẾN NĂM {target_year}" if target_year else "")
    return dm.Table(cols, body, title=title, note="(Số liệu mới nhất của từng năm; đánh giá theo số liệu năm gần nhất)",
                    landscape=True, sheet_name=f"Mục tiêu {target_year}" if target_year else "Mục tiêu")


def export_progress(db: Database, path: str | Path, target_year: int | None = None) -> Path:
    """Target progress (one row per target, yearly figures, gap and status) as .xlsx."""
    from services.xlsx_tables import write_tables

    return write_tables(path, [progress_table(db, target_year)], _heading(db))


def period_table_sheet(t: ag.PeriodTable, title_suffix: str = "") -> dm.Table:
    cols = [dm.Column("STT", 0.4, dm.CENTER), dm.Column("Mã", 0.8), dm.Column("Đơn vị", 2.6)]
    cols += [dm.Column(label, 0.7, dm.RIGHT) for label in t.labels] + [dm.Column("Tổng", 0.8, dm.RIGHT)]
    body: list[list[dm.Cell]] = []
    for n, r in enumerate(t.rows, start=1):
        body.append([n, r.code, r.name, *[_num(v) for v in r.values], _num(r.total)])
    extra = [t.province] if t.province else []
    for r in [*extra, t.totals]:
        body.append(["", "", r.name, *[_num(v) for v in r.values], _num(r.total)])
    agg = ag.AGGREGATION_LABELS.get(t.aggregation, t.aggregation).lower()
    return dm.Table(cols, body, title=f"{t.name.upper()}{title_suffix}",
                    note=f"(Đơn vị tính: {t.uom or '—'}; cách tổng hợp: {agg})",
                    landscape=len(t.labels) > 4, bold_rows={len(body) - 1}, sheet_name=t.code)


def export_tables(db: Database, path: str | Path, indicators: Sequence[ag.IndicatorRef],
                  periods: Sequence[Period], rows: str = ag.ROWS_GROUP, group_id: int | None = None,
                  progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> Path:
    """One sheet per indicator: rows (units, groups or categories) × periods with totals."""
    from services.xlsx_tables import write_tables

    sheets = []
    first, last = periods[0], periods[-1]
    span = first.label() if first == last else f" từ {ag.short_label(first)} đến {ag.short_label(last)}"
    for n, ind in enumerate(indicators):
        if cancelled and cancelled():
            raise Cancelled("Đã hủy xuất Excel.")
        if progress:
            progress(n, len(indicators), f"Tổng hợp chỉ tiêu {n + 1}/{len(indicators)}…")
        t = ag.unit_period_table(db, ind, periods, rows, group_id)
        sheets.append(period_table_sheet(t, " " + span.strip().upper()))
    if progress:
        progress(len(indicators), len(indicators), "Ghi tệp Excel…")
    return write_tables(path, sheets, _heading(db))
