"""The seven pages of the main window, created lazily on first visit.

Each entry: key, Vietnamese title, module under gui.pages, class name. A page class
takes (ctx: AppContext, parent) and may define `refresh()`.
"""
from __future__ import annotations

PAGES: list[tuple[str, str, str, str]] = [
    ("dashboard", "Tổng quan", "dashboard", "DashboardPage"),
    ("units", "Đơn vị", "units", "UnitsPage"),
    ("plans", "Kế hoạch && nhiệm vụ", "plans", "PlansPage"),
    ("incoming", "Báo cáo đến", "incoming", "IncomingPage"),
    ("indicators", "Chỉ tiêu", "indicators", "IndicatorsPage"),
    ("outgoing", "Văn bản đi", "outgoing", "OutgoingPage"),
    ("settings", "Cài đặt", "settings", "SettingsPage"),
]
