"""Seeded defect: a transaction lookup reports "pending" for every transaction (the status field is filled
from the submission queue, never updated), also for one sealed in a block. The old BC-LEDGER-004 compared a
looked-up transaction's body and block, not its status."""

from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger


class StalePending(Ledger):
    def transaction(self, tx_id: str) -> dict[str, Any]:
        return {**super().transaction(tx_id), "status": "pending"}


class App(LedgerApp):
    ledger_class = StalePending


def create_app() -> App:
    return App()
