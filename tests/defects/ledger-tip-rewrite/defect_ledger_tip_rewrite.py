"""Seeded defect: sealing appends to the last sealed block (a "growing tip"), so a sealed block is rewritten.

It rewrites on every seal after the first block, whatever the tip holds, so a failing sequence replays the
same way (a rule depending on how full earlier sequences left the tip made the failure flaky on replay)."""

from typing import Any

from chain_ledger import crypto
from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger


class TipRewriteLedger(Ledger):
    def _seal_block(self, txs: list[dict[str, Any]]) -> None:
        if len(self.blocks) > 1 and txs:
            tip = self.blocks.pop()
            merged = tip["transactions"] + list(txs)
            header = {**tip["header"], "merkle_root": crypto.merkle_root(merged)}
            block = {"hash": crypto.header_hash(header), "header": header, "transactions": merged}
            self.store.write_block(block)
            self.blocks.append(block)
            for tx in merged:
                self.where[tx["id"]] = (header["height"], tx)
            return
        super()._seal_block(txs)


class App(LedgerApp):
    ledger_class = TipRewriteLedger


def create_app() -> App:
    return App()
