"""Seeded defect for NAT-CREDIT-003: Enforces the 12-month bullet limit only on the internet channel."""

from decimal import Decimal
from typing import Any

from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def policy_reasons(self, applicant: dict[str, Any], loan: dict[str, Any], points: int,
                       limit: Decimal) -> list[str]:
        if loan["channel"] == "branch" and loan["repayment_type"] == "bullet":
            # Defect: the bullet-term rule was wired into the internet journey only.
            loan = {**loan, "term_months": min(loan["term_months"], self.policy.bullet_max_term_months)}
        return super().policy_reasons(applicant, loan, points, limit)


def create_app() -> object:
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
