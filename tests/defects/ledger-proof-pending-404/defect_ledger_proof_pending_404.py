"""Seeded defect: the inclusion proof of a transaction still pending in no block is answered 404 ("not found
in any block"), as if the ledger had never accepted it; the contract answers 409 until the block is sealed.
The old BC-LEDGER-006 asked for proofs only after sealing."""

from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger, Refused


class NotFoundLedger(Ledger):
    def proof(self, tx_id: str) -> dict[str, Any]:
        with self.lock:
            if tx_id in self.where and self.where[tx_id][0] is None:
                raise Refused(404, "not_found", f"transaction {tx_id} is in no block")
            return super().proof(tx_id)


class App(LedgerApp):
    ledger_class = NotFoundLedger


def create_app() -> App:
    return App()
