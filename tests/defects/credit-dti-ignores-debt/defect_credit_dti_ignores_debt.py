"""Seeded defect for NAT-CREDIT-013: the debt-to-income ratio counts only the new loan's monthly payment, so an
applicant already paying most of their income to other lenders is approved."""

from decimal import Decimal
from typing import Any

from rural_microloan import scorecard
from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def debt_to_income(self, applicant: dict[str, Any], loan: dict[str, Any]) -> Decimal:
        monthly_income = scorecard.average_income(applicant) / 12
        if monthly_income <= 0:
            return Decimal("Infinity")
        return Decimal(loan["amount"]) / Decimal(loan["term_months"]) / monthly_income  # Defect: no existing debt


def create_app() -> object:
    return CreditApp(Engine())
