"""Seeded defect for NAT-CREDIT-005: due dates counted as 30-day periods (start + 30·k days), so they drift
away from the contract's calendar months; the amounts stay exact."""

from datetime import date, timedelta
from typing import Any

from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def schedule(self, req: dict[str, Any]) -> dict[str, Any]:
        result = super().schedule(req)
        start = date.fromisoformat(req["start_date"])
        for row in result["instalments"]:
            row["due_date"] = (start + timedelta(days=30 * row["number"])).isoformat()  # Defect
        return result


def create_app() -> object:
    return CreditApp(Engine())
