"""AI credit models under the Beijing profile: figures for the issue's closing note.

Prints (1) the per-group fairness table of the reference model on the HMDA hold-out rows, with the
confidence bounds the check decides on; (2) the wall time of the Beijing certification of the reference
model in-process; (3) verdict stability: the reference (all AI requirements) and every seeded defect (its
own requirement) under N different seeds, and how many verdicts flipped.
Run: ``.venv/bin/python benchmarks/bench_ai.py`` (``--seeds 3`` for a quicker look).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_ai_model import AI_REQUIREMENTS, DEFECTS  # noqa: E402

from harness.api import certify, statuses  # noqa: E402
from harness.checks.registry import get_check  # noqa: E402
from harness.session import CertificationRun  # noqa: E402

REFERENCE = "products/ai-credit-model"


def fairness_table(seed: int) -> dict[str, Any]:
    run = CertificationRun.prepare("beijing", REFERENCE, seed=seed)
    try:
        req = run.profile.requirement("BJ-AI-002")
        ctx = run.context(req)
        get_check(req.check).func(ctx, run.params[req.id])
        table: dict[str, Any] = ctx.evidence["fairness by group"]
        return table
    finally:
        run.close()


def print_table(table: dict[str, Any]) -> None:
    print(f"{'group':<14}{'n':>6}{'approval':>10}{'TPR':>8}{'FPR':>8}")
    for attribute, t in table.items():
        for group, row in t["by_group"].items():
            print(f"{group:<14}{int(row['count']):>6}{row['selection_rate']:>10.3f}"
                  f"{row['true_positive_rate']:>8.3f}{row['false_positive_rate']:>8.3f}")
        r, e = t["selection_rate_ratio"], t["equalized_odds_difference"]
        print(f"  {attribute}: selection-rate ratio {r['value']:.3f} ({r['confidence']} bounds {r['ci'][0]:.3f}–"
              f"{r['ci'][1]:.3f}, min {r['minimum']}); equalized-odds difference {e['value']:.3f} "
              f"({e['confidence']} bounds {e['ci'][0]:.3f}–{e['ci'][1]:.3f}, max {e['maximum']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    seeds = [20201 + 7919 * k for k in range(args.seeds)]

    print("== Per-group fairness of the reference model, HMDA hold-out rows (seed 20201)")
    print_table(fairness_table(20201))

    started = time.perf_counter()
    doc = certify(REFERENCE, "beijing")
    elapsed = time.perf_counter() - started
    ai = {k: v for k, v in statuses(doc).items() if k in AI_REQUIREMENTS}
    print(f"\n== Beijing certification of {REFERENCE}, in-process: {doc['verdict']} in {elapsed:.1f} s "
          f"({sum(v == 'passed' for v in ai.values())}/{len(ai)} AI requirements passed)")

    print(f"\n== Verdict stability over {len(seeds)} seeds")
    flips, runs = 0, 0
    outcomes = []
    for seed in seeds:
        got = statuses(certify(REFERENCE, "beijing", seed=seed, only=AI_REQUIREMENTS))
        outcomes.append(all(got[r] == "passed" for r in AI_REQUIREMENTS))
    bad = outcomes.count(False)
    print(f"reference (all {len(AI_REQUIREMENTS)} AI requirements passed): {outcomes.count(True)}/{len(seeds)}"
          f" seeds, flipped {bad}")
    flips, runs = flips + bad, runs + len(seeds)
    for defect, requirement, _ in DEFECTS:
        states = [statuses(certify(f"tests/defects/{defect}", "beijing", seed=seed, only=[requirement]))[requirement]
                  for seed in seeds]
        wrong = sum(s != "failed" for s in states)
        flips, runs = flips + wrong, runs + len(seeds)
        print(f"{defect:<22} {requirement}: failed in {len(seeds) - wrong}/{len(seeds)} seeds, flipped {wrong}")
    print(f"\nflipped verdicts: {flips} of {runs} runs")


if __name__ == "__main__":
    main()
