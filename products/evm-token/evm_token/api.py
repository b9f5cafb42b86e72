"""WSGI application: the ledger contract v1 served from an Ethereum chain (routes reused from chain-ledger)."""

from __future__ import annotations

from typing import Any

from chain_ledger.api import LedgerApp

from evm_token import __version__
from evm_token.chain import NOTES, EvmLedger


class EvmTokenApp(LedgerApp):
    product = "evm-token"
    ledger_class = EvmLedger  # type: ignore[assignment]  # same operations, another chain

    def info(self) -> dict[str, Any]:
        return {"product": self.product, "version": __version__, "signature_algorithm": "secp256k1",
                "proof_format": "none", "block_hash_format": "ethereum-keccak-rlp", "decimals": 2, "symbol": "SBXE",
                "supply_policy": "mint_burn", "notes": NOTES}


def create_app() -> EvmTokenApp:
    return EvmTokenApp()
