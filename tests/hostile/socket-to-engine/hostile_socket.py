"""Plants /run/sandbox/product.sock -> /var/run/docker.sock and waits: the harness must refuse to connect."""

from __future__ import annotations

import os
import time

SOCKET = os.environ.get("SANDBOX_SOCKET", "/run/sandbox/product.sock")

if __name__ == "__main__":
    if os.path.lexists(SOCKET):
        os.unlink(SOCKET)
    os.symlink("/var/run/docker.sock", SOCKET)
    print(f"planted {SOCKET} -> /var/run/docker.sock", flush=True)
    time.sleep(3600)
