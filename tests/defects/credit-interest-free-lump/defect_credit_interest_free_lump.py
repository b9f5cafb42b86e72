"""Seeded defect for NAT-CREDIT-005: at an APR of 0 the level payment is the whole principal, so an
interest-free loan is repaid in its first instalment and the others are nil (every APR above 0 is exact)."""

from decimal import Decimal

from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    @staticmethod
    def level_payment(principal: Decimal, r: Decimal, n: int) -> Decimal:
        if r == 0:
            return principal  # Defect: principal, not principal / n
        return CreditEngine.level_payment(principal, r, n)


def create_app() -> object:
    return CreditApp(Engine())
