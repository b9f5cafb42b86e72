"""Seeded defect for NAT-IFACE-002: the booking amount is checked with ``\\d`` and normalised with
``Decimal()``. In Python both take any Unicode decimal digit, so "１０００.００" (full-width digits, which the
contract's ``[0-9]`` pattern refuses) is booked as 1000.00 with 201 instead of being refused with a 4xx
problem."""

import re
from decimal import Decimal
from typing import Any

from rural_microloan.api import CreditApp

AMOUNT = re.compile(r"\d{1,15}(\.\d{1,2})?")  # Defect: \d is not [0-9] in Python


class App(CreditApp):
    def book(self, body: Any) -> tuple[int, Any]:
        if isinstance(body, dict) and isinstance(body.get("amount"), str) and AMOUNT.fullmatch(body["amount"]):
            body = {**body, "amount": f"{Decimal(body['amount']):f}"}
        return super().book(body)


def create_app() -> object:
    return App()
