"""What every page needs: the open database, the event bus and the task runner."""
from __future__ import annotations

from dataclasses import dataclass

from models.db import Database
from gui.bus import EventBus
from gui.tasks import TaskRunner


@dataclass
class AppContext:
    db: Database
    bus: EventBus
    runner: TaskRunner
