"""Seeded defect for GZ-XB-003: Prices every quote from a rate table frozen on 2020-01-02."""

from datetime import date
from decimal import Decimal

from xborder_payments import fx
from xborder_payments.api import XBorderApp
from xborder_payments.service import XBorderService


class StaleTable(fx.RateTable):
    def mid(self, sell: str, buy: str, day: date) -> Decimal:
        # Defect: the rate table is never refreshed after it was seeded.
        return super().mid(sell, buy, date(2020, 1, 2))


class Service(XBorderService):
    rates_class = StaleTable


def create_app() -> object:
    return XBorderApp(Service())
