"""One event bus: services return what changed, the GUI announces it here, pages refresh.

Topics are plain strings: "units", "plans", "tasks", "reports", "expected", "indicators",
"documents", "settings", "calendar", "database" (another database was opened).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class EventBus(QObject):
    changed = Signal(str, object)  # topic, payload (ids or a result dataclass)

    def publish(self, topic: str, payload: object = None) -> None:
        self.changed.emit(topic, payload)

    def subscribe(self, topics: set[str] | str, handler) -> None:  # noqa: ANN001 - any callable
        wanted = {topics} if isinstance(topics, str) else set(topics)

        def _filter(topic: str, payload: object) -> None:
            if topic in wanted or "*" in wanted or topic == "database":
                handler(topic, payload)

        self.changed.connect(_filter)
