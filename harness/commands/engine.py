"""sandbox engine up|cleanup|status: provision the Docker engine and base image; remove what killed runs
left behind (containers labelled ``org.sandbox.run`` whose harness process is gone, and their folders)."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

HELP = "provision the Docker engine (up) or remove leftovers of killed runs (cleanup)"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "engine-up.sh"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("up", "cleanup", "status"),
                        help="up: install/start Docker and build the base image; cleanup: remove leftovers of killed "
                        "runs; status: list the harness's containers")
    parser.add_argument("--all", action="store_true",
                        help="cleanup: also remove containers of runs that are still going")


def run(args: argparse.Namespace) -> int:
    if args.action == "up":
        return up()
    if args.action == "cleanup":
        removed = cleanup(everything=args.all)
        print(f"removed {len(removed)} container(s) and folder(s) left by killed runs" +
              (f": {', '.join(removed)}" if removed else ""))
        return 0
    from harness.runners.docker import LABEL_RUN, connect

    client = connect()
    running = client.containers.list(all=True, filters={"label": LABEL_RUN})
    print(f"engine {client.version().get('Version')}: {len(running)} harness container(s)")
    for c in running:
        print(f"  {c.name} {c.status} owner={c.labels.get('org.sandbox.owner')}")
    return 0


def up() -> int:
    from harness.errors import RunnerError

    if not SCRIPT.is_file():
        raise RunnerError(f"{SCRIPT}: provisioning script missing (is this a source checkout?)")
    return subprocess.run(["bash", str(SCRIPT)], check=False).returncode


def cleanup(*, everything: bool = False) -> list[str]:
    """Remove harness containers whose owner process is gone (all of them with ``everything``), their run
    folders, and orphan run folders under /tmp; return what was removed (harness/runners/leftovers.py)."""
    from harness.runners.leftovers import remove_leftovers

    return remove_leftovers(everything=everything)
