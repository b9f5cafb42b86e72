"""Seeded defect for GZ-XB-005: Resets the annual FX quota on the anniversary of the first purchase."""

from datetime import date
from decimal import Decimal

from xborder_payments import compliance
from xborder_payments.api import XBorderApp
from xborder_payments.service import XBorderService


class AnniversaryLedger(compliance.QuotaLedger):
    def __init__(self, quota_usd: Decimal) -> None:
        super().__init__(quota_usd)
        self.first: dict[str, date] = {}

    def period(self, person_id: str, day: date) -> tuple[str, int]:
        # Defect: a rolling year from the person's first purchase instead of the calendar year.
        start = self.first.setdefault(person_id, day)
        years = day.year - start.year - ((day.month, day.day) < (start.month, start.day))
        return person_id, years

    def usage(self, person_id: str, year: int) -> Decimal:
        """Usage of the period that started in ``year``."""
        start = self.first.get(person_id)
        return self.used[(person_id, year - start.year)] if start else Decimal(0)


class Service(XBorderService):
    ledger_class = AnniversaryLedger


def create_app() -> object:
    return XBorderApp(Service())
