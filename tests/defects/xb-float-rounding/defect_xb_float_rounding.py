"""Seeded defect for GZ-XB-002: Converts with binary floats and truncates with int(), losing a fen."""

from decimal import Decimal

from xborder_payments import fx
from xborder_payments.api import XBorderApp
from xborder_payments.currencies import EXPONENTS
from xborder_payments.service import XBorderService


class FloatDesk(fx.FxDesk):
    def converted(self, amount: Decimal, rate: Decimal, buy: str) -> Decimal:
        # Defect: float arithmetic and int() truncation; 0.29 * 100 == 28.999999999999996.
        scale = 10 ** EXPONENTS[buy]
        return Decimal(int(float(amount) * float(rate) * scale)) / scale


class Service(XBorderService):
    desk_class = FloatDesk


def create_app() -> object:
    return XBorderApp(Service())
