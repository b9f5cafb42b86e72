"""Seeded defect: the nonce check refuses a stale or replayed transfer with 408 Request Timeout (retryable to
every HTTP client) instead of 409. The refusal itself is right; the status is one the contract does not
declare for transfers, which a contract of ``"4XX"`` ranges let through."""

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger, Refused


class RetryLedger(Ledger):
    def check_nonce(self, sender: str, nonce: int) -> None:
        try:
            super().check_nonce(sender, nonce)
        except Refused as exc:
            raise Refused(408, exc.code, exc.detail) from None


class App(LedgerApp):
    ledger_class = RetryLedger


def create_app() -> App:
    return App()
