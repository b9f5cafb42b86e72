"""Seeded defect for NAT-CREDIT-005: Rounds each instalment's interest down instead of half-up."""

from decimal import ROUND_DOWN, Decimal

from rural_microloan.api import CreditApp
from rural_microloan.engine import FEN, CreditEngine


class Engine(CreditEngine):
    @staticmethod
    def interest(balance: Decimal, monthly_rate: Decimal) -> Decimal:
        return (balance * monthly_rate).quantize(FEN, rounding=ROUND_DOWN)  # Defect: truncates the fen


def create_app() -> object:
    return CreditApp(Engine())
