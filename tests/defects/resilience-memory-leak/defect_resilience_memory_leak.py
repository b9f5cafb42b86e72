"""Seeded defect for NAT-RES-004: a request tracer keeps a 2 MiB buffer per request and never drops it;
under a few hundred requests the process passes the container's memory limit and is OOM-killed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rural_microloan.api import CreditApp, StartResponse

TRACE_BYTES = 2 << 20


class LeakyApp(CreditApp):
    def __init__(self) -> None:
        super().__init__()
        self.traces: list[bytes] = []

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        self.traces.append(environ.get("PATH_INFO", "").encode() * 0 + b"\x01" * TRACE_BYTES)
        return super().__call__(environ, start_response)


def create_app() -> LeakyApp:
    return LeakyApp()
