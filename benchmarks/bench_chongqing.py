"""Benchmark: a full Chongqing certification of the reference product in-process.

Prints the wall time of the whole run (as `sandbox certify` does it, pytest start-up included), checked
examples per second for each requirement, and the harness overhead on one requirement (NAT-CREDIT-001)
against a bare Hypothesis loop that generates the same examples and calls the product's engine directly.

    .venv/bin/python benchmarks/bench_chongqing.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "products" / "rural-microloan"))


def full_run() -> tuple[float, dict]:
    from harness.api import certify

    started = time.perf_counter()
    doc = certify(ROOT / "products/rural-microloan", "chongqing")
    return time.perf_counter() - started, doc


def bare_hypothesis(max_examples: int, seed: int) -> float:
    """Same strategy, same Hypothesis settings, budget and seed, the engine called in memory: no contract
    client, no HTTP, no schema checks, no pytest item, no Allure."""
    from hypothesis import given, settings
    from hypothesis import seed as hseed
    from rural_microloan.engine import CreditEngine

    from harness.checks.context import hypothesis_profile
    from harness.profiles import load_profile
    from harness.strategies.credit import contract_dates, mixed_applications

    engine = CreditEngine()
    strategy = mixed_applications(dates=contract_dates())
    profile = settings.get_profile(hypothesis_profile(load_profile("chongqing")))

    @hseed(seed)
    @settings(profile, max_examples=max_examples)
    @given(app=strategy)
    def loop(app: dict) -> None:
        engine.decide(app)

    started = time.perf_counter()
    loop()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    walls, docs = [], []
    for _ in range(args.repeat):
        wall, doc = full_run()
        walls.append(wall)
        docs.append(doc)
    doc = docs[-1]
    print(f"Chongqing certification, reference product, in-process: verdict {doc['verdict']}")
    print(f"  wall time: median {statistics.median(walls):.2f} s over {args.repeat} runs "
          f"(min {min(walls):.2f}, max {max(walls):.2f})")
    print(f"  {'requirement':16} {'examples':>8} {'seconds':>8} {'examples/s':>10}")
    for r in doc["requirements"]:
        if r["examples"]:
            print(f"  {r['id']:16} {r['examples']:8d} {r['duration_s']:8.2f} {r['examples'] / r['duration_s']:10.0f}")
    apr = next(r for r in doc["requirements"] if r["id"] == "NAT-CREDIT-001")
    bare = statistics.median(bare_hypothesis(apr["examples"], doc["seed"]) for _ in range(max(args.repeat, 5)))
    harness = statistics.median(next(r for r in d["requirements"] if r["id"] == "NAT-CREDIT-001")["duration_s"]
                                for d in docs)
    print(f"  NAT-CREDIT-001: harness {harness:.3f} s vs bare Hypothesis + in-memory engine {bare:.3f} s "
          f"for {apr['examples']} examples → overhead {100 * (harness / bare - 1):.0f} %")


if __name__ == "__main__":
    main()
