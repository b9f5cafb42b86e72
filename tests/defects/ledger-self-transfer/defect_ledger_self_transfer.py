"""Seeded defect: a signed transfer to the sender's own account is accepted (the engineer treated it as a
harmless no-op: it moves nothing, but spends a nonce and puts a transaction on the ledger that the contract
refuses). The old BC-LEDGER-002 never sent one, nor a negative nonce or a non-string signature."""

from typing import Any

from chain_ledger import crypto
from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger, Refused, fmt, parse_amount


class SelfTransferLedger(Ledger):
    def transfer(self, body: dict[str, Any]) -> dict[str, Any]:
        sender, to, nonce, sig = body.get("from"), body.get("to"), body.get("nonce"), body.get("signature")
        if sender != to or not isinstance(sig, str) or not isinstance(nonce, int) or nonce < 0:
            return super().transfer(body)
        units = parse_amount(body.get("amount"))
        with self.lock:
            self._known(sender)
            payload = crypto.transfer_payload(sender, to, fmt(units), nonce)
            if not crypto.signature_ok(self.keys[sender], sig, payload):
                raise Refused(401, "bad_signature", "the signature does not verify with the sender's key")
            self.check_nonce(sender, nonce)
            self.check_funds(sender, units)
            return self._accept(self._tx("transfer", sender, to, fmt(units), nonce, sig))

class App(LedgerApp):
    ledger_class = SelfTransferLedger


def create_app() -> App:
    return App()
