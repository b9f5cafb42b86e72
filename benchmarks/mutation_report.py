"""The report of benchmarks/mutation.py: per product and file, per requirement, the survivors; the
reviewed-equivalent list (benchmarks/mutation_equivalent.yaml); results of several runners merged."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml
from mutants import Mutant

EQUIVALENT = Path(__file__).resolve().parent / "mutation_equivalent.yaml"

# -- the equivalent-mutant list and the report ---------------------------------------------------------------

MODES = {"inprocess": ("inprocess",), "docker": ("docker",), "both": ("inprocess", "docker")}
RANK = ("killed", "crashed", "timeout", "survived")  # of two runs' outcomes, the first in this order counts


def merged(results: list[dict[str, Any]]) -> dict[str, Any]:
    """One mutant's results from several runners as one: killed when any run killed it, the statuses of all."""
    if len(results) == 1:
        return results[0]
    outcomes = [r["outcome"] for r in results]
    bad = next((o for o in outcomes if o not in RANK), None)  # invalid or error: not counted, whatever else ran
    outcome = bad or min(outcomes, key=RANK.index)
    return {"outcome": outcome, "statuses": {k: v for r in results for k, v in r["statuses"].items()},
            "seconds": round(sum(r["seconds"] for r in results), 1)}


def load_equivalent() -> list[dict[str, Any]]:
    if not EQUIVALENT.is_file():
        return []
    entries = yaml.safe_load(EQUIVALENT.read_text(encoding="utf-8")) or []
    for e in entries:
        missing = {"product", "file", "line", "mutation", "reason"} - set(e)
        if missing:
            raise SystemExit(f"{EQUIVALENT}: entry {e} lacks {sorted(missing)}")
    return list(entries)


def is_equivalent(m: Mutant, entries: list[dict[str, Any]]) -> bool:
    return any(e["product"] == m.product and e["file"] == m.file and int(e["line"]) == m.line
               and e["mutation"] == m.change and int(e.get("col", m.col)) == m.col for e in entries)


def report(results: list[tuple[Mutant, dict[str, Any]]], requirements: dict[str, list[str]]) -> None:
    entries = load_equivalent()
    counted = [(m, r) for m, r in results if r["outcome"] not in ("invalid", "error")]
    print("\n== per product (killed = failed + crashed + timeout; score = killed / (mutants - equivalent))")
    print(f"{'product':22} {'mutants':>7} {'killed':>6} {'failed':>6} {'crashed':>7} {'timeout':>7} "
          f"{'survived':>8} {'equiv':>5} {'invalid':>7} {'error':>5} {'score':>7}")
    for product in sorted({m.product for m, _ in results}):
        mine = [(m, r) for m, r in counted if m.product == product]
        c = Counter(r["outcome"] for _, r in mine)
        allc = Counter(r["outcome"] for m, r in results if m.product == product)
        killed = c["killed"] + c["crashed"] + c["timeout"]
        equivalent = sum(1 for m, r in mine if r["outcome"] == "survived" and is_equivalent(m, entries))
        denominator = len(mine) - equivalent
        score = f"{100 * killed / denominator:.1f} %" if denominator else "-"
        print(f"{product:22} {len(mine):7} {killed:6} {c['killed']:6} {c['crashed']:7} {c['timeout']:7} "
              f"{c['survived']:8} {equivalent:5} {allc['invalid']:7} {allc['error']:5} {score:>7}")
        for f in sorted({m.file for m, _ in mine}):
            fm = [(m, r) for m, r in mine if m.file == f]
            fk = sum(1 for _, r in fm if r["outcome"] in ("killed", "crashed", "timeout"))
            fe = sum(1 for m, r in fm if r["outcome"] == "survived" and is_equivalent(m, entries))
            fs = f"{100 * fk / (len(fm) - fe):.1f} %" if len(fm) > fe else "-"
            print(f"  {f:38} mutants {len(fm):4}  killed {fk:4}  survived {len(fm) - fk:4}  equiv {fe:3}  {fs}")
    print("\n== per requirement (mutants = evaluated on; killed = this requirement failed or broke; a mutant can be"
          " killed by several; survived = mutants nothing caught; equiv = of those, reviewed equivalent)")
    print(f"{'product':22} {'requirement':16} {'mutants':>7} {'killed':>6} {'failed':>6} {'broken':>6} "
          f"{'survived':>8} {'equiv':>5}")
    for product in sorted({m.product for m, _ in results}):
        mine = [(m, r) for m, r in counted if m.product == product]
        survivors = [m for m, r in mine if r["outcome"] == "survived"]
        equivalent = sum(1 for m in survivors if is_equivalent(m, entries))
        per: dict[str, Counter[str]] = defaultdict(Counter)
        for _, r in mine:
            for rid, status in r["statuses"].items():
                per[rid]["evaluated"] += status in ("passed", "failed", "broken")
                per[rid][status] += 1
        for rid in requirements.get(product, []):
            c = per[rid]
            print(f"{product:22} {rid:16} {c['evaluated']:7} {c['failed'] + c['broken']:6} {c['failed']:6} "
                  f"{c['broken']:6} {len(survivors):8} {equivalent:5}")
    timeouts = [(m, r) for m, r in results if r["outcome"] == "timeout"]
    if timeouts:
        print("\n== timeouts (counted as killed)")
        for m, r in timeouts:
            print(f"  {m.product}/{m.file}:{m.line}  {m.change}  ({r['seconds']} s)")
    odd = [(m, r) for m, r in results if r["outcome"] in ("invalid", "error")]
    if odd:
        print("\n== invalid / error (not counted)")
        for m, r in odd:
            print(f"  {r['outcome']:8} {m.product}/{m.file}:{m.line}  {m.change}  {r.get('detail', '')[:100]}")
    print("\n== survivors (E = reviewed equivalent in benchmarks/mutation_equivalent.yaml; selected = the"
          " requirements certified, 'all' = every in-process requirement listed above for the product)")
    for m, r in sorted(counted, key=lambda x: (x[0].product, x[0].file, x[0].line, x[0].col)):
        if r["outcome"] == "survived":
            mark = "E" if is_equivalent(m, entries) else " "
            chosen = sorted(r["statuses"])
            shown = "all" if chosen == sorted(requirements.get(m.product, [])) else ",".join(chosen)
            print(f"  {mark} {m.product}/{m.file}:{m.line}:{m.col}  {m.change}   [{m.kind}] -> {m.replacement[:70]}"
                  f"   selected: {shown}")
