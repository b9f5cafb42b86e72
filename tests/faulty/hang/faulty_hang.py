"""Answers health and reason codes, but never answers a decision (it blocks forever)."""

import threading
from typing import Any

from rural_microloan.api import CreditApp

_never = threading.Event()


class App(CreditApp):
    def decide(self, body: Any) -> tuple[int, Any]:
        _never.wait()
        raise AssertionError("unreachable")


def create_app() -> object:
    return App()
