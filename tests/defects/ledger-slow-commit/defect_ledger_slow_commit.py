"""Seeded defect for BC-LEDGER-008: commits serialised behind a synchronous replication wait (~16 TPS)."""

import time
from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger


class SlowLedger(Ledger):
    def transfer(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            time.sleep(0.06)  # "wait for the replica to acknowledge" while every other writer waits
            return super().transfer(body)


class App(LedgerApp):
    ledger_class = SlowLedger


def create_app() -> App:
    return App()
