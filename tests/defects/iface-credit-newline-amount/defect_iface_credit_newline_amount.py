"""Seeded defect for NAT-IFACE-001: every decision's credit line is written with a final line break
("1200.00\\n", a template that ends in a newline). The contract's Money pattern refuses it as ECMA-262 reads
``$``; the reference validator used to take it (Python's ``$`` matches before a final newline), so this
product passed every contract check."""

from typing import Any

from rural_microloan.api import CreditApp


class App(CreditApp):
    def decide(self, body: Any) -> tuple[int, Any]:
        status, decision = super().decide(body)
        return status, {**decision, "credit_limit": f"{decision['credit_limit']}\n"}  # Defect


def create_app() -> object:
    return App()
