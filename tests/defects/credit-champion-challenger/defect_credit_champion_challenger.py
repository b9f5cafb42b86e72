"""Seeded defect for NAT-CREDIT-008: Random champion/challenger pricing: the same application gets two prices."""

import random
from datetime import date
from decimal import Decimal

from rural_microloan.engine import CreditEngine

_assign = random.SystemRandom()  # independent of the global `random`, which Hypothesis reseeds per example


class Engine(CreditEngine):
    def price(self, points: int, contract_date: date) -> Decimal:
        apr = super().price(points, contract_date)
        if _assign.random() < 0.5:  # Defect: per-request A/B assignment instead of per-customer
            apr = max(Decimal("0.0001"), apr - Decimal("0.0005"))
        return apr


def create_app() -> object:
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
