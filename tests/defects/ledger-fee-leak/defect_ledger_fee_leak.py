"""Seeded defect: a 0.1 % transfer fee (rounded down) is debited from the sender and credited to nobody."""

from decimal import Decimal
from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import DECIMALS, Ledger


class FeeLedger(Ledger):
    def _apply(self, tx: dict[str, Any]) -> None:
        super()._apply(tx)
        if tx["kind"] == "transfer":
            units = int(Decimal(tx["amount"]).scaleb(DECIMALS))
            self.balances[tx["from"]] -= units // 1000


class App(LedgerApp):
    ledger_class = FeeLedger


def create_app() -> App:
    return App()
