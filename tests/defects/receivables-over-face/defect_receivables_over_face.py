"""Seeded defect: the face-value cap compares decimal strings instead of amounts."""

from typing import Any

from chain_ledger.ledger import Refused, fmt, parse_amount
from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform


class StringCapPlatform(Platform):
    def check_amount(self, rec: dict[str, Any], amount: Any) -> int:
        units = parse_amount(amount)
        if amount > fmt(rec["face_units"]):  # "10.00" > "9.99" is False
            raise Refused(422, "exceeds_face_value", f"{amount} exceeds the face value")
        return units


class App(ReceivablesApp):
    platform_class = StringCapPlatform


def create_app() -> App:
    return App()
