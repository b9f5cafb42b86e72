"""What runs left behind: containers and run folders whose owner process is gone.

``sandbox engine cleanup`` removes them after a harness was SIGKILLed; a ``--jobs`` run removes them when one of
its lane workers died (its container outlived it, owned by a process that no longer exists).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from harness.runners.docker import LABEL_DIR, LABEL_OWNER, LABEL_RUN, connect
from harness.runners.productfs import release_folder


def _alive(owner: str) -> bool:
    host, _, pid = owner.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's run: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(*, everything: bool = False) -> list[str]:
    """Remove harness containers whose owner process is gone (all of them with ``everything``), their
    run folders, and orphan run folders under /tmp; return what was removed."""
    client = connect()
    removed: list[str] = []
    for container in client.containers.list(all=True, filters={"label": LABEL_RUN}):
        if not everything and _alive(container.labels.get(LABEL_OWNER, "")):
            continue
        container.remove(force=True, v=True)
        removed.append(container.name)
        folder = container.labels.get(LABEL_DIR, "")
        if folder.startswith("/tmp/sbx-"):
            release_folder(Path(folder))  # unmounts its tmpfs folders first
    for folder in Path("/tmp").glob("sbx-*"):
        owner_file = folder / "owner"
        owner = owner_file.read_text().strip() if owner_file.is_file() else ""
        if owner and (everything or not _alive(owner)):
            release_folder(folder)
            removed.append(str(folder))
    return removed
