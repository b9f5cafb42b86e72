"""Seeded defect for NAT-CREDIT-003: the 12-month bullet limit is enforced at the branch only, so an internet
personal consumer loan repaid in one bullet is granted for more than 12 months (CBIRC Order 2020 No. 9 Art. 20
binds exactly those loans; a branch bullet loan over 12 months is lawful and is not the defect)."""

from decimal import Decimal
from typing import Any

from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def policy_reasons(self, applicant: dict[str, Any], loan: dict[str, Any], points: int,
                       limit: Decimal) -> list[str]:
        if loan["channel"] == "internet" and loan["repayment_type"] == "bullet":
            # Defect: the bullet-term rule was wired into the branch journey only.
            loan = {**loan, "term_months": min(loan["term_months"], self.policy.bullet_max_term_months)}
        return super().policy_reasons(applicant, loan, points, limit)


def create_app() -> object:
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
