"""Seeded defect: invoice numbers are stored in a 32-character column, so a longer number (the contract
allows 64) is refused as invalid. The old strategies drew numbers of 12 to 19 characters only."""

from typing import Any

from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform, Refused


class ShortColumnPlatform(Platform):
    def register(self, body: dict[str, Any]) -> dict[str, Any]:
        number = body.get("invoice_number")
        if isinstance(number, str) and len(number) > 32:
            raise Refused(422, "invalid", "invoice_number must be a non-empty string of at most 32 characters")
        return super().register(body)


class App(ReceivablesApp):
    platform_class = ShortColumnPlatform


def create_app() -> App:
    return App()
