"""Seeded defect: a burn of more than the account holds is clamped to the balance instead of refused. A
"convenience" for redemptions (burn everything that is left) that leaves the ledger's declared burned total
above what actually left the accounts. The old BC-LEDGER-002 never burned more than an account held."""

from typing import Any

from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger, parse_amount


class ClampingLedger(Ledger):
    def burn(self, sender: Any, amount: Any) -> dict[str, Any]:
        units = parse_amount(amount)
        with self.lock:
            self._known(sender)
            held = self.balances[sender]
            if units > held > 0:
                return super().burn(sender, f"{held // 100}.{held % 100:02d}")
            return super().burn(sender, amount)


class App(LedgerApp):
    ledger_class = ClampingLedger


def create_app() -> App:
    return App()
