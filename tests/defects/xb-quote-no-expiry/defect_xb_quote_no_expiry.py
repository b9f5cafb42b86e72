"""Seeded defect for GZ-XB-004: Executes quotes whatever their age."""

from datetime import datetime

from xborder_payments import fx
from xborder_payments.api import XBorderApp
from xborder_payments.service import XBorderService


class NoExpiryDesk(fx.FxDesk):
    def execute(self, quote: fx.Quote, at: datetime) -> list[str]:
        # Defect: the expiry check was commented out "for a demo" and never restored.
        return []


class Service(XBorderService):
    desk_class = NoExpiryDesk


def create_app() -> object:
    return XBorderApp(Service())
