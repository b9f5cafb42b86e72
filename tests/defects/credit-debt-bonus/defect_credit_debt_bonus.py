"""Seeded defect for NAT-CREDIT-011: a "thin file" rule halves the credit line of an applicant who pays no
monthly debt, so taking on debt raises the line (debt is rewarded, not the repayment capacity)."""

from decimal import ROUND_DOWN, Decimal
from typing import Any

from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def credit_limit(self, applicant: dict[str, Any], loan: dict[str, Any], points: int) -> Decimal:
        limit = super().credit_limit(applicant, loan, points)
        if Decimal(applicant["monthly_debt_payments"]) == 0:
            limit = (limit / 2).quantize(Decimal("0.01"), rounding=ROUND_DOWN)  # Defect
        return limit


def create_app() -> object:
    return CreditApp(Engine())
