"""Seeded defect: every refused transfer becomes 422 ``invalid``. The refusal is right and changes nothing;
the reason is lost (a forged signature, a stale nonce and missing funds look alike to the client). 422 is a
status the contract declares for transfers, so the old BC-LEDGER-002 (refused, with a declared status)
passed it."""

from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger, Refused


class GenericLedger(Ledger):
    def transfer(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            return super().transfer(body)
        except Refused as exc:
            raise Refused(422, "invalid", exc.detail) from None


class App(LedgerApp):
    ledger_class = GenericLedger


def create_app() -> App:
    return App()
