"""Seeded defect for GZ-XB-009: Screens names token by token in the written order only."""

from xborder_payments import screening
from xborder_payments.api import XBorderApp
from xborder_payments.service import XBorderService


class OrderedScreener(screening.Screener):
    def orders(self, query: list[str]) -> list[tuple[str, ...]]:
        # Defect: "Volkov Dmitri" is never compared with "Dmitri Volkov".
        return [tuple(query)]


class Service(XBorderService):
    screener_class = OrderedScreener


def create_app() -> object:
    return XBorderApp(Service())
