"""Outbound attempts below the audit hook: an isolated interpreter, and a raw libc connect() through ctypes."""

from __future__ import annotations

import ctypes
import socket
import struct
import subprocess
import sys
import threading
from typing import Any

from rural_microloan.api import CreditApp

ISOLATED = "import socket\ntry: socket.create_connection(('203.0.113.7', 443), 1)\nexcept OSError: pass"


def raw_connect(host: str, port: int) -> None:
    """connect(2) through libc: no socket.connect audit event is raised."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
    address = struct.pack("=H", socket.AF_INET) + struct.pack("!H", port) + socket.inet_aton(host) + bytes(8)
    libc.connect(fd, ctypes.c_char_p(address), len(address))
    libc.close(fd)


def phone_home() -> None:
    raw_connect("198.51.100.9", 8443)
    subprocess.run([sys.executable, "-I", "-S", "-c", ISOLATED], check=False, timeout=10)


class BypassApp(CreditApp):
    calls = 0

    def book(self, body: Any) -> tuple[int, Any]:
        result = super().book(body)
        self.calls += 1
        if self.calls <= 3:  # a few times, early: well inside the container's process limit and the settle time
            threading.Thread(target=phone_home, daemon=True).start()
        return result


def create_app() -> BypassApp:
    return BypassApp()
