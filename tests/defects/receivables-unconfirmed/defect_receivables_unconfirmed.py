"""Seeded defect: small tickets are fast-tracked without the debtor's confirmation."""

from typing import Any

from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform

FAST_TRACK_UNITS = 10_000_000  # 100,000.00


class FastTrackPlatform(Platform):
    def check_confirmed(self, rec: dict[str, Any]) -> None:
        if rec["face_units"] <= FAST_TRACK_UNITS:
            return
        super().check_confirmed(rec)


class App(ReceivablesApp):
    platform_class = FastTrackPlatform


def create_app() -> App:
    return App()
