"""Seeded defect: the amount parser refuses zero but not a negative amount, so a signed transfer of -0.01
moves a cent from the recipient to the sender (the balance check passes: the sender "spends" less than
nothing). The old BC-LEDGER-002 sent an extra decimal and zero, never a negative amount."""

from typing import Any

import chain_ledger.ledger as ledger_module
from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger

_reference_parse = ledger_module.parse_amount


def lax_parse_amount(value: Any, *, allow_zero: bool = False) -> int:
    """The reference parser, except that a leading minus sign is read as a negative amount (the defect)."""
    if isinstance(value, str) and value.startswith("-"):
        return -_reference_parse(value[1:], allow_zero=allow_zero)
    return _reference_parse(value, allow_zero=allow_zero)


ledger_module.parse_amount = lax_parse_amount  # the reference's methods look the parser up at call time


class App(LedgerApp):
    ledger_class = Ledger


def create_app() -> App:
    return App()
