"""Seeded defect for NAT-CREDIT-013: the debt-to-income ratio divides by the monthly income unguarded, so an
applicant with no income whose other features pass the scorecard (615 points) gets a 500."""

from decimal import Decimal
from typing import Any

from rural_microloan import scorecard
from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def debt_to_income(self, applicant: dict[str, Any], loan: dict[str, Any]) -> Decimal:
        monthly_income = scorecard.average_income(applicant) / 12
        new_payment = Decimal(loan["amount"]) / Decimal(loan["term_months"])
        return (Decimal(applicant["monthly_debt_payments"]) + new_payment) / monthly_income  # Defect: no guard


def create_app() -> object:
    return CreditApp(Engine())
