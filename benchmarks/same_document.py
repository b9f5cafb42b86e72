"""Reproducibility scan: every seeded-defect product certified twice in one process with the same seed and
as-of date, on its seeded requirements; prints which documents differ and where.

    .venv/bin/python benchmarks/same_document.py [--runner inprocess|docker] [--only NAME …] [--seed 7]

Two runs of one seed must give one document (timestamps, durations, start-up and the run's own ID aside).
A difference is either the harness's (state kept across runs in a process, randomness not drawn from the
seed) or the product's own (its clock, its threads, its randomness); the first difference of each requirement
is printed so a reader can tell which. Defects without an in-process app are skipped in-process; container
runs need the engine (``scripts/engine-up.sh``).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ("chongqing", "guangzhou", "hangzhou", "shanghai", "beijing", "national")


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    doc = {k: v for k, v in doc.items() if k not in ("started_at", "finished_at")}
    doc["runner"] = {k: v for k, v in doc["runner"].items() if k not in ("startup_s", "run_id", "network")}
    doc["requirements"] = [{k: v for k, v in r.items() if k != "duration_s"} for r in doc["requirements"]]
    return doc


def first_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    left, right = json.dumps(a, sort_keys=True), json.dumps(b, sort_keys=True)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, left, right, autojunk=False).get_opcodes():
        if tag != "equal":
            return f"{left[max(0, i1 - 60):i2 + 20]!r} vs {right[max(0, j1 - 60):j2 + 20]!r}"
    return ""


def profile_for(requirements: list[str]) -> str | None:
    from harness.profiles import load_profile

    for name in PROFILES:
        ids = {r.id for r in load_profile(name).requirements}
        if set(requirements) <= ids:
            return name
    return None


def main() -> int:
    from harness.api import certify
    from harness.errors import HarnessError
    from harness.manifests import load_manifest

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runner", choices=["inprocess", "docker"], default="inprocess")
    parser.add_argument("--only", nargs="*", default=None, help="defect folder names (default: all)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    folders = sorted(p.parent for p in (ROOT / "tests" / "defects").glob("*/product.yaml"))
    if args.only:
        folders = [f for f in folders if f.name in args.only]
    same = differ = 0
    for folder in folders:
        try:
            manifest = load_manifest(folder)
        except HarnessError as exc:
            print(f"skip {folder.name}: {exc}")
            continue
        if manifest.seeded_defect is None or (args.runner == "inprocess" and manifest.inprocess is None):
            continue
        reqs = list(manifest.seeded_defect.requirements)
        profile = profile_for(reqs)
        if profile is None:
            print(f"skip {folder.name}: no profile holds {reqs}")
            continue
        docs = [comparable(certify(folder, profile, only=reqs, seed=args.seed, as_of=date(2026, 12, 1),
                                   runner=args.runner)) for _ in range(2)]
        if docs[0] == docs[1]:
            same += 1
            print(f"same     {folder.name} ({profile})", flush=True)
            continue
        differ += 1
        print(f"DIFFERS  {folder.name} ({profile})", flush=True)
        for a, b in zip(docs[0]["requirements"], docs[1]["requirements"], strict=True):
            if a != b:
                print(f"         {a['id']}: {first_difference(a, b)[:300]}")
        if docs[0]["runner"] != docs[1]["runner"]:
            print(f"         runner: {first_difference(docs[0]['runner'], docs[1]['runner'])[:300]}")
    print(f"{differ} of {same + differ} documents differ between two runs of one seed ({args.runner})")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
