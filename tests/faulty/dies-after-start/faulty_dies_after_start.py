"""Answers its first health check, then the process exits (code 9) a moment later, on every start."""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

from rural_microloan.api import CreditApp


def _die() -> None:
    print("fatal: lost the licence lease; exiting", file=sys.stderr, flush=True)
    os._exit(9)


class DyingApp(CreditApp):
    armed = False

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if not self.armed and environ.get("PATH_INFO") == "/v1/health":
            self.armed = True
            threading.Timer(0.2, _die).start()
        return super().__call__(environ, start_response)


def create_app() -> DyingApp:
    return DyingApp()
