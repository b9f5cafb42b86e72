"""Seeded defect: a confirmation by anyone but the debtor is refused as "not found" (404), to hide that the
receivable exists. The refusal is right; its status and code are not the contract's 403 wrong_party."""

from typing import Any

from chain_ledger.ledger import Refused
from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform


class HidingPlatform(Platform):
    def confirm(self, rid: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            return super().confirm(rid, body)
        except Refused as exc:
            if exc.code == "wrong_party":
                raise Refused(404, "not_found", f"no receivable {rid}") from None
            raise


class App(ReceivablesApp):
    platform_class = HidingPlatform


def create_app() -> App:
    return App()
