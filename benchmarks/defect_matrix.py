"""Detection matrix: every seeded-defect product certified against the full profile it was built for.

For each defect it prints the requirements it was built to fail, the ones that actually failed (or broke),
the verdict and the wall time, so "each defect breaks exactly one rule, and is caught there" is a figure,
not a claim. Defects of container-only requirements run with --runner docker.

    .venv/bin/python benchmarks/defect_matrix.py [--only PREFIX] [--runner inprocess|docker]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE_BY_PREFIX = {"CQ": "chongqing", "NAT": "chongqing", "GZ": "guangzhou", "BJ": "beijing", "BC": "hangzhou",
                     "HZ": "hangzhou", "SH": "shanghai"}
CONTAINER_ONLY = ("NAT-RES-", "BC-LEDGER-005")  # need a restart on the same data volume


def profile_for(targets: list[str]) -> str:
    prefixes = {t.split("-", 1)[0] for t in targets}
    for prefix in ("SH", "GZ", "BJ", "HZ", "BC", "CQ", "NAT"):
        if prefix in prefixes:
            return PROFILE_BY_PREFIX[prefix]
    return "national"


def main() -> None:
    from harness.api import certify
    from harness.manifests import load_manifest

    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="defect folder prefix, e.g. credit-")
    parser.add_argument("--runner", default=None)
    args = parser.parse_args()
    exact = caught = total = 0
    for folder in sorted((ROOT / "tests" / "defects").glob(f"{args.only}*")):
        manifest = load_manifest(folder)
        if manifest.seeded_defect is None:
            continue
        targets = manifest.seeded_defect.requirements
        runner = args.runner or ("docker" if any(t.startswith(CONTAINER_ONLY) for t in targets) else "inprocess")
        profile = profile_for(targets)
        started = time.perf_counter()
        doc = certify(folder, profile, runner=runner)
        bad = sorted(r["id"] for r in doc["requirements"] if r["status"] in ("failed", "broken"))
        total += 1
        caught += set(targets) <= set(bad)
        exact += bad == sorted(targets)
        mark = "exact" if bad == sorted(targets) else "caught+" if set(targets) <= set(bad) else "MISSED"
        print(f"{folder.name:34} {profile:10} {runner:9} {doc['verdict']:24} {mark:8} targets={','.join(targets)} "
              f"failed={','.join(bad) or '-'} ({time.perf_counter() - started:.1f} s)")
    print(f"caught {caught}/{total} defects on their requirement; {exact}/{total} fail exactly that requirement")


if __name__ == "__main__":
    main()
