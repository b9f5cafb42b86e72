"""Seeded defect for GZ-XB-010: Logs the funding card's CVV in a debug-style line."""

import logging
from decimal import Decimal
from typing import Any

from xborder_payments import service


class LeakyService(service.XBorderService):
    def log_payment(self, payment_id: str, amount: Decimal, currency: str, card: dict[str, Any] | None,
                    reasons: list[str]) -> None:
        super().log_payment(payment_id, amount, currency, card, reasons)
        if card:
            # Defect: a troubleshooting line left in production.
            logging.getLogger("xborder_payments").info("card check pan=%s cvv=%s", card["pan"][-4:], card.get("cvv"))


def create_app() -> object:
    from xborder_payments.api import XBorderApp

    return XBorderApp(LeakyService())
