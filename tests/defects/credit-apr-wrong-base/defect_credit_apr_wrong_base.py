"""Seeded defect for NAT-CREDIT-001: Caps the APR at 4 × the five-year LPR instead of the one-year LPR."""

from datetime import date
from decimal import ROUND_DOWN, Decimal

from rural_microloan.engine import CreditEngine
from rural_microloan.policy import rate_on

LPR_5Y = (
    (date(2019, 8, 20), Decimal("0.0485")), (date(2020, 4, 20), Decimal("0.0465")),
    (date(2022, 1, 20), Decimal("0.0460")), (date(2022, 5, 20), Decimal("0.0445")),
    (date(2022, 8, 22), Decimal("0.0430")), (date(2023, 6, 20), Decimal("0.0420")),
    (date(2024, 2, 20), Decimal("0.0395")), (date(2024, 7, 22), Decimal("0.0385")),
    (date(2024, 10, 21), Decimal("0.0360")), (date(2025, 5, 20), Decimal("0.0350")),
)


class Engine(CreditEngine):
    def apr_cap(self, contract_date: date) -> Decimal:
        # Defect: reads the five-year LPR series (mortgage benchmark) as the cap's base.
        return (rate_on(LPR_5Y, contract_date) * 4).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)


def create_app() -> object:
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
