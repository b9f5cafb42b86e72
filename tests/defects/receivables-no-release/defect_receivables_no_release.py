"""Seeded defect: a repayment never releases the receivable."""

from typing import Any

from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform


class StickyPlatform(Platform):
    def release(self, fin: dict[str, Any]) -> None:
        """Forgot to unlink the receivable from its (now repaid) financing."""


class App(ReceivablesApp):
    platform_class = StickyPlatform


def create_app() -> App:
    return App()
