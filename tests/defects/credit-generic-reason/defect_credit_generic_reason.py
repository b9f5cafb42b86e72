"""Seeded defect for NAT-CREDIT-006: Score declines carry an undeclared catch-all reason code."""

from decimal import Decimal
from typing import Any

from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def policy_reasons(self, applicant: dict[str, Any], loan: dict[str, Any], points: int,
                       limit: Decimal) -> list[str]:
        reasons = super().policy_reasons(applicant, loan, points, limit)
        if points < self.policy.cutoff:
            return ["GENERAL_POLICY"]  # Defect: not specific, and not in the declared list
        return reasons


def create_app() -> object:
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
