"""Leftovers after many container runs: certify the reference product N times under --runner docker,
interrupting some runs with SIGINT and killing some harness processes with SIGKILL mid-run, then count
what the harness left behind (containers labelled org.sandbox.run) before and after `sandbox engine cleanup`.

    .venv/bin/python benchmarks/leftovers.py [--runs 20]
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SANDBOX = [sys.executable, "-m", "harness.cli"]


def leftovers() -> int:
    out = subprocess.run(["docker", "ps", "-aq", "--filter", "label=org.sandbox.run"], capture_output=True,
                         text=True, check=True).stdout
    return len(out.split())


def one_run(kind: str, out: Path) -> str:
    cmd = [*SANDBOX, "certify", "products/rural-microloan", "--profile", "tests/profiles/quick.yaml", "--runner",
           "docker", "--out", str(out)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kind != "complete":
        time.sleep(4.0)  # inside the run: the container is up and requirements are being checked
        proc.send_signal(signal.SIGINT if kind == "sigint" else signal.SIGKILL)
    return f"{kind}:{proc.wait(timeout=300)}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    kinds = ["complete", "sigint", "complete", "sigkill"]
    before = leftovers()
    outcomes = []
    with tempfile.TemporaryDirectory() as folder:
        for i in range(args.runs):
            outcomes.append(one_run(kinds[i % len(kinds)], Path(folder) / f"run{i}"))
    after_runs = leftovers()
    subprocess.run([*SANDBOX, "engine", "cleanup"], cwd=ROOT, check=True, capture_output=True)
    after_cleanup = leftovers()
    print(f"{args.runs} docker runs: " + ", ".join(outcomes))
    print(f"containers labelled org.sandbox.run: before {before}, after the runs {after_runs} "
          f"(left by SIGKILLed harnesses), after `sandbox engine cleanup` {after_cleanup}")


if __name__ == "__main__":
    main()
