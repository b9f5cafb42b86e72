"""Seeded defect for NAT-RES-003: after every booking a background thread reports usage to the vendor's
analytics host, swallowing every error, so the product works (and looks fine) without a network."""

from __future__ import annotations

import socket
import threading
from typing import Any

from rural_microloan.api import CreditApp

TELEMETRY = ("telemetry.vendor-analytics.example", 443)


def report_usage(event: str) -> None:
    try:
        with socket.create_connection(TELEMETRY, timeout=2) as conn:
            conn.sendall(f"usage {event}\n".encode())
    except OSError:
        pass  # no network: try again next time


class PhoneHomeApp(CreditApp):
    def book(self, body: Any) -> tuple[int, Any]:
        result = super().book(body)
        threading.Thread(target=report_usage, args=("booking",), daemon=True).start()
        return result


def create_app() -> PhoneHomeApp:
    return PhoneHomeApp()
