"""What every page needs: the open database, the event bus and the task runner."""
from __future__ import annotations

from dataclasses import dataclass

from gui.bus import EventBus
from gui.tasks import TaskRunner
from models.db import Database


@dataclass
class AppContext:
    db: Database
    bus: EventBus
    runner: TaskRunner
