"""Seeded defect for NAT-CREDIT-004: Prohibited-purpose list misses asset-management products."""

from dataclasses import replace

from rural_microloan.engine import CreditEngine
from rural_microloan.policy import PROHIBITED_PURPOSES, Policy


class Engine(CreditEngine):
    def __init__(self) -> None:
        # Defect: the list was copied from an older rule that had no asset-management products.
        super().__init__(replace(Policy(), prohibited_purposes=PROHIBITED_PURPOSES - {"asset_management"}))


def create_app() -> object:
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
