"""Seeded defect for NAT-CREDIT-011: Caps the limit at 50,000 above 500,000 declared income (verification rule)."""

from decimal import Decimal
from typing import Any

from rural_microloan import scorecard
from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def credit_limit(self, applicant: dict[str, Any], loan: dict[str, Any], points: int) -> Decimal:
        limit = super().credit_limit(applicant, loan, points)
        if scorecard.average_income(applicant) > Decimal("500000"):
            # Defect: "unverified high income" rule: more income now means a lower limit.
            return min(limit, Decimal("50000.00"))
        return limit


def create_app() -> object:
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
