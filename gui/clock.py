""""Today" for the GUI: the real date, or SECDESK_TODAY=YYYY-MM-DD for demonstrations,
screenshots and tests that must show the same figures on any day."""
from __future__ import annotations

import os
from datetime import date


def today() -> date:
    fixed = os.environ.get("SECDESK_TODAY", "").strip()
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            pass
    return date.today()
