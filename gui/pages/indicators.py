"""Chỉ tiêu page: three tabs — Mục tiêu (targets: latest figure, status, trend chart),
Hoạt động (activity indicators: unit/group × period tables with totals) and Danh mục
(the catalogue). Figures come from services.aggregates / services.targets only."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from gui.context import AppContext
from gui.pages.indicator_activity import ActivityTab
from gui.pages.indicator_catalogue import CatalogueTab
from gui.pages.indicator_targets import TargetsTab


class IndicatorsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.targets = TargetsTab(ctx, self)
        self.activity = ActivityTab(ctx, self)
        self.catalogue = CatalogueTab(ctx, self)
        self.tabs.addTab(self.targets, "&Mục tiêu")
        self.tabs.addTab(self.activity, "&Hoạt động")
        self.tabs.addTab(self.catalogue, "&Danh mục")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.tabs)
        # Tabs not on screen refresh when shown, so a change costs one query set, not three.
        self._stale: set[int] = set()
        self.tabs.currentChanged.connect(self._tab_shown)
        ctx.bus.subscribe({"indicators", "units", "reports"}, self._changed)

    def _changed(self, _topic: str, _payload: object) -> None:
        if not isValid(self):  # the bus outlives pages dropped when another database opens
            return
        self._stale = set(range(self.tabs.count()))
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        if index in self._stale:
            self._stale.discard(index)
            self.tabs.widget(index).refresh()

    def refresh(self) -> None:
        self._changed("indicators", None)
