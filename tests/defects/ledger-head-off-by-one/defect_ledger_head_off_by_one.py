"""Seeded defect: the head reports the number of blocks as its height (off by one: heights start at 0), so a
client following the head asks for a block that does not exist. The old BC-LEDGER-004 compared the head's
hash only with itself."""

from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger


class OffByOneLedger(Ledger):
    def head(self) -> dict[str, Any]:
        top = self.blocks[-1]
        return {"height": len(self.blocks), "hash": top["hash"], "pending": len(self.pending)}


class App(LedgerApp):
    ledger_class = OffByOneLedger


def create_app() -> App:
    return App()
