"""Seeded defect for CQ-CREDIT-001: Micro-loan balance cap from the best year's income, not the 3-year average."""

from decimal import ROUND_DOWN, Decimal
from typing import Any

from rural_microloan.engine import FEN, CreditEngine


class Engine(CreditEngine):
    def microloan_cap(self, applicant: dict[str, Any]) -> Decimal:
        best = max(Decimal(x) for x in applicant["annual_incomes"])  # Defect: max instead of average
        by_income = (best * self.policy.microloan_income_fraction).quantize(FEN, rounding=ROUND_DOWN)
        return min(self.policy.microloan_balance_cap, by_income)


def create_app() -> object:
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
