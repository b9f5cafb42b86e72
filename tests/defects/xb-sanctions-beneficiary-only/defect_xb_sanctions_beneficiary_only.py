"""Seeded defect for GZ-XB-012: screens only the beneficiary of a payment, never its own customer (the
originator), so a listed customer's transfer is executed (AML Law 2024 Art. 41 asks for both)."""

from xborder_payments.api import XBorderApp
from xborder_payments.service import XBorderService


class Service(XBorderService):
    # Defect: the customer was screened once at onboarding, so only the counterparty is screened per payment.
    screened_parties = ("beneficiary",)


def create_app() -> object:
    return XBorderApp(Service())
