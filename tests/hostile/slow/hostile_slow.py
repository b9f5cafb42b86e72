"""Slow on purpose: every booking takes 0.25 s, well inside the request timeout, forever."""

from __future__ import annotations

import time
from typing import Any

from rural_microloan.api import CreditApp


class SlowApp(CreditApp):
    def book(self, body: Any) -> tuple[int, Any]:
        time.sleep(0.25)
        return super().book(body)


def create_app() -> SlowApp:
    return SlowApp()
