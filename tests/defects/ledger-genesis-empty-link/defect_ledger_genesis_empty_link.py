"""Seeded defect: the genesis block links to an empty previous_hash instead of the contract's 64 zeros, so
a verifier following the contract cannot anchor the chain. The old BC-LEDGER-006 verified the blocks after
the genesis only."""

import time

from chain_ledger import crypto
from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger


class EmptyLinkLedger(Ledger):
    def _seal_block(self, txs: list[dict]) -> None:
        if self.blocks:
            return super()._seal_block(txs)
        header = {"height": 0, "previous_hash": "", "merkle_root": self.merkle_root(txs),
                  "timestamp": int(time.time())}
        block = {"hash": crypto.header_hash(header), "header": header, "transactions": list(txs)}
        self.store.write_block(block)
        self.blocks.append(block)
        for tx in txs:
            self.where[tx["id"]] = (0, tx)


class App(LedgerApp):
    ledger_class = EmptyLinkLedger


def create_app() -> App:
    return App()
