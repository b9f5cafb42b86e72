"""Seeded defect for NAT-CREDIT-006: every decline for a line below the minimum loan says LOW_INCOME, also when
the existing micro-loan balance is what leaves no room (no income moves the balance cap's 300,000)."""

from decimal import Decimal
from typing import Any

from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def policy_reasons(self, applicant: dict[str, Any], loan: dict[str, Any], points: int,
                       limit: Decimal) -> list[str]:
        reasons = super().policy_reasons(applicant, loan, points, limit)
        return ["LOW_INCOME"] if reasons == ["BALANCE_LIMIT"] else reasons  # Defect


def create_app() -> object:
    return CreditApp(Engine())
