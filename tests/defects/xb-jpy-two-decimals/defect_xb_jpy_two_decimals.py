"""Seeded defect for GZ-XB-001: Writes JPY amounts with two decimals (and accepts sen)."""

from xborder_payments import currencies

# Defect: the currency table copied from a "two decimals everywhere" default: JPY gets 2 minor units.
currencies.EXPONENTS["JPY"] = 2


def create_app() -> object:
    from xborder_payments.api import XBorderApp

    return XBorderApp()
