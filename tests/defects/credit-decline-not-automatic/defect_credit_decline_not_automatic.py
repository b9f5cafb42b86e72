"""Seeded defect for NAT-CREDIT-014: declines are answered ``automatic: false`` (as if a credit officer had
decided), so an applicant refused by the scorecard alone is not told the decision was automated."""

from typing import Any

from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def decide(self, app: dict[str, Any]) -> dict[str, Any]:
        result = super().decide(app)
        if result["outcome"] == "declined":
            result["automatic"] = False  # Defect
        return result


def create_app() -> object:
    return CreditApp(Engine())
