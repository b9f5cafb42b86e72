"""Seeded defect: invoice numbers compared as typed (outer spaces trimmed only)."""

from receivables_platform.api import ReceivablesApp
from receivables_platform.platform import Platform


class ExactNumberPlatform(Platform):
    def key_of(self, debtor: str, creditor: str, number: str) -> str:
        return f"{debtor}|{creditor}|{number.strip()}"


class App(ReceivablesApp):
    platform_class = ExactNumberPlatform


def create_app() -> App:
    return App()
