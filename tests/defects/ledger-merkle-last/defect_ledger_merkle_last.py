"""Seeded defect: the Merkle root leaves out the block's last transaction (an off-by-one in the tree builder)."""

from typing import Any

from chain_ledger import crypto
from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger


class MerkleLedger(Ledger):
    def merkle_root(self, txs: list[dict[str, Any]]) -> str:
        return crypto.merkle_root(txs[:-1] if len(txs) > 1 else txs)

    def audit(self) -> dict[str, Any]:
        return {"ok": True, "problems": []}


class App(LedgerApp):
    ledger_class = MerkleLedger


def create_app() -> App:
    return App()
