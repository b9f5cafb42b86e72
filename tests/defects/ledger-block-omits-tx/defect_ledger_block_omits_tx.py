"""Seeded defect for BC-LEDGER-004: a block served over the API lists none of its transactions (its header,
hash and Merkle root are the sealed block's), while every transaction lookup still names that block. A
ledger that serves blocks from a header index and forgets to join the bodies does this; nothing but the
block listing shows it (as in the evm-token adapter, where no inclusion proof cross-checks the list)."""

from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger


class HeaderOnlyLedger(Ledger):
    def block(self, height: int) -> dict[str, Any]:
        block = super().block(height)
        return {**block, "transactions": []}  # Defect: the bodies are not joined to the header


class App(LedgerApp):
    ledger_class = HeaderOnlyLedger


def create_app() -> App:
    return App()
