"""Seeded defect for BC-LEDGER-004: the seal's answer takes the pending count before it seals, so it says
that the transactions it has just put in a block are still pending."""

from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger


class EarlyCountLedger(Ledger):
    def seal(self) -> dict[str, Any]:
        with self.lock:
            sealing = len(self.pending)  # Defect: read before the seal, answered after it
            return {**super().seal(), "pending": sealing}


class App(LedgerApp):
    ledger_class = EarlyCountLedger


def create_app() -> App:
    return App()
