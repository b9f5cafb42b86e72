"""Floods the harness: huge response bodies, a torrent of stdout and a data folder filled past any size."""

from __future__ import annotations

import os
import sys
import threading
from functools import cache
from pathlib import Path
from typing import Any

from flood_sizes import BODY_MB, DATA_MB, LOG_MB
from rural_microloan.api import CreditApp

MB = 2**20
LOGGED = threading.Event()  # the whole log flood is out before any listing is answered


@cache
def huge_body() -> bytes:
    return b'{"bookings": [], "padding": "' + b"x" * (BODY_MB * MB) + b'"}'


def flood_log() -> None:
    line = "flood " + "y" * 1017 + "\n"  # 1 KiB lines
    for _ in range(LOG_MB * 1024):
        sys.stdout.write(line)
    print(f"flood done: {LOG_MB} MiB written", flush=True)
    LOGGED.set()


def fill_data() -> None:
    block = b"z" * MB
    path = Path(os.environ.get("SANDBOX_DATA_DIR", "/data")) / "fill.bin"
    written = 0
    try:
        with open(path, "wb") as out:
            for _ in range(DATA_MB):
                out.write(block)
                written += 1
    except OSError as exc:
        print(f"fill stopped after {written} MiB: {exc}", flush=True)
    path.unlink(missing_ok=True)  # leave room for the bookings


class FloodApp(CreditApp):
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ["REQUEST_METHOD"] == "GET" and environ.get("PATH_INFO") == "/v1/bookings":
            LOGGED.wait(600)
            body = huge_body()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return super().__call__(environ, start_response)


def create_app() -> FloodApp:
    fill_data()
    threading.Thread(target=flood_log, daemon=True).start()
    return FloodApp()
