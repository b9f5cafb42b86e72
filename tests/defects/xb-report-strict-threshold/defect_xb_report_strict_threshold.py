"""Seeded defect for GZ-XB-006: Files large-value reports only above the threshold (> instead of >=)."""

from decimal import Decimal

from xborder_payments import compliance
from xborder_payments.api import XBorderApp
from xborder_payments.service import XBorderService


class StrictReporting(compliance.LargeValueReporting):
    def reaches(self, total: Decimal, currency_class: str) -> bool:
        # Defect: "reaches" implemented as "exceeds": exactly RMB 200,000 / USD 10,000 goes unreported.
        return total > self.thresholds[currency_class]


class Service(XBorderService):
    reporting_class = StrictReporting


def create_app() -> object:
    return XBorderApp(Service())
