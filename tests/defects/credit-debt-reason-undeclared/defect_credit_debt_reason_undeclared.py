"""Seeded defect for NAT-CREDIT-006: the declared reason codes leave out HIGH_DEBT_BURDEN, though a decline for
the debt burden gives it (the mutation benchmark's survivor scorecard.py:22 once the generated examples stopped
reaching a debt-burden decline by chance; the check now has one as an explicit case)."""

from typing import Any

from rural_microloan.api import CreditApp
from rural_microloan.engine import reason_code_list


class App(CreditApp):
    def __init__(self) -> None:
        super().__init__()
        codes = [c for c in reason_code_list() if c["code"] != "HIGH_DEBT_BURDEN"]  # Defect
        self.routes[("GET", "/v1/reason-codes")] = lambda _: (200, {"codes": codes})


def create_app() -> Any:
    return App()
