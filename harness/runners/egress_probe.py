"""Egress probe, mounted read-only into a product container as ``sitecustomize.py`` (it imports nothing
from the harness: it runs inside the product's interpreter).

The container has no network, so an outbound connection can only fail. This probe names the Python code
that tried: a CPython audit hook (PEP 578, which product code cannot remove) records every name lookup of a
remote host and every connect/sendto to a non-local address, as one JSON datagram to a socket the harness
bound in a folder mounted read-only: a harness thread receives it at once, so nothing in the container can
erase it later. Attempts below the hook (another language, ``python -I``, libc through ctypes) are recorded
from the host by harness/runners/netwatch.py, which watches the network namespace itself.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
import traceback
from typing import Any

CHANNEL = os.environ.get("SANDBOX_EGRESS_SOCKET", "/run/sandbox-egress/egress.sock")
LOCAL_NAMES = {None, "", "localhost", "127.0.0.1", "::1", "0.0.0.0", "::"}
_busy = threading.local()
_new_socket, _UNIX, _DGRAM, _DONTWAIT = socket.socket, socket.AF_UNIX, socket.SOCK_DGRAM, socket.MSG_DONTWAIT


def _local(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) and address else address
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    return host in LOCAL_NAMES or (isinstance(host, str) and host.startswith("127."))


def _record(event: str, target: Any) -> None:
    frames = traceback.extract_stack(limit=8)[:-2]
    where = [f"{f.filename}:{f.lineno} {f.name}" for f in frames if "egress_probe" not in f.filename
             and "sitecustomize" not in f.filename][-4:]
    line = json.dumps({"time": time.time(), "event": event, "target": repr(target)[:300], "stack": where})
    out = _new_socket(_UNIX, _DGRAM)  # taken at start-up: a product patching socket later changes nothing here
    try:
        out.sendto(line.encode()[:4000], _DONTWAIT, CHANNEL)
    finally:
        out.close()


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not event.startswith("socket.") or getattr(_busy, "on", False):
        return
    _busy.on = True
    try:
        if event in ("socket.connect", "socket.sendto", "socket.sendmsg") and len(args) >= 2:
            sock, address = args[0], args[1]
            if getattr(sock, "family", None) != socket.AF_UNIX and not _local(address):
                _record(event, address)
        elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex") and args \
                and not _local(args[0]):
            _record(event, args[0])
    except Exception:  # the probe must never break the product
        pass
    finally:
        _busy.on = False


sys.addaudithook(_hook)
