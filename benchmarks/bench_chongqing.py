"""Benchmark: a full Chongqing certification of the reference product in-process.

Prints the wall time of the whole run (as `sandbox certify` does it, pytest start-up included), checked
examples per second for each requirement, and the harness overhead on one requirement (NAT-CREDIT-001)
against a bare Hypothesis loop that does the check's work (same explicit cases, same generated examples,
same seed) with the product's engine called in memory.

    .venv/bin/python benchmarks/bench_chongqing.py [--repeat N] [--against REV]

The overhead is printed twice, each time like for like:

* cold: NAT-CREDIT-001 as the first requirement of a fresh process (so it pays the one-time costs: contract
  validators compiled, the strategies' first draws, the product's first requests) against the bare loop's
  first call in a fresh process, ``--cold`` alternating pairs of subprocesses;
* steady state: the check and the bare loop run alternately in one process, ``--pairs`` pairs.

(The figure printed before compared the full runs' NAT-CREDIT-001, cold in the first run, with a warm bare loop:
one-time costs counted on one side only.)

``--against REV`` also certifies with the harness of an earlier commit (a temporary git worktree, the same
interpreter and packages), ``--repeat`` times in the same run, and prints both throughputs and the ratio of
their medians, with the range over every pairing of a run now with a run then.

Each overhead is the median of its per-pair ratios, with a distribution-free interval for that median (order
statistics of the binomial(n, ½) sign test), so a figure near its target says whether the target is met beyond
the machine's noise.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "products" / "rural-microloan"))


def full_run() -> tuple[float, dict]:
    from harness.api import certify

    started = time.perf_counter()
    doc = certify(ROOT / "products/rural-microloan", "chongqing")
    return time.perf_counter() - started, doc


def bare_hypothesis(generated: int, seed: int) -> float:
    """The same work as the NAT-CREDIT-001 check, without the harness: the same explicit cases (the risk grid on
    every edge of every LPR period) and the same number of generated examples from the same strategies,
    Hypothesis settings and seed, each application decided by the product's engine in memory and its APR
    compared with the cap. No contract client, no HTTP, no schema checks, no pytest item, no Allure."""
    from datetime import date
    from decimal import Decimal

    from hypothesis import given, settings
    from hypothesis import seed as hseed
    from hypothesis import strategies as st
    from rural_microloan.engine import CreditEngine

    from harness.checks.context import hypothesis_profile
    from harness.checks.credit_rules import AprCap, rate_change_days, rate_on
    from harness.contracts.base import to_json
    from harness.profiles import load_profile
    from harness.strategies.credit import contract_dates, mixed_applications, risk_grid

    engine = CreditEngine()
    profile = load_profile("chongqing")
    p = AprCap.model_validate(profile.requirement("NAT-CREDIT-001").parameters)
    edges = rate_change_days(p.lpr_1y, p.valid_until)
    dates = st.one_of(st.sampled_from(edges), contract_dates(min(e.effective for e in p.lpr_1y), p.valid_until))
    settings_profile = settings.get_profile(hypothesis_profile(profile))

    def check(apps: list[dict]) -> None:
        for app in apps:
            decision = engine.decide(to_json(app))
            if decision["outcome"] != "declined":
                assert Decimal(decision["apr"]) <= p.multiple * rate_on(p.lpr_1y, date.fromisoformat(
                    app["contract_date"]))

    @hseed(seed)
    @settings(settings_profile, max_examples=generated)
    @given(apps=st.lists(mixed_applications(dates=dates), min_size=1, max_size=1))
    def loop(apps: list[dict]) -> None:
        check(apps)

    started = time.perf_counter()
    grid = risk_grid()
    for day in edges:
        check([{**app, "contract_date": day.isoformat()} for app in grid])
    loop()
    return time.perf_counter() - started


def steady_overhead(pairs: int) -> tuple[float, float, list[float], list[float]]:
    """NAT-CREDIT-001 through the harness (a run session, the check called as the plugin calls it) and the bare
    loop, alternately, ``pairs`` times: median seconds of each, the per-pair ratios, and the per-pair ratios
    with the product's own serving code taken out of the harness's time.

    The product's serving code is what its WSGI app does around the engine (JSON parsing and encoding, its
    input validation, routing): time spent in ``CreditApp.__call__`` minus the time in ``CreditEngine.decide``.
    The bare loop calls the engine directly, so that time counts as overhead in the first ratio although no
    line of the harness runs in it; the second ratio is the harness's own share."""
    from rural_microloan.api import CreditApp
    from rural_microloan.engine import CreditEngine

    from harness.checks.registry import get_check
    from harness.session import CertificationRun

    spent = {"app": 0.0, "engine": 0.0}

    def timed(name: str, func: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
        return wrapper

    app_call, engine_decide = CreditApp.__call__, CreditEngine.decide
    run = CertificationRun.prepare("chongqing", str(ROOT / "products/rural-microloan"), "inprocess")
    req = run.profile.requirement("NAT-CREDIT-001")
    spec = get_check(req.check)
    harness, own, bare = [], [], []
    try:
        for _ in range(pairs):
            ctx = run.context(req)
            spent.update(app=0.0, engine=0.0)
            CreditApp.__call__, CreditEngine.decide = timed("app", app_call), timed("engine", engine_decide)
            try:
                started = time.perf_counter()
                spec.func(ctx, run.params[req.id])
                harness.append(time.perf_counter() - started)
            finally:
                CreditApp.__call__, CreditEngine.decide = app_call, engine_decide
            own.append(harness[-1] - (spent["app"] - spent["engine"]))
            bare.append(bare_hypothesis(ctx.examples - len(explicit_days()), run.seed))
    finally:
        run.close()
    return (statistics.median(harness), statistics.median(bare),
            [h / b for h, b in zip(harness, bare, strict=True)], [h / b for h, b in zip(own, bare, strict=True)])


COLD_ONE = """
import sys, time
sys.path[:0] = [{root!r}, {root!r} + "/benchmarks", {root!r} + "/products/rural-microloan"]
import bench_chongqing as b
print("COLD", b.cold_one({which!r}, {generated}))
"""


def cold_one(which: str, generated: int) -> float:
    """Seconds of NAT-CREDIT-001's work done first in this process: the check through a fresh run (``harness``)
    or the bare loop with ``generated`` examples (``bare``). Imports and the run's start-up are done before the
    clock starts."""
    from harness.checks.registry import get_check
    from harness.session import CertificationRun

    run = CertificationRun.prepare("chongqing", str(ROOT / "products/rural-microloan"), "inprocess")
    try:
        req = run.profile.requirement("NAT-CREDIT-001")
        if which == "bare":
            return bare_hypothesis(generated, run.seed)
        ctx = run.context(req)
        started = time.perf_counter()
        get_check(req.check).func(ctx, run.params[req.id])
        return time.perf_counter() - started
    finally:
        run.close()


def cold_overhead(pairs: int, generated: int) -> tuple[float, float, list[float]]:
    """``pairs`` alternating pairs of fresh processes, one running the check first, one the bare loop: median
    seconds of each and the per-pair ratios."""
    harness, bare = [], []
    for _ in range(pairs):
        for which, into in (("harness", harness), ("bare", bare)):
            out = subprocess.run([sys.executable, "-c", COLD_ONE.format(root=str(ROOT), which=which,
                                                                             generated=generated)], cwd=ROOT,
                                 check=True, capture_output=True, text=True).stdout
            into.append(float(out.rsplit("COLD ", 1)[1]))
    return statistics.median(harness), statistics.median(bare), [h / b for h, b in zip(harness, bare, strict=True)]


def median_interval(values: list[float], confidence: float = 0.95) -> tuple[float, float, float, float]:
    """The median of ``values`` and a distribution-free interval for it: the j-th smallest and j-th largest
    value, j the largest rank whose binomial(n, ½) tail stays within (1 − confidence) / 2 on each side.
    Returns (median, low, high, the interval's exact coverage)."""
    from scipy.stats import binom

    xs, n = sorted(values), len(values)
    j = 1
    while binom.cdf(j, n, 0.5) <= (1 - confidence) / 2:
        j += 1
    coverage = 1 - 2 * float(binom.cdf(j - 1, n, 0.5))
    return statistics.median(xs), xs[j - 1], xs[n - j], coverage


def explicit_days() -> list[Any]:
    from harness.checks.credit_rules import AprCap, rate_change_days
    from harness.profiles import load_profile

    p = AprCap.model_validate(load_profile("chongqing").requirement("NAT-CREDIT-001").parameters)
    return rate_change_days(p.lpr_1y, p.valid_until)


def throughput(doc: dict[str, Any]) -> tuple[int, float]:
    """Checked examples and seconds over the credit contract's requirements, NAT-CREDIT-010 (a fairness sample
    of thousands of applicants, counted one per applicant) left out."""
    rows = [r for r in doc["requirements"] if r["examples"] and r["id"] != "NAT-CREDIT-010"]
    return sum(r["examples"] for r in rows), sum(r["duration_s"] for r in rows)


OLD_RUN = """
import json, sys
sys.path[:0] = [{root!r}, {root!r} + "/products/rural-microloan"]
from harness.api import certify
doc = certify({root!r} + "/products/rural-microloan", "chongqing")
print("\\nBENCH-JSON " + json.dumps({{"requirements": doc["requirements"], "wall": None}}))
"""


def run_at(rev: str) -> dict[str, Any]:
    """A Chongqing certification by the harness of commit ``rev``, in a subprocess from a git worktree."""
    with tempfile.TemporaryDirectory(prefix="bench-old-") as tmp:
        tree = str(Path(tmp) / "tree")
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", tree, rev], check=True,
                       capture_output=True)
        try:
            started = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", OLD_RUN.format(root=tree)], cwd=tree, check=True,
                                 capture_output=True, text=True).stdout
            doc: dict[str, Any] = json.loads(out.rsplit("BENCH-JSON ", 1)[1])
            doc["wall"] = time.perf_counter() - started
            return doc
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", tree], capture_output=True)


