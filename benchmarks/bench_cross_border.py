"""Figures for the cross-border capability (printed, never asserted):

* sanctions-screening recall and false-positive rate of the reference product over the Guangzhou test list,
  with the counts behind them and recall by variant kind (the product is reached through its contract);
* wall time of the Guangzhou certification of the reference product in-process.

Run: .venv/bin/python benchmarks/bench_cross_border.py [--seed N]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import httpx

from harness.api import certify
from harness.contracts.cross_border import CrossBorderClient
from harness.manifests import load_manifest
from harness.profiles import load_profile
from harness.runners.inprocess import InProcessRunner
from harness.strategies.cross_border import name_variants, non_list_names

PRODUCT = "products/xborder-payments"


def screening(seed: int) -> None:
    profile = load_profile("guangzhou")
    p = profile.requirement("GZ-XB-009").parameters
    entries = p["test_list"]
    runner = InProcessRunner()
    runner.start(load_manifest(PRODUCT), profile)
    try:
        client = CrossBorderClient(httpx.Client(transport=runner.transport(), base_url="http://product"))
        client.load_list("bench", [{"entry_id": e["entry_id"], "name": e["name"]} for e in entries])
        variants = name_variants(entries, p["variants_per_entry"], seed)
        tried: Counter[str] = Counter()
        caught: Counter[str] = Counter()
        for v in variants:
            result = client.screen(v["name"])
            tried[v["kind"]] += 1
            caught[v["kind"]] += int(result["hit"] and result["entry_id"] == v["entry_id"])
        clean = non_list_names(entries, p["non_list_names"], seed)
        flagged = sum(int(client.screen(name)["hit"]) for name in clean)
    finally:
        runner.stop()
    hits = sum(caught.values())
    print(f"screening recall          {hits / len(variants):.4f}  ({hits}/{len(variants)} variants of "
          f"{len(entries)} list names; minimum {p['min_recall']})")
    print("  by kind                 " + ", ".join(f"{k} {caught[k]}/{tried[k]}" for k in tried))
    print(f"screening false positives {flagged / len(clean):.4f}  ({flagged}/{len(clean)} names on no list; "
          f"maximum {p['max_false_positive_rate']})")


def certification_time(seed: int) -> None:
    start = time.perf_counter()
    doc = certify(PRODUCT, "guangzhou", seed=seed)
    elapsed = time.perf_counter() - start
    ran = [r for r in doc["requirements"] if r["status"] != "skipped"]
    print(f"guangzhou certification   {elapsed:.1f} s in-process, verdict {doc['verdict']}, "
          f"{len(ran)} requirements evaluated ({len(doc['requirements']) - len(ran)} skipped: not cross-border)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=load_profile("guangzhou").hypothesis.seed)
    args = parser.parse_args()
    screening(args.seed)
    certification_time(args.seed)


if __name__ == "__main__":
    main()
