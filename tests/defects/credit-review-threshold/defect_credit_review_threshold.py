"""Seeded defect for NAT-CREDIT-007: Human-review threshold left at the national 200,000 instead of the region's."""

from dataclasses import replace
from decimal import Decimal

from rural_microloan.engine import CreditEngine
from rural_microloan.policy import Policy


class Engine(CreditEngine):
    def __init__(self) -> None:
        # Defect: configured from the national template; the regional profile asks for less.
        super().__init__(replace(Policy(), review_above=Decimal("200000.00")))


def create_app() -> object:
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
