"""Host side of egress detection: records of outbound attempts that no code in the container can erase.

:class:`EgressChannel` is a datagram socket the harness binds in a folder mounted read-only into the
container; the egress probe (egress_probe.py, an audit hook in the product's interpreter) sends each attempt
there, and a harness thread receives it at once. The product can neither delete the socket (read-only mount)
nor take back a datagram already received, and the harness keeps a bounded number of records.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from pathlib import Path
from typing import Any

MAX_RECORDS = 1000
MAX_DATAGRAM = 4096


class EgressChannel:
    """Receives the probe's datagrams on ``folder/name`` until :meth:`close`."""

    def __init__(self, folder: Path, name: str = "egress.sock") -> None:
        self.path = folder / name
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind(str(self.path))
        os.chmod(self.path, 0o666)  # the container's user sends; the mount is read-only, so it cannot unlink
        self._sock.settimeout(0.2)
        self.records: list[dict[str, Any]] = []
        self.dropped = 0
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._receive, daemon=True, name="sandbox-egress")
        self._thread.start()

    def _receive(self) -> None:
        while not self._closed.is_set():
            try:
                data = self._sock.recv(MAX_DATAGRAM)
            except TimeoutError:
                continue
            except OSError:
                return
            self.add(_parse(data))

    def add(self, record: dict[str, Any]) -> None:
        with self._lock:
            if len(self.records) < MAX_RECORDS:
                self.records.append(record)
            else:
                self.dropped += 1

    def attempts(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.records)

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError):
            self._sock.close()
        self._thread.join(timeout=2)


def _parse(data: bytes) -> dict[str, Any]:
    try:
        record = json.loads(data.decode("utf-8", "replace"))
    except json.JSONDecodeError:
        return {"event": "unparsable probe record", "target": data[:200].decode("utf-8", "replace")}
    if not isinstance(record, dict):
        return {"event": "unparsable probe record", "target": repr(record)[:200]}
    return {str(k)[:40]: (v if isinstance(v, int | float | str | list) else repr(v))
            for k, v in list(record.items())[:8]} | {"source": "probe"}
