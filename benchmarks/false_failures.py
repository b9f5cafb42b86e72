"""False failures and detection of the sampled requirements (issue 10, item 5).

Certifies the reference products over N seeds, restricted to the requirements that decide on a sample,
and counts failures: each one is a false failure (the reference products are compliant). Then does the
same for one seeded defect per requirement: there every failure is a detection. Prints, per requirement,
the seeds, the failures and the observed rate with its Clopper–Pearson 95 % interval.

    .venv/bin/python benchmarks/false_failures.py [--seeds 50] [--extra] [--only NAT-,BJ-AI-00]

``--extra`` adds the ledger throughput (hangzhou) and sanctions-screening (guangzhou) requirements.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.api import certify, statuses  # noqa: E402
from harness.checks.statistics import proportion  # noqa: E402


@dataclass(frozen=True)
class Target:
    product: str
    profile: str
    requirements: tuple[str, ...]
    kind: str  # "reference": failures are false failures; "defect": failures are detections


AI = ("BJ-AI-002", "BJ-AI-004", "BJ-AI-005", "BJ-AI-007", "BJ-AI-008", "BJ-AI-009", "BJ-AI-010", "BJ-AI-011")
TARGETS = [
    Target("products/rural-microloan", "chongqing", ("NAT-CREDIT-010",), "reference"),
    Target("products/ai-credit-model", "beijing", AI, "reference"),
    Target("tests/defects/credit-county-penalty", "chongqing", ("NAT-CREDIT-010",), "defect"),
    Target("tests/defects/ai-disparate-impact", "beijing", ("BJ-AI-002",), "defect"),
    Target("tests/defects/ai-race-proxy", "beijing", ("BJ-AI-004",), "defect"),
    Target("tests/defects/ai-brittle", "beijing", ("BJ-AI-005",), "defect"),
    Target("tests/defects/ai-arbitrary-reasons", "beijing", ("BJ-AI-007",), "defect"),
    Target("tests/defects/ai-weak-model", "beijing", ("BJ-AI-008",), "defect"),
    Target("tests/defects/ai-miscalibrated", "beijing", ("BJ-AI-009",), "defect"),
    Target("tests/defects/ai-unstable", "beijing", ("BJ-AI-010", "BJ-AI-011"), "defect"),
]
EXTRA = [
    Target("products/chain-ledger", "hangzhou", ("BC-LEDGER-008", "HZ-LEDGER-001"), "reference"),
    Target("products/xborder-payments", "guangzhou", ("GZ-XB-009",), "reference"),
    Target("tests/defects/ledger-slow-commit", "hangzhou", ("BC-LEDGER-008", "HZ-LEDGER-001"), "defect"),
    Target("tests/defects/xb-screening-fixed-order", "guangzhou", ("GZ-XB-009",), "defect"),
    Target("tests/defects/xb-screening-no-initials", "guangzhou", ("GZ-XB-009",), "defect"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=50, help="seeds per product (default 50)")
    parser.add_argument("--extra", action="store_true", help="also the ledger and screening requirements")
    parser.add_argument("--only", default="", help="comma-separated requirement ID prefixes, e.g. BC-,HZ-")
    args = parser.parse_args()
    seeds = [20201 + 7919 * k for k in range(args.seeds)]
    targets = TARGETS + (EXTRA if args.extra else [])
    if args.only:
        prefixes = tuple(args.only.split(","))
        targets = [Target(t.product, t.profile, tuple(r for r in t.requirements if r.startswith(prefixes)), t.kind)
                   for t in targets]
        targets = [t for t in targets if t.requirements]
    failures: dict[tuple[str, str, str], int] = defaultdict(int)
    notes: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    started = time.perf_counter()
    for target in targets:
        t0 = time.perf_counter()
        for seed in seeds:
            doc = certify(ROOT / target.product, target.profile, only=list(target.requirements), seed=seed)
            got = statuses(doc)
            for req in target.requirements:
                key = (target.kind, req, Path(target.product).name)
                failures[key] += got[req] == "failed"
                if got[req] not in ("passed", "failed"):
                    notes[key].append(f"seed {seed}: {got[req]}")
                stats = next(r for r in doc["requirements"] if r["id"] == req)["statistics"] or {}
                if stats.get("stage") == 2:
                    notes[key].append("stage 2")
        print(f"  {target.product} ({', '.join(target.requirements)}): {len(seeds)} seeds in "
              f"{time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    for kind, title in (("reference", "False failures of the reference products (stated rate ≤ 1 %)"),
                        ("defect", "Detection of the seeded defects")):
        print(f"\n== {title}")
        print(f"{'requirement':<16}{'product':<24}{'seeds':>6}{'failures':>10}{'rate':>8}   95% CI (Clopper–Pearson)")
        for (k, req, product), count in sorted(failures.items()):
            if k != kind:
                continue
            lo, hi = proportion(count, len(seeds), 0.025)
            extra = notes[(k, req, product)]
            remark = f"   ({extra.count('stage 2')} runs needed stage 2)" if "stage 2" in extra else ""
            remark += "".join(f"   {n}" for n in extra if n != "stage 2")
            print(f"{req:<16}{product:<24}{len(seeds):>6}{count:>10}{count / len(seeds):>8.3f}   "
                  f"[{lo:.3f}, {hi:.3f}]{remark}")
    print(f"\n{len(seeds)} seeds (20201 + 7919·k), {time.perf_counter() - started:.0f} s in total")


if __name__ == "__main__":
    main()
