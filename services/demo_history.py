"""The demo's history up to `until`: incoming reports (mostly on time, some late, some
missing), activity values carried by those reports, task progress, a small dated plan
(the seed's 15 tasks are all recurring, so dated tasks show every status class) and
province-level values for the numeric targets. Seeded random, so always the same."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import (
    Assignment,
    DirectiveDocument,
    ExpectedReport,
    IncomingReport,
    Indicator,
    IndicatorValue,
    ReportType,
    Task,
    Unit,
)
from services.periods import Period
from services.text import search_key

# Activity ranges per unit group: (min, max) per indicator code.
PROFILES = {
    "Cơ quan báo chí": {"HD-TIN": (30, 60), "HD-HN": (0, 1), "HD-NGUOI": (0, 80), "HD-PANO": (0, 2),
                        "HD-PTTH": (8, 20), "HD-MXH": (40, 80)},
    "UBND cấp huyện": {"HD-TIN": (5, 15), "HD-HN": (1, 3), "HD-NGUOI": (100, 400), "HD-PANO": (10, 40),
                       "HD-PTTH": (4, 10), "HD-MXH": (10, 30)},
    "default": {"HD-TIN": (2, 8), "HD-HN": (0, 2), "HD-NGUOI": (0, 150), "HD-PANO": (0, 10),
                "HD-PTTH": (0, 0), "HD-MXH": (3, 12)},
}
TARGET_VALUES = {  # illustrative province-level figures, per year
    "T2030-01": (28, 24), "T2030-05": (10.2, 11.1), "T2030-06": (41, 44), "T2030-07": (18, 21),
    "T2030-08": (62, 74), "T2030-09": (65, 72), "T2030-10": (22, 25), "T2030-11": (0.74, 0.75),
    "T2030-12": (0.6, 0.8), "T2030-13": (35, 40), "T2030-14": (1.2, 2.1), "T2030-26": (0, 1),
    "T2045-02": (31, 27), "T2045-03": (18, 21),
}
CHANNELS = ("email", "email", "eoffice", "eoffice", "paper")


def build(s: Session, until: date, stamp: datetime) -> dict[str, int]:
    rng = random.Random(20250301)
    units = {u.id: u for u in s.scalars(select(Unit))}
    indicators = {i.code: i for i in s.scalars(select(Indicator))}
    types = {t.id: t for t in s.scalars(select(ReportType))}
    received = _incoming(s, rng, until, stamp, units, indicators, types)
    _progress(s, rng, until, stamp)
    dated = _dated_plan(s, until, stamp)
    _target_values(s, until, stamp, indicators)
    return {"incoming": received, "dated_tasks": dated}


def _incoming(s: Session, rng: random.Random, until: date, stamp: datetime, units: dict[int, Unit],
              indicators: dict[str, Indicator], types: dict[int, ReportType]) -> int:
    # Integer keys only: text collation differs between SQLite and PostgreSQL.
    expected = sorted(s.scalars(select(ExpectedReport)).all(),
                      key=lambda e: (e.month_key, e.report_type_id, e.unit_id))
    latest_month = max((e.month_key for e in expected if e.last_on_time_day < until), default="")
    counts: dict[str, int] = {}
    n = 0
    for e in expected:
        if e.window_end >= until:
            continue
        received = receipt_date(rng, e, until, latest_month)
        if received is None:
            continue
        unit = units[e.unit_id]
        counts[unit.code] = counts.get(unit.code, 0) + 1
        values = _activity(rng, unit)
        p = Period.parse(e.period)
        summary = _summary(unit, p, values)
        rep = IncomingReport(
            expected_report_id=e.id, unit_id=e.unit_id, report_type_id=e.report_type_id, period=e.period,
            doc_number=f"{counts[unit.code]:02d}/BC-{unit.code}", doc_date=received - timedelta(days=rng.randint(0, 2)),
            received_date=received, channel=rng.choice(CHANNELS), summary=summary,
            search_key=search_key(summary, unit.name), created_by="demo", created_at=stamp, updated_at=stamp,
        )
        s.add(rep)
        s.flush()
        n += 1
        for code, v in values.items():
            s.add(IndicatorValue(indicator_id=indicators[code].id, unit_id=unit.id, period=e.month_key,
                                 value=float(v), source=f"report:{rep.id}", incoming_report_id=rep.id,
                                 entered_at=stamp))
    return n


def receipt_date(rng: random.Random, e, until: date, latest_month: str) -> date | None:  # noqa: ANN001
    """When (if ever) the demo unit sent expected report `e`: mostly on time, some late, a few
    missing — more missing in the latest closed month, so there is something to chase.
    Shared with bench/generate.py so the 10× data follows the same habits."""
    r = rng.random()
    p_missing = 0.07 if e.month_key == latest_month else 0.03
    if e.last_on_time_day >= until:  # not due yet: half have already arrived
        if r < 0.5:
            return None
        return _between(rng, e.window_end + timedelta(days=1), until)
    if r < p_missing:
        return None
    if r < p_missing + 0.08:
        return min(until, e.last_on_time_day + timedelta(days=rng.randint(1, 12)))
    return _between(rng, e.window_end + timedelta(days=1), e.last_on_time_day)


def _between(rng: random.Random, a: date, b: date) -> date:
    if b <= a:
        return b
    return a + timedelta(days=rng.randint(0, (b - a).days))


def _activity(rng: random.Random, unit: Unit) -> dict[str, int]:
    prof = PROFILES.get(unit.group, PROFILES["default"])
    return {code: rng.randint(lo, hi) for code, (lo, hi) in prof.items()}


def _summary(unit: Unit, p: Period, v: dict[str, int]) -> str:
    parts = [f"Kết quả tuyên truyền thực hiện Nghị quyết số 57-NQ/TW {p.label()} của {unit.name}:",
             f"đăng {v['HD-TIN']} tin, bài trên trang thông tin điện tử và {v['HD-MXH']} bài trên mạng xã hội"]
    if v["HD-HN"]:
        parts.append(f"tổ chức {v['HD-HN']} hội nghị, hội thảo, tọa đàm với {v['HD-NGUOI']} lượt người tham dự")
    if v["HD-PANO"]:
        parts.append(f"treo {v['HD-PANO']} pano, áp phích, băng rôn về chuyển đổi số")
    if v["HD-PTTH"]:
        parts.append(f"phát sóng {v['HD-PTTH']} buổi phát thanh, truyền hình chuyên đề")
    return parts[0] + " " + "; ".join(parts[1:]) + "."


def _progress(s: Session, rng: random.Random, until: date, stamp: datetime) -> None:
    # Core UPDATEs with an explicit updated_at: the ORM would stamp "now" and break determinism.
    for aid in s.scalars(select(Assignment.id).order_by(Assignment.id)).all():
        r = rng.random()
        values: dict = {"source": "demo", "updated_at": stamp}
        if r < 0.75:
            values.update(progress="dang", result_text="Đã triển khai, đang tiếp tục thực hiện thường xuyên.")
        elif r < 0.85:
            values.update(progress="xong", completion_date=until - timedelta(days=rng.randint(10, 200)),
                          result_text="Đã hoàn thành nội dung được giao trong kỳ.")
        s.execute(update(Assignment).where(Assignment.id == aid).values(**values))


def _dated_plan(s: Session, until: date, stamp: datetime) -> int:
    """A labelled demo plan whose tasks have due dates around `until`."""
    doc = DirectiveDocument(symbol="DEMO/KH-SKHCN", doc_type="Kế hoạch", doc_date=until - timedelta(days=200),
                            issuer="Sở Khoa học và Công nghệ",
                            title="Kế hoạch minh họa (dữ liệu demo): các nhiệm vụ có thời hạn",
                            search_key=search_key("Kế hoạch minh họa dữ liệu demo"), is_plan=True,
                            start_period=f"{until.year}-01", updated_at=stamp)
    s.add(doc)
    s.flush()
    units = {u.code: u for u in s.scalars(select(Unit))}
    d = until
    rows = [  # code, text, due, [(unit, progress, completion)]
        ("1", "Xây dựng chuyên mục “Chuyển đổi số” trên Cổng thông tin điện tử",
         d - timedelta(days=60), [("SVHTTDL", "xong", d - timedelta(days=70)), ("CTTDT", "xong", d - timedelta(days=65))]),
        ("2", "Tổ chức hội nghị quán triệt Nghị quyết 57-NQ/TW cho cán bộ chủ chốt",
         d - timedelta(days=45), [("SNV", "xong", d - timedelta(days=30))]),
        ("3", "Biên soạn tài liệu hỏi - đáp về đổi mới sáng tạo",
         d + timedelta(days=40), [("SKHCN", "dang", None), ("BTGTU", "dang", None)]),
        ("4", "Số hóa hồ sơ, tài liệu lưu trữ năm 2024",
         d - timedelta(days=20), [("SNV", "dang", None), ("VPUBND", "dang", None)]),
        ("5", "Báo cáo sơ kết việc tuyên truyền trên hệ thống thông tin cơ sở",
         d + timedelta(days=5), [("SVHTTDL", "chua", None)]),
        ("6", "Khảo sát mức độ sẵn sàng chuyển đổi số của doanh nghiệp",
         d + timedelta(days=90), [("SCT", "chua", None)]),
        ("7", "Hoàn thiện cơ sở dữ liệu chuyên ngành khoa học và công nghệ",
         d - timedelta(days=10), [("SKHCN", "chua", None)]),
    ]
    for i, (code, text, due, parts) in enumerate(rows):
        t = Task(plan_id=doc.id, code=f"DEMO.{code}", section="DEMO", text=text,
                 search_key=search_key(f"DEMO.{code}", text), due_date=due, recurring=False,
                 sort_order=i, updated_at=stamp)
        s.add(t)
        s.flush()
        for j, (ucode, prog, done) in enumerate(parts):
            s.add(Assignment(task_id=t.id, unit_id=units[ucode].id, role="chủ trì" if j == 0 else "phối hợp",
                             progress=prog, completion_date=done, source="demo", updated_at=stamp,
                             result_text="Đã hoàn thành." if prog == "xong" else ""))
    return len(rows)


def _target_values(s: Session, until: date, stamp: datetime, indicators: dict[str, Indicator]) -> None:
    for code, (v2025, v2026) in TARGET_VALUES.items():
        ind = indicators.get(code)
        if ind is None:
            continue
        for year, v in ((2025, v2025), (2026, v2026)):
            if year < until.year or (year == until.year and until.month == 12):
                s.add(IndicatorValue(indicator_id=ind.id, unit_id=None, period=str(year), value=float(v),
                                     source="demo", entered_at=stamp))
    s.execute(update(Indicator).where(Indicator.code == "T2030-21").values(
        status="dat", status_note="Đánh giá minh họa của dữ liệu demo.", updated_at=stamp))
