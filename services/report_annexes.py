"""The three annexes of the consolidated report, as docmodel tables:

1. reporting status per unit (a month: one row per expected report with its deadline,
   received date and status; a longer period: counts and rates per unit);
2. task status per unit and task: A. counts per unit in each official class, B. the
   assignments that need attention — late (open or completed late) or due soon — per unit
   and task (recurring tasks have no deadline; tasks on track are counted in A only, so the
   annex stays a few pages even with hundreds of units: at 10× scale listing every dated
   assignment made a 1,200-page annual report);
3. activity indicators per unit for the period, with the totals of this and the previous period.

The same tables go into the DOCX/PDF annexes and, titled, into the XLSX workbook.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from services import docmodel as dm
from services import task_status as ts
from services import timeliness as tl
from services.report_data import ReportData, number, percent

ATTENTION = frozenset({ts.XONG_QUA_HAN, ts.DANG_QUA_HAN, ts.CHUA_QUA_HAN, ts.SAP_DEN_HAN})
PRINT_DETAIL_LIMIT = 200  # rows of annex 2B on paper (DOCX/PDF); the XLSX annex lists all
TASK_TEXT_LIMIT = 220  # characters of a task's text in annex 2; the plan has the full text


def _d(x: date | None) -> str:
    return f"{x:%d/%m/%Y}" if x else ""


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def reporting_table(d: ReportData) -> dm.Table:
    note = f"(Tình hình đến ngày {d.as_of:%d/%m/%Y})"
    c = d.reporting
    if d.is_month:
        cols = [dm.Column("STT", 0.5, dm.CENTER), dm.Column("Cơ quan, đơn vị", 3.2),
                dm.Column("Loại báo cáo", 1.5), dm.Column("Hạn gửi", 1.1, dm.CENTER),
                dm.Column("Ngày nhận", 1.1, dm.CENTER), dm.Column("Số, ký hiệu", 1.7, dm.CENTER),
                dm.Column("Tình trạng", 1.8)]
        rows: list[list[dm.Cell]] = [
            [str(i), r.unit_name, r.report_type, _d(r.last_on_time_day), _d(r.received), r.doc_number,
             r.status_text] for i, r in enumerate(d.reporting_rows, 1)]
        rows.append(["", "Tổng cộng", f"{c.total} báo cáo", "", f"{c.received} đã nhận", "",
                     f"Đúng hạn {c.on_time}; trễ hạn {c.late}; chưa gửi {c.missing}"])
    else:
        cols = [dm.Column("STT", 0.5, dm.CENTER), dm.Column("Cơ quan, đơn vị", 3.2)] + [
            dm.Column(t, 0.9, dm.RIGHT) for t in ("Phải gửi", "Đúng hạn", "Trễ hạn", "Chưa gửi",
                                                  "Chưa đến hạn", "Miễn")] + [
            dm.Column("Tỷ lệ gửi", 1.0, dm.RIGHT), dm.Column("Tỷ lệ đúng hạn", 1.0, dm.RIGHT)]

        def line(first: str, name: str, k: tl.StatusCounts) -> list[dm.Cell]:
            return [first, name, k.total, k.on_time, k.late, k.missing, k.not_due, k.excused,
                    percent(k.completeness), percent(k.timeliness)]

        rows = [line(str(i), u.unit_name, u.counts) for i, u in enumerate(d.unit_rates, 1)]
        rows.append(line("", "Tổng cộng", c))
    return dm.Table(cols, rows, note=note, landscape=True, bold_rows={len(rows) - 1}, font_size=12)


def task_count_table(d: ReportData) -> dm.Table:
    """Part A: per unit, the number of assignments in each official class."""
    keys = [k for k, _n in d.task_counts]
    cols = [dm.Column("STT", 0.5, dm.CENTER), dm.Column("Cơ quan, đơn vị", 3.0),
            dm.Column("Tổng số", 0.8, dm.RIGHT)] + [dm.Column(ts.label(k), 1.0, dm.RIGHT) for k in keys]
    header: list[list[str | None]] = [
        ["STT", "Cơ quan, đơn vị", "Tổng số", "Trong đó"] + [None] * (len(keys) - 1),
        [dm.MERGE_UP] * 3 + [ts.label(k) for k in keys]]
    rows: list[list[dm.Cell]] = [[str(i), name, sum(counts), *counts]
                                 for i, (name, counts) in enumerate(d.unit_task_counts, 1)]
    rows.append(["", "Tổng cộng", sum(n for _k, n in d.task_counts), *(n for _k, n in d.task_counts)])
    return dm.Table(cols, rows, header_rows=header, title="A. TỔNG HỢP THEO CƠ QUAN, ĐƠN VỊ",
                    note=f"(Số lượt nhiệm vụ, tình hình đến ngày {d.as_of:%d/%m/%Y})", landscape=True,
                    bold_rows={len(rows) - 1}, font_size=12)


def task_detail_table(d: ReportData, limit: int | None = None) -> dm.Table:
    """Part B: the assignments that need attention (late, open or done, and due soon), per
    unit and task. Part A counts every class, recurring tasks included."""
    cols = [dm.Column("STT", 0.5, dm.CENTER), dm.Column("Cơ quan, đơn vị", 2.2),
            dm.Column("Nhiệm vụ", 4.2), dm.Column("Vai trò", 1.0, dm.CENTER),
            dm.Column("Thời hạn", 1.1, dm.CENTER), dm.Column("Tiến độ", 1.2, dm.CENTER),
            dm.Column("Tình trạng", 1.6)]
    dated = [r for r in d.task_rows if r.status in ATTENTION]
    note = ""
    if limit is not None and len(dated) > limit:
        # Paper stays readable: the earliest deadlines first; the workbook has every row.
        note = (f"(In {limit} trong số {len(dated)} trường hợp, xếp theo thời hạn sớm nhất; danh sách "
                "đầy đủ trong phụ lục Excel.)")
        dated = sorted(dated, key=lambda r: (r.due or date.max, r.unit_name))[:limit]
    rows: list[list[dm.Cell]] = []
    for i, r in enumerate(dated, 1):
        text = " ".join(r.task_text.split())
        if len(text) > TASK_TEXT_LIMIT:
            text = text[: TASK_TEXT_LIMIT - 1].rsplit(" ", 1)[0] + "…"
        rows.append([str(i), r.unit_name, f"{r.task_code}. {text}", _cap(r.role), _d(r.due), r.progress,
                     ts.label(r.status)])
    if not rows:
        rows.append(["", "", "Không có nhiệm vụ nào quá hạn hoặc sắp đến hạn.", "", "", "", ""])
    return dm.Table(cols, rows, title="B. CÁC NHIỆM VỤ QUÁ HẠN HOẶC SẮP ĐẾN HẠN", note=note, landscape=True,
                    font_size=12)


def indicator_table(d: ReportData) -> dm.Table:
    inds = d.activity
    cols = [dm.Column("STT", 0.5, dm.CENTER), dm.Column("Cơ quan, đơn vị", 3.0)] + [
        dm.Column(f"{a.name} ({a.uom})" if a.uom else a.name, 1.1, dm.RIGHT) for a in inds]
    header: list[list[str | None]] | None = None
    if inds:
        header = [["STT", "Cơ quan, đơn vị", f"Kết quả {d.period_label}"] + [None] * (len(inds) - 1),
                  [dm.MERGE_UP, dm.MERGE_UP] + [c.title for c in cols[2:]]]
    rows: list[list[dm.Cell]] = [[str(i), u.unit_name, *(number(v) for v in u.values)]
                                 for i, u in enumerate(d.unit_figures, 1)]
    rows.append(["", "Tổng cộng", *(number(a.value) for a in inds)])
    rows.append(["", f"Tổng cộng {d.previous_label}", *(number(a.previous) for a in inds)])
    return dm.Table(cols, rows, header_rows=header, note=f"(Số liệu đến ngày {d.as_of:%d/%m/%Y})",
                    landscape=True, bold_rows={len(rows) - 2, len(rows) - 1}, font_size=12)


def _annex_parts(d: ReportData, detail_limit: int | None = None) -> list[tuple[str, list[dm.Table]]]:
    return [
        (f"TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ {d.period_label.upper()}", [reporting_table(d)]),
        ("TÌNH HÌNH THỰC HIỆN NHIỆM VỤ CỦA CÁC CƠ QUAN, ĐƠN VỊ", [task_count_table(d), task_detail_table(d, detail_limit)]),
        (f"KẾT QUẢ HOẠT ĐỘNG CỦA CÁC CƠ QUAN, ĐƠN VỊ {d.period_label.upper()}", [indicator_table(d)]),
    ]


def annexes(d: ReportData, symbol: str, doc_date: date) -> list[dm.Annex]:
    ref = dm.annex_reference("Báo cáo", symbol, doc_date, d.agency_title)
    return [dm.Annex(f"Phụ lục {i:02d}", title, ref, blocks=list(ts_), landscape=True)
            for i, (title, ts_) in enumerate(_annex_parts(d, PRINT_DETAIL_LIMIT), 1)]


_DMY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def _excel_cell(v: dm.Cell, first: bool) -> object:
    """Real numbers and dates for Excel (sortable, filterable); printed text stays as it is."""
    if isinstance(v, str):
        if v == "":
            return None
        if first and v.isdigit():
            return int(v)
        m = _DMY.match(v)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
    return v


def xlsx_tables(d: ReportData) -> list[dm.Table]:
    """The annex tables titled for a workbook: one sheet per table ("Phụ lục 02A" …)."""
    out = []
    for i, (title, tabs) in enumerate(_annex_parts(d), 1):
        for j, t in enumerate(tabs):
            part = chr(ord("A") + j) if len(tabs) > 1 else ""
            sub = f" — {t.title[3:].capitalize()}" if part else ""
            rows = [[_excel_cell(v, k == 0) for k, v in enumerate(r)] for r in t.rows]
            out.append(replace(t, rows=rows, title=f"PHỤ LỤC {i:02d}. {title}{sub}",
                               sheet_name=f"Phụ lục {i:02d}{part}"))
    return out
