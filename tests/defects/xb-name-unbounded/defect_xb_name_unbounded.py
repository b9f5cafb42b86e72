"""Seeded defect for GZ-IFACE-001: party names are not bounded (a schema-invalid payment is executed).

Before the conformance check built its invalid variants on a request the product was seen to accept, this
defect passed: on the as-of date the shipped rate table has ended, so every payment, the 141-character name
included, was refused with the no-rate 422 for another reason."""

from xborder_payments import validation

# Defect: the names' length limit copied from a "no limit" database column.
validation.PARTY_MAX_LENGTH["name"] = 10_000


def create_app() -> object:
    from xborder_payments.api import XBorderApp

    return XBorderApp()
