"""Seeded defect for NAT-IFACE-002: the booking validation wants at least two months, so a valid one-month
booking (the contract allows 1 to 60) is refused with a 422 problem."""

from typing import Any

from rural_microloan.api import CreditApp, _problem


class App(CreditApp):
    def book(self, body: Any) -> tuple[int, Any]:
        if isinstance(body, dict) and body.get("term_months") == 1:  # Defect: "a one-month loan is not a loan"
            return _problem(422, "Unprocessable Content", "term_months: must be an integer from 2 to 60")
        return super().book(body)


def create_app() -> object:
    return App()
