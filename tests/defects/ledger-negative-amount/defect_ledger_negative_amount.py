"""Seeded defect: the amount parser refuses zero but not a negative amount, so a signed transfer of -0.01
moves a cent from the recipient to the sender (the balance check passes: the sender "spends" less than
nothing). The old BC-LEDGER-002 sent an extra decimal and zero, never a negative amount."""

from decimal import Decimal, InvalidOperation
from typing import Any

import chain_ledger.ledger as ledger_module
from chain_ledger.api import LedgerApp
from chain_ledger.ledger import DECIMALS, Ledger, Refused


def lax_parse_amount(value: Any, *, allow_zero: bool = False) -> int:
    if not isinstance(value, str):
        raise Refused(422, "invalid", "amount must be a decimal string")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise Refused(422, "invalid", f"amount {value!r} is not a decimal") from None
    if not amount.is_finite() or amount.as_tuple().exponent != -DECIMALS:
        raise Refused(422, "invalid", f"amount {value!r} must have exactly {DECIMALS} decimals")
    units = int(amount.scaleb(DECIMALS))
    if units == 0 and not allow_zero:  # the defect: only zero is refused
        raise Refused(422, "invalid", "amount must not be zero")
    return units


ledger_module.parse_amount = lax_parse_amount  # the reference's methods look the parser up at call time


class App(LedgerApp):
    ledger_class = Ledger


def create_app() -> App:
    return App()
