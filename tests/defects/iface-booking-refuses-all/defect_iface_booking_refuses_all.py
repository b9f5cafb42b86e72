"""Seeded defect for NAT-IFACE-002: the duplicate check looks the request up in a set that already holds it,
so every booking is refused as a duplicate (409) and nothing is ever booked; invalid requests still get
their 422, so a fuzz of invalid requests alone sees nothing wrong."""

from typing import Any

from rural_microloan import bookings
from rural_microloan.api import CreditApp, _problem


class App(CreditApp):
    def book(self, body: Any) -> tuple[int, Any]:
        record = bookings.booking(body)  # invalid requests: 422 as the reference
        seen = {record["booking_id"]}  # Defect: the request is registered before it is checked
        if record["booking_id"] in seen:
            return _problem(409, "Conflict", f"booking {record['booking_id']} exists")
        return super().book(body)


def create_app() -> object:
    return App()
