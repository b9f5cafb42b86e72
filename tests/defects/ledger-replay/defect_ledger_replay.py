"""Seeded defect: replay protection only looks ahead (a nonce below the next one is accepted) and the
duplicate check only looks at the pending pool, so an old signed transfer is applied again once sealed."""

from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger, Refused


class ReplayLedger(Ledger):
    def check_nonce(self, sender: str, nonce: int) -> None:
        if nonce > self.nonces[sender]:
            raise Refused(409, "bad_nonce", "nonce is ahead of the account's next nonce")

    def _apply(self, tx: dict[str, Any]) -> None:
        super()._apply(tx)
        if tx["kind"] == "transfer":
            self.nonces[tx["from"]] = max(self.nonces[tx["from"]], tx["nonce"] + 1)

    def is_duplicate(self, tx: dict[str, Any]) -> bool:
        return any(t["id"] == tx["id"] for t in self.pending)


class App(LedgerApp):
    ledger_class = ReplayLedger


def create_app() -> App:
    return App()
