"""Seeded defect: the audit re-verifies the chain held in memory and never re-reads the stored blocks."""

from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger


class BlindLedger(Ledger):
    def stored_blocks(self) -> list[dict[str, Any]]:
        return list(self.blocks)


class App(LedgerApp):
    ledger_class = BlindLedger


def create_app() -> App:
    return App()
