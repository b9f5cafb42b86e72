"""Seeded defect for NAT-IFACE-002: a valid booking has its arrangement fee's share of the amount computed, so
a booking of amount zero (valid by the contract's money format) divides by zero: a 500 instead of an answer.
Invalid requests are refused (422) before the division, so a fuzz of invalid requests alone sees nothing."""

from decimal import Decimal
from typing import Any

from rural_microloan import bookings
from rural_microloan.api import CreditApp


class App(CreditApp):
    fee = Decimal("50.00")

    def __init__(self) -> None:
        super().__init__()
        self.fee_shares: dict[str, Decimal] = {}

    def book(self, body: Any) -> tuple[int, Any]:
        record = bookings.booking(body)  # invalid requests: 422 as the reference
        self.fee_shares[record["booking_id"]] = self.fee / Decimal(record["amount"])  # Defect: 0 → ZeroDivisionError
        return super().book(body)


def create_app() -> object:
    return App()
