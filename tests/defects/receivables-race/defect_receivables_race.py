"""Seeded defect: check-then-act race; the financing is anchored and booked after the lock was released."""

import time
import uuid
from typing import Any

from chain_ledger.ledger import Refused
from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform


class RacyPlatform(Platform):
    def finance(self, body: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(body.get("receivable_id"), str):
            raise Refused(422, "invalid", "receivable_id must be a string")
        with self.lock:  # validate under the lock ...
            rec = self._receivable(body["receivable_id"])
            units = self.check_amount(rec, body.get("amount"))
            self.check_confirmed(rec)
            self.check_free(rec)
            fid = f"fin-{uuid.uuid4().hex[:12]}"
        # ... but anchor on the ledger and journal without it ("the ledger has its own lock"); anchoring takes
        # as long as a ledger round trip does (a few ms), which is the window the race needs
        time.sleep(0.005)
        self.commit({"type": "financed", "id": fid, "receivable_id": rec["id"], "financier": body.get("financier"),
                     "units": units})
        return self.financing(fid)


class App(ReceivablesApp):
    platform_class = RacyPlatform


def create_app() -> App:
    return App()
