"""Egress the product cannot hide or erase: every record is made, and kept, outside its container.

Two sources feed one :class:`EgressChannel`:

* the egress probe (egress_probe.py, an audit hook in the product's Python interpreter) sends each attempt as
  a datagram to a socket the harness bound in a folder mounted read-only: the product can neither delete the
  socket nor take back a datagram a harness thread already received;
* :class:`NetworkWatch` observes the product's network namespace from the host. The product container joins
  the namespace of a *keeper* container the harness starts first (only loopback, nothing of the product's
  running in it), so it outlives every restart of the product. There the harness (root) makes every IPv4
  address local (``ip route add local 0.0.0.0/0 dev lo``): an outbound connect is refused at once and a DNS
  query answered by an ICMP error, as unreachable as before but now a packet on ``lo``, and a harness thread
  holding a packet socket in the namespace records every outgoing TCP SYN, UDP datagram, DNS query and ping
  to a non-loopback address. The product has no capability (``cap_drop: ALL``), so it can neither change the
  route nor see or close that socket: whatever its language, a bypassed audit hook or a ``python -I``
  subprocess, the attempt is on record. IPv6 is disabled in the namespace (nothing leaves through it).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness.errors import RunnerError

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
KEEPER_IMAGE = os.environ.get("SANDBOX_BASE_IMAGE", "sandbox-base:bookworm")
_libc = ctypes.CDLL(None, use_errno=True)
MAX_RECORDS = 1000
MAX_DATAGRAM = 4096


def available() -> bool:
    """The host can observe a namespace: root, with nsenter and ip (iproute2)."""
    return os.geteuid() == 0 and bool(shutil.which("nsenter")) and bool(shutil.which("ip"))


def start_keeper(client: Any, name: str, labels: dict[str, str]) -> Any:
    """The container that holds the product's network namespace: no network, no capability, sleeping."""
    import docker.errors

    try:
        keeper = client.containers.run(
            KEEPER_IMAGE, ["sleep", "infinity"], name=name, labels=labels, detach=True, network_mode="none",
            read_only=True, cap_drop=["ALL"], security_opt=["no-new-privileges"], user="65534:65534",
            mem_limit="32m", pids_limit=8)
    except docker.errors.ImageNotFound:
        raise RunnerError(f"the keeper image {KEEPER_IMAGE} is not in the local engine; provision it with "
                          "`sandbox engine up`") from None
    keeper.reload()
    return keeper


class NetworkWatch:
    """Records outbound attempts in the namespace of process ``pid`` into ``sink`` until :meth:`close`."""

    def __init__(self, pid: int, sink: Callable[[dict[str, Any]], None]) -> None:
        self._path = f"/proc/{pid}/ns/net"
        self._sink = sink
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error = ""
        self.packets = 0
        done = subprocess.run(["nsenter", f"--net={self._path}", "ip", "route", "add", "local", "0.0.0.0/0",
                               "dev", "lo"], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RunnerError(f"could not prepare the product's network namespace: {done.stderr.strip()}")
        self._thread = threading.Thread(target=self._capture, daemon=True, name="sandbox-netwatch")
        self._thread.start()
        if not self._ready.wait(10) or self._error:
            self.close()
            raise RunnerError(f"could not observe the product's network namespace: {self._error or 'timed out'}")

    def _capture(self) -> None:
        try:
            fd = os.open(self._path, os.O_RDONLY | os.O_CLOEXEC)
            try:
                if _libc.setns(fd, CLONE_NEWNET) != 0:  # this thread only: the harness stays where it is
                    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
            finally:
                os.close(fd)
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            sock.bind(("lo", 0))
            sock.settimeout(0.2)
        except OSError as exc:
            self._error = str(exc)
            self._ready.set()
            return
        self._ready.set()
        with sock:
            while not self._stop.is_set():
                try:
                    frame, address = sock.recvfrom(2048)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if address[2] != PACKET_OUTGOING:  # loopback shows each packet twice
                    continue
                self.packets += 1
                record = parse(frame)
                if record is not None:
                    self._sink({"time": time.time(), **record, "source": "network"})

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(RuntimeError):
            self._thread.join(timeout=2)


def parse(frame: bytes) -> dict[str, str] | None:
    """An outbound attempt in a loopback frame (Ethernet header, IPv4), or None for local traffic."""
    ip = frame[14:]
    if len(ip) < 20 or ip[0] >> 4 != 4:
        return None
    header = (ip[0] & 0x0F) * 4
    proto, dst, payload = ip[9], socket.inet_ntoa(ip[16:20]), ip[header:]
    remote = not dst.startswith("127.")
    if proto == 6 and len(payload) >= 14:
        port, flags = int.from_bytes(payload[2:4], "big"), payload[13]
        if remote and flags & 0x02 and not flags & 0x10:  # SYN without ACK: a connect
            return {"event": "tcp connect", "target": f"{dst}:{port}"}
    elif proto == 17 and len(payload) >= 8:
        port = int.from_bytes(payload[2:4], "big")
        if port == 53:
            return {"event": "dns query", "target": dns_name(payload[8:]) or f"{dst}:53"}
        if remote:
            return {"event": "udp send", "target": f"{dst}:{port}"}
    elif proto == 1 and payload[:1] == b"\x08" and remote:
        return {"event": "ping", "target": dst}
    return None


def dns_name(message: bytes) -> str:
    """The first question's name of a DNS query ('' when it does not parse)."""
    labels: list[str] = []
    at = 12
    while at < len(message) and len(labels) < 64:
        size = message[at]
        if size == 0:
            return ".".join(labels)
        if size > 63:
            return ""
        labels.append(message[at + 1:at + 1 + size].decode("ascii", "replace"))
        at += 1 + size
    return ""


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
