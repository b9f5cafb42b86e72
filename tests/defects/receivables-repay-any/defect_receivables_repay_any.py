"""Seeded defect: the repayment endpoint trusts the caller, so any amount settles a financing and a financing
that is no longer live is "repaid" again (the state machine used to repay only live financings, in full)."""

from typing import Any

from chain_ledger.ledger import parse_amount
from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform


class TrustingPlatform(Platform):
    def repay(self, fid: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            fin = self._financing(fid)
            parse_amount(body.get("amount"))  # well-formed, but never compared with what is owed
            if fin["status"] == "live":
                self.commit({"type": "repaid", "id": fid})
            return self.financing(fid)


class App(ReceivablesApp):
    platform_class = TrustingPlatform


def create_app() -> App:
    return App()
