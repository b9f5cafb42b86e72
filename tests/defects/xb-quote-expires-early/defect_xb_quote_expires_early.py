"""Seeded defect for GZ-XB-004: a quote is refused at its own expires_at instant (``>=`` for ``>``).

A sampled execution time in 0..ttl seconds lands on the last instant rarely (the reference's lifetime is
30 s); at the profile's seed the old check never drew it (mutation survivor fx.py:104). The lifetime's
edges are now explicit examples.
"""

from datetime import datetime

from xborder_payments import fx
from xborder_payments.api import XBorderApp
from xborder_payments.service import XBorderService


class EarlyExpiryDesk(fx.FxDesk):
    def execute(self, quote: fx.Quote, at: datetime) -> list[str]:
        # Defect: "valid until" read as "valid before".
        return ["quote_expired"] if at >= quote.expires_at or at < quote.quoted_at else []


class Service(XBorderService):
    desk_class = EarlyExpiryDesk


def create_app() -> object:
    return XBorderApp(Service())
