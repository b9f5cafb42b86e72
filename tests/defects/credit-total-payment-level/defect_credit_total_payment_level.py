"""Seeded defect for NAT-CREDIT-005: the total payment is disclosed as the level payment times the term, so the
last instalment's rounding adjustment is left out; every instalment and the total interest stay exact."""

from decimal import Decimal
from typing import Any

from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine, money


class Engine(CreditEngine):
    def schedule(self, req: dict[str, Any]) -> dict[str, Any]:
        result = super().schedule(req)
        if req["repayment_type"] == "amortizing":
            first = Decimal(result["instalments"][0]["payment"])
            result["total_payment"] = money(first * len(result["instalments"]))  # Defect
        return result


def create_app() -> object:
    return CreditApp(Engine())
