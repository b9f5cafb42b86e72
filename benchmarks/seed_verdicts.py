"""Verdicts of the reference products over many seeds: a compliant product must never get a finding.

    .venv/bin/python benchmarks/seed_verdicts.py [--seeds 50] [--workers 2] [--pairs rural-microloan:chongqing …]

Each reference product is certified in-process under its region's profile at seeds 1..N (one process per
run, ``--workers`` at a time). A run is *expected* when it is CERTIFIED, or INCOMPLETE only because
container-only MUSTs were not evaluated in-process (nothing failed or broke; every not-evaluated
requirement says ``--runner docker``). Anything else is printed with the requirement and message: a false
finding, a harness error, or a requirement the harness cannot evaluate for that product.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ["rural-microloan:chongqing", "xborder-payments:guangzhou", "ai-credit-model:beijing",
         "chain-ledger:hangzhou", "receivables-platform:shanghai", "evm-token:hangzhou"]


def classify(doc: dict[str, Any]) -> tuple[str, list[str]]:
    """('expected' | 'unexpected', the requirements that made it so)."""
    odd = [f"{r['id']} {r['status']}: {r['message'][:90]}" for r in doc["requirements"]
           if r["status"] in ("failed", "broken", "waived")
           or (r["status"] == "not_evaluated" and "--runner docker" not in r["message"])]
    if doc["verdict"] in ("CERTIFIED", "INCOMPLETE") and not odd:
        return "expected", []
    return "unexpected", odd


def one(pair: str, seed: int) -> tuple[str, int, str, str, list[str], float]:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from harness.api import certify

    product, profile = pair.split(":")
    began = time.perf_counter()
    doc = certify(ROOT / "products" / product, profile, seed=seed)
    kind, odd = classify(doc)
    return pair, seed, doc["verdict"], kind, odd, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pairs", nargs="+", default=PAIRS, metavar="PRODUCT:PROFILE")
    args = parser.parse_args()
    began = time.perf_counter()
    rows: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    odd_runs: list[str] = []
    with ProcessPoolExecutor(args.workers) as pool:
        jobs = [pool.submit(one, pair, seed) for pair in args.pairs for seed in range(1, args.seeds + 1)]
        for job in jobs:
            pair, seed, verdict, kind, odd, _ = job.result()
            rows[pair][f"{verdict}{'' if kind == 'expected' else ' (unexpected)'}"] += 1
            odd_runs += [f"{pair} seed {seed}: {line}" for line in odd]
    print(f"{'product:profile':34} {'seeds':>5}  verdicts")
    for pair in args.pairs:
        counts = ", ".join(f"{n} {v}" for v, n in sorted(rows[pair].items()))
        print(f"{pair:34} {sum(rows[pair].values()):>5}  {counts}")
    unexpected = sum(n for c in rows.values() for v, n in c.items() if "unexpected" in v)
    total = sum(sum(c.values()) for c in rows.values())
    print(f"runs other than CERTIFIED or container-only INCOMPLETE: {unexpected} of {total} "
          f"({time.perf_counter() - began:.0f} s, {args.workers} workers)")
    for line in odd_runs:
        print(f"  {line}")


if __name__ == "__main__":
    main()
