"""Seeded defect for SH-RECV-006: the confirmation deadline is "the same day next month", not 30 days (a
request on 15 February is flagged overdue from 16 March, two days early in a common year)."""

from datetime import date
from typing import Any

from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform


class MonthPlatform(Platform):
    def due_of(self, rec: dict[str, Any]) -> date:
        requested = date.fromisoformat(rec["requested"])
        year, month = (requested.year + 1, 1) if requested.month == 12 else (requested.year, requested.month + 1)
        day = min(requested.day, 28)  # Defect: a month, not 30 days (clamped so every month has the day)
        return date(year, month, day)


class App(ReceivablesApp):
    platform_class = MonthPlatform


def create_app() -> App:
    return App()
