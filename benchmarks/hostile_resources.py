"""Harness peak memory and wall time against a flooding product (prints them; issue 11, bounded resources).

    .venv/bin/python benchmarks/hostile_resources.py [--profile national] [--only NAT-RES-003 ...]

tests/hostile/flood answers every booking listing with a 100 MB body, writes 300 MB to stdout at every start
and tries to write 300 MB to /data. Each certification runs in a child process (``harness.api.certify``, runner
docker), so its peak resident set is the harness's own (``ru_maxrss`` of the child), beside the same
selection on the reference product. The harness reads at most ``container_limits.max_response_kb`` of a body
and keeps ``log_tail_kb`` of the log, so both peaks stay in the same few hundred MB. Needs a running engine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RES = ["NAT-RES-001", "NAT-RES-002", "NAT-RES-003", "NAT-RES-004"]
CHILD = """
import json, resource, sys, time
from harness.api import certify
started = time.perf_counter()
doc = certify(sys.argv[1], sys.argv[2], runner="docker", only=sys.argv[3:])
wall = time.perf_counter() - started
statuses = {r["id"]: [r["status"], r["message"][:100]] for r in doc["requirements"] if r["id"] in sys.argv[3:]}
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "wall_s": wall,
                  "verdict": doc["verdict"], "statuses": statuses}))
"""


def certify(product: str, profile: str, only: list[str]) -> dict[str, Any]:
    """One certification in a fresh child process: its peak RSS (the harness's own), wall time and statuses."""
    done = subprocess.run([sys.executable, "-c", CHILD, product, profile, *only], cwd=ROOT, capture_output=True,
                          text=True, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise SystemExit(f"the certification of {product} crashed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="national")
    parser.add_argument("--only", nargs="*", default=RES)
    args = parser.parse_args()
    for label, product in (("reference (rural-microloan)", "products/rural-microloan"),
                           ("hostile flood (100 MB bodies, 300 MB logs)", "tests/hostile/flood")):
        figures = certify(product, args.profile, args.only)
        print(f"{label}:")
        print(f"  harness peak RSS {figures['peak_mb']:7.1f} MB   wall time {figures['wall_s']:6.1f} s   "
              f"verdict {figures['verdict']}")
        for req, (status, message) in figures["statuses"].items():
            print(f"    {req}: {status}  {message}")


if __name__ == "__main__":
    main()
