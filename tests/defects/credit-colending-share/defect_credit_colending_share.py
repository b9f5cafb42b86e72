"""Seeded defect for CQ-CREDIT-002: Partner funds 80 % of co-lent loans above 100,000."""

from decimal import Decimal

from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def lender_share(self, amount: Decimal) -> Decimal:
        if amount > Decimal("100000"):
            return Decimal("0.20")  # Defect: large loans are mostly partner-funded
        return super().lender_share(amount)


def create_app() -> object:
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