def main() -> None:

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", metavar="REV", help="also run the harness of this commit and compare")
    parser.add_argument("--pairs", type=int, default=41, help="alternating pairs of the steady-state overhead")
    parser.add_argument("--cold", type=int, default=15, help="alternating pairs of fresh processes for the cold "
                        "overhead (0: not measured)")
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
    examples, seconds = throughput(doc)
    print(f"  credit contract, all requirements but NAT-CREDIT-010: {examples} examples in {seconds:.2f} s → "
          f"{examples / seconds:.0f} checked examples/s")
    if args.against:
        olds = [throughput(run_at(args.against)) for _ in range(args.repeat)]
        then = [e / t for e, t in olds]
        now = [e / t for e, t in (throughput(d) for d in docs)]
        print(f"  the harness at {args.against}, same run: {olds[-1][0]} examples, median "
              f"{statistics.median(then):.0f} checked examples/s over {args.repeat} runs "
              f"({min(then):.0f}–{max(then):.0f}); now median {statistics.median(now):.0f} "
              f"({min(now):.0f}–{max(now):.0f})")
        print(f"  throughput ratio now / {args.against}: {statistics.median(now) / statistics.median(then):.2f}× "
              f"(medians; {min(now) / max(then):.2f}–{max(now) / min(then):.2f}× over every pairing of runs)")
    apr = next(r for r in doc["requirements"] if r["id"] == "NAT-CREDIT-001")
    full = [r["duration_s"] for d in docs for r in d["requirements"] if r["id"] == apr["id"]]
    print(f"  NAT-CREDIT-001 in the full runs: {apr['examples']} examples, median {statistics.median(full):.3f} s "
          f"(the first run pays the one-time costs: see cold below)")
    if args.cold:
        cold, cold_bare, ratios = cold_overhead(args.cold, apr["examples"] - len(explicit_days()))
        mid, low, high, coverage = median_interval(ratios)
        print(f"  NAT-CREDIT-001 cold, first in a fresh process ({args.cold} alternating pairs): harness {cold:.3f} s "
              f"vs bare Hypothesis + in-memory engine {cold_bare:.3f} s → overhead {100 * (mid - 1):.1f} % "
              f"({100 * coverage:.1f} % interval {100 * (low - 1):.1f}–{100 * (high - 1):.1f} %)")
    steady, steady_bare, ratios, owns = steady_overhead(args.pairs)
    mid, low, high, coverage = median_interval(ratios)
    print(f"  NAT-CREDIT-001 in steady state ({args.pairs} alternating pairs): harness {steady:.3f} s vs bare "
          f"{steady_bare:.3f} s → overhead {100 * (mid - 1):.1f} % (median of per-pair ratios; "
          f"{100 * coverage:.1f} % interval {100 * (low - 1):.1f}–{100 * (high - 1):.1f} %)")
    mid, low, high, coverage = median_interval(owns)
    print(f"  of which the harness's own (the product's serving code around its engine, JSON and its input "
          f"validation, taken out): {100 * (mid - 1):.1f} % ({100 * coverage:.1f} % interval "
          f"{100 * (low - 1):.1f}–{100 * (high - 1):.1f} %)")

if __name__ == "__main__":
    main()
