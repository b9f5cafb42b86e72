"""Seeded defect for GZ-IFACE-001 / GZ-XB-001: the original behaviour of products/xborder-payments, found by a
generic fuzzer: a quote dated after the last fixing of the rate table (2026-10-30), today included, is a 500."""

from datetime import date
from decimal import Decimal
from typing import Any

from xborder_payments import fx
from xborder_payments.api import XBorderApp
from xborder_payments.service import XBorderService


class Crash(Exception):
    pass


class Table(fx.RateTable):
    def mid(self, sell: str, buy: str, day: date) -> Decimal:
        try:
            return super().mid(sell, buy, day)
        except fx.NoRate as exc:
            # Defect: a missing rate is treated as an internal error, not as the contract's 422 problem.
            raise Crash(str(exc)) from None


class Service(XBorderService):
    rates_class = Table


class App(XBorderApp):
    def dispatch(self, environ: dict[str, Any]) -> tuple[int, Any]:
        try:
            return super().dispatch(environ)
        except Crash as exc:
            return 500, {"title": "Internal Server Error", "status": 500, "detail": str(exc)}


def create_app() -> object:
    return App(Service())
