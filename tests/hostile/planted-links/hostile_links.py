"""Plants links to host paths where the harness looks: a link followed by the harness (root) reaches the host."""

from __future__ import annotations

import os
from pathlib import Path

from rural_microloan.api import CreditApp

VICTIM = "/tmp/sandbox-hostile-victim.txt"  # a host file the test creates, holding the tamper marker
SECRET = "/tmp/sandbox-hostile-secret.txt"  # a host file the test creates, holding a secret
LINKS = {"a-blocks.jsonl": VICTIM, "hostdir": "/tmp", "fifo-first": None}


def plant() -> None:
    data = Path(os.environ.get("SANDBOX_DATA_DIR", "/data"))
    for name, target in LINKS.items():
        path = data / name
        if path.is_symlink() or path.exists():
            continue
        if target is None:
            os.mkfifo(path)  # blocks any reader that opens it without O_NONBLOCK
        else:
            os.symlink(target, path)
    run = Path(os.environ.get("SANDBOX_SOCKET", "/run/sandbox/product.sock")).parent
    for name in ("egress.jsonl", "egress.sock"):
        if not os.path.lexists(run / name):
            os.symlink(SECRET, run / name)


def create_app() -> CreditApp:
    plant()
    return CreditApp()
