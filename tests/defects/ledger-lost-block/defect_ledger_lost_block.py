"""Seeded defect: on start-up the newest block file is "repaired" as possibly torn (deleted), losing its
transactions. Only observable with a runner that restarts the product on the same data (docker)."""

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger


class LostBlockLedger(Ledger):
    def _recover(self) -> None:
        stored = self.store.read_blocks()
        if len(stored) > 1:
            self.store.block_path(len(stored) - 1).unlink()
        super()._recover()


class App(LedgerApp):
    ledger_class = LostBlockLedger


def create_app() -> App:
    return App()
