"""Seeded defect: the confirmation request does not check who asks. The debtor, whose 30-day deadline it
starts, can request its own confirmation, and so choose the day its deadline runs from."""

from typing import Any

from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform


class AnyoneRequests(Platform):
    def request_confirmation(self, rid: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            rec = self._receivable(rid)
            fixed = {**body, "party": rec["creditor"]} if isinstance(body, dict) else body
            return super().request_confirmation(rid, fixed)


class App(ReceivablesApp):
    platform_class = AnyoneRequests


def create_app() -> App:
    return App()
