"""Seeded defect: every confirmation request restarts the debtor's 30-day deadline. A creditor's reminder
(the engineer read "the request" as "the latest request") moves the due day, so a debtor that was already
overdue is not, and the creditor can keep a receivable looking current. The old SH-RECV-006 sent one request
per receivable."""

from typing import Any

from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform


class ReminderResets(Platform):
    def request_confirmation(self, rid: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            rec = self._receivable(rid)
            if not rec["confirmed"] and isinstance(body, dict) and body.get("party") == rec["creditor"]:
                rec["requested"] = None  # forget the first request: the next line records this one instead
            return super().request_confirmation(rid, body)


class App(ReceivablesApp):
    platform_class = ReminderResets


def create_app() -> App:
    return App()
