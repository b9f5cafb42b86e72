"""Seeded defect for GZ-XB-006: labels every large-value report total CNY, the USD equivalent of foreign
payments included, so a USD 10,000 day reads as RMB 10,000 to the reporting centre (the old check compared
only the totals' figures, never their currency)."""

from datetime import date
from decimal import Decimal

from xborder_payments import compliance
from xborder_payments.api import XBorderApp
from xborder_payments.service import XBorderService


class OneCurrencyReporting(compliance.LargeValueReporting):
    def record(self, person_id: str, day: date, payment_id: str, amount: Decimal, currency: str,
               usd_equivalent: Decimal) -> compliance.Report | None:
        report = super().record(person_id, day, payment_id, amount, currency, usd_equivalent)
        if report is not None:
            report.currency = "CNY"  # Defect: the report template's currency field was never filled in
        return report


class Service(XBorderService):
    reporting_class = OneCurrencyReporting


def create_app() -> object:
    return XBorderApp(Service())
