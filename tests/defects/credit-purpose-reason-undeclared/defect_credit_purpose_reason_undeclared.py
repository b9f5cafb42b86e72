"""Seeded defect for NAT-CREDIT-006: the declared reason codes are the scorecard's and the bullet rule's, not
PROHIBITED_PURPOSE, though a decline for a prohibited purpose gives it (the old check never asked for one)."""

from typing import Any

from rural_microloan.api import CreditApp
from rural_microloan.engine import reason_code_list


class App(CreditApp):
    def __init__(self) -> None:
        super().__init__()
        codes = [c for c in reason_code_list() if c["code"] != "PROHIBITED_PURPOSE"]  # Defect
        self.routes[("GET", "/v1/reason-codes")] = lambda _: (200, {"codes": codes})


def create_app() -> Any:
    return App()
