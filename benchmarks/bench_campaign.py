"""Campaign wall time with 1 and 2 workers over every product and profile present (prints the figures).

    .venv/bin/python benchmarks/bench_campaign.py [--profiles …] [--products …]

Each pair is its own `sandbox certify` process, so the speed-up is bounded by the cores and by the
longest single pair. Results (matrix, bundles) are written under results/bench-campaign-<workers>/.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from harness.campaign import plan, run_campaign
from harness.errors import HarnessError
from harness.profiles import available_profiles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", nargs="+", default=None)
    parser.add_argument("--products", nargs="+", default=None)
    args = parser.parse_args()
    profiles = args.profiles or available_profiles()
    products = args.products or sorted(str(p.parent) for p in Path("products").glob("*/product.yaml"))
    pairs, left_out = plan(products, profiles)
    print(f"{len(pairs)} pair(s) over {len(products)} product(s) × {len(profiles)} profile(s) "
          f"({len(left_out)} not applicable: missing capabilities); {os.cpu_count()} cores")
    timings = {}
    for workers in (1, 2):
        started = time.perf_counter()
        doc = run_campaign(products, profiles, Path(f"results/bench-campaign-{workers}"), workers=workers)
        timings[workers] = time.perf_counter() - started
        verdicts = ", ".join(f"{e.product_id}×{e.profile_id}={e.verdict}" for e in doc.pairs)
        print(f"workers={workers}: wall {timings[workers]:.1f} s; sum of pair times "
              f"{sum(e.seconds for e in doc.pairs):.1f} s; {verdicts}")
    print(f"speed-up 1→2 workers: {timings[1] / timings[2]:.2f}×")


if __name__ == "__main__":
    try:
        main()
    except HarnessError as exc:
        raise SystemExit(f"bench_campaign: error: {exc}") from None
