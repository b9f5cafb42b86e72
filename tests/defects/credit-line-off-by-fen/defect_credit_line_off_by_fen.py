"""Seeded defect for NAT-CREDIT-002: Internet credit line cap configured one fen too high."""

from dataclasses import replace
from decimal import Decimal

from rural_microloan.engine import CreditEngine
from rural_microloan.policy import Policy


class Engine(CreditEngine):
    def __init__(self) -> None:
        # Defect: "<= 200000" implemented as "< 200000.02": the cap allows 200,000.01.
        super().__init__(replace(Policy(), internet_credit_cap=Decimal("200000.01")))


def create_app() -> object:
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
