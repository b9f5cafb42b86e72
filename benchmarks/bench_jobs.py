"""Parallel requirements: one certification in one process against ``--jobs N``, in one run.

    .venv/bin/python benchmarks/bench_jobs.py [--pairs rural-microloan:chongqing …] [--jobs 2] [--repeat 1]
                                              [--runner inprocess|docker]

For each (product, profile) pair: the wall time of ``certify`` without jobs and with ``--jobs N``, their ratio,
and whether the two documents are the same (timestamps, durations, start-up, the jobs count and measured
timing statistics aside; in containers also the run's own ID and the network keeper named after it). With
``--runner docker`` one process checks every requirement on one container, ``--jobs N`` on N lanes of a
container each (harness/jobs.py). The figure is a ratio of two runs on the same machine at the same time; its absolute
seconds depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ["rural-microloan:chongqing", "xborder-payments:guangzhou", "chain-ledger:hangzhou"]
TIMED = ("BC-LEDGER-008", "HZ-LEDGER-001")  # they measure throughput and latency: their figures vary by run


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    doc = {k: v for k, v in doc.items() if k not in ("started_at", "finished_at")}
    doc["runner"] = {k: v for k, v in doc["runner"].items() if k not in ("startup_s", "jobs", "run_id")}
    if "network" in doc["runner"]:
        doc["runner"]["network"] = {k: v for k, v in doc["runner"]["network"].items() if k != "namespace"}
    doc["requirements"] = [{k: v for k, v in r.items() if k != "duration_s"
                            and not (k == "statistics" and r["id"] in TIMED)} for r in doc["requirements"]]
    return doc


def main() -> int:
    from harness.api import certify

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", nargs="*", default=PAIRS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--runner", choices=["inprocess", "docker"], default="inprocess")
    args = parser.parse_args()
    print(f"runner: {args.runner}")
    print(f"{'pair':34} {'one process':>12} {'--jobs ' + str(args.jobs):>10} {'ratio':>7}  same document")
    for pair in args.pairs:
        product, profile = pair.split(":")
        times: dict[str, list[float]] = {"one": [], "jobs": []}
        docs: dict[str, dict[str, Any]] = {}
        for _ in range(args.repeat):
            for key, jobs in (("one", None), ("jobs", args.jobs)):
                began = time.perf_counter()
                docs[key] = certify(ROOT / "products" / product, profile, as_of=date(2026, 12, 1), jobs=jobs,
                               runner=args.runner)
                times[key].append(time.perf_counter() - began)
        one, par = min(times["one"]), min(times["jobs"])
        same = comparable(docs["one"]) == comparable(docs["jobs"])
        print(f"{pair:34} {one:11.1f}s {par:9.1f}s {one / par:6.2f}×  {'yes' if same else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
