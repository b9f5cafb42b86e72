"""Seeded defect: balance and nonce are checked before taking the lock (check-then-act race)."""

import time
from typing import Any

from chain_ledger import crypto
from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger, Refused, fmt, parse_amount


class RacyLedger(Ledger):
    def transfer(self, body: dict[str, Any]) -> dict[str, Any]:
        sender, to, nonce, sig = body.get("from"), body.get("to"), body.get("nonce"), body.get("signature")
        units = parse_amount(body.get("amount"))
        self._known(sender)
        self._known(to)
        if not isinstance(sig, str) or not crypto.signature_ok(self.keys[sender], sig,
                                                               crypto.transfer_payload(sender, to, fmt(units), nonce)):
            raise Refused(401, "bad_signature", "the signature does not verify")
        self.check_nonce(sender, nonce)
        self.check_funds(sender, units)
        time.sleep(0.01)  # "fetch the sender's latest state from storage"
        with self.lock:
            tx = self._tx("transfer", sender, to, fmt(units), nonce, sig)
            return self._accept(tx)


class App(LedgerApp):
    ledger_class = RacyLedger


def create_app() -> App:
    return App()
