"""Seeded defect for GZ-XB-011: Echoes the originator's resident ID unmasked in the payment response."""

from typing import Any

from xborder_payments import service


class EchoService(service.XBorderService):
    @staticmethod
    def masked(party: dict[str, Any]) -> dict[str, Any]:
        # Defect: only the phone is masked; the resident identity card number is shown in full.
        shown = dict(party)
        if "phone" in shown:
            shown["phone"] = service.mask(shown["phone"], 3, 4)
        return shown


def create_app() -> object:
    from xborder_payments.api import XBorderApp

    return XBorderApp(EchoService())
