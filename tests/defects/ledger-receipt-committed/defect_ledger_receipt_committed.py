"""Seeded defect: every receipt says "committed" ("instant finality" in the vendor's brochure), also for a
transaction still pending in no block. A client that trusts the receipt releases goods against a transfer
that is not final. The old BC-LEDGER-004 never compared a receipt's status with its block."""

from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger


class InstantLedger(Ledger):
    def transfer(self, body: dict[str, Any]) -> dict[str, Any]:
        return {**super().transfer(body), "status": "committed"}


class App(LedgerApp):
    ledger_class = InstantLedger


def create_app() -> App:
    return App()
