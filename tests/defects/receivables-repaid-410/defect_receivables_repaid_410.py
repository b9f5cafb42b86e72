"""Seeded defect: repaying a financing that is already repaid is answered 410 Gone (a REST habit for a
closed resource), a status the contract does not declare for the operation (409 not_live). The old
SH-RECV-005 reached a second repayment only in some generated sequences."""

from typing import Any

from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform, Refused


class GonePlatform(Platform):
    def repay(self, fid: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if self._financing(fid)["status"] == "repaid":
                raise Refused(410, "gone", f"financing {fid} is closed")
            return super().repay(fid, body)


class App(ReceivablesApp):
    platform_class = GonePlatform


def create_app() -> App:
    return App()
