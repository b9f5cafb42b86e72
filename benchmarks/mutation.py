"""Mutation analysis: how many small defects in a reference product's decision modules does certification catch?

Each mutant is one small change to one decision module, made by benchmarks/mutants.py. Every mutant is
certified in-process, in its own process, on a copy of the product folder, under the product's profile with
the requirements that can be evaluated in-process (container-only resilience requirements are skipped):

    killed     a selected requirement failed
    crashed    none failed but one was broken (the product crashed at start): counted as killed, shown apart
    timeout    the run exceeded --timeout: counted as killed, listed
    survived   every selected requirement passed
    invalid    the mutant does not compile or its module does not import: not counted
    equivalent a survivor reviewed in benchmarks/mutation_equivalent.yaml: score = killed / (mutants - equivalent)

``--runner docker`` certifies each mutant in a container instead, with only those container-only requirements
(a kill -9 and a restart on the product's data volume: the journal replay of a booking store is reached by
nothing else); each mutant's image is built from its own copy and removed after the run. ``--runner both
--report-only`` then reports the two cached runs as one: a mutant killed in either is killed (its in-process
result is needed; a container result counts where one was run, e.g. only for the modules with restart code).

Results are cached in results/mutation-cache/ by (product folder content hash, mutant id, harness digest, run
options), so a rerun only certifies what changed.

    .venv/bin/python benchmarks/mutation.py --products rural-microloan --workers 2
    .venv/bin/python benchmarks/mutation.py --products xborder-payments --sample 20 --seed 1
    .venv/bin/python benchmarks/mutation.py --changed            # only decision modules changed vs origin/main
    .venv/bin/python benchmarks/mutation.py --list               # enumerate mutants, run nothing
    .venv/bin/python benchmarks/mutation.py --products rural-microloan --files bookings.py --runner docker
    .venv/bin/python benchmarks/mutation.py --products rural-microloan --runner both --report-only
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from mutants import Mutant, apply, mutants_of
from mutation_report import MODES, merged, report

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "results" / "mutation-cache"
SEED = 20201
AS_OF = datetime.now(UTC).date()  # default --as-of: a product's own clock (a model card's trained_at) is "now"
CONTAINER_ONLY = ("NAT-RES-", "BC-LEDGER-005")  # need kill -9 / a restart on the same data volume

# product → (profile, decision modules relative to the product folder)
PRODUCTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "rural-microloan": ("chongqing", tuple(f"rural_microloan/{m}.py" for m in
                                           ("engine", "policy", "scorecard", "bookings"))),
    "xborder-payments": ("guangzhou", tuple(f"xborder_payments/{m}.py" for m in
                                            ("fx", "compliance", "screening", "validation"))),
    # hangzhou, not the self-test ledger-fast: only the real profile has the ledger's conformance requirement
    # (BC-IFACE-001), the one that sees a changed status code
    "chain-ledger": ("hangzhou", tuple(f"chain_ledger/{m}.py" for m in ("ledger", "crypto", "store"))),
    "receivables-platform": ("shanghai", ("receivables_platform/platform.py",)),
    "ai-credit-model": ("beijing", ("ai_credit_model/model.py",)),
    # the adapter (the token itself is Vyper, compiled and committed in evm_token/token.json, not mutated here),
    # under Hangzhou on budgets a Python EVM affords and without its throughput SHOULDs (tests/profiles/)
    "evm-token": (str(ROOT / "tests" / "profiles" / "evm-mutation.yaml"), ("evm_token/chain.py",)),
}


# -- selection, cache ----------------------------------------------------------------------------------------

def requirements_for(product: str, runner: str = "inprocess") -> list[str]:
    """In-process: every requirement of the product's capabilities but the container-only ones; docker:
    only those (the others are the in-process run's)."""
    from harness.manifests import load_manifest
    from harness.profiles import load_profile

    capabilities = set(load_manifest(ROOT / "products" / product).capabilities)
    profile = load_profile(PRODUCTS[product][0])
    return [r.id for r in profile.requirements
            if r.capability in capabilities and r.id.startswith(CONTAINER_ONLY) == (runner == "docker")]


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def changed_files() -> set[str]:
    """Paths (relative to the repository) changed vs the merge base with origin/main, else vs HEAD~1; the
    working tree's uncommitted changes included."""
    base = _git("merge-base", "HEAD", "origin/main") or _git("rev-parse", "HEAD~1")
    names = _git("diff", "--name-only", base) if base else ""
    return {n for n in names.splitlines() if n}


def harness_digest() -> str:
    """The content of everything a certification reads besides the mutated product: harness/ (checks,
    contracts, runners), sandbox_profiles/, tests/profiles/ (a product may be certified under a self-test
    profile), schemas/, every product folder (a product's ``sources`` may name another's) and pyproject.toml
    (the pinned packages). Content, not the commit: a commit that changes none of
    these (a benchmark, a test, a note) keeps every cached result."""
    h = hashlib.sha256()
    for top in ("harness", "sandbox_profiles", "tests/profiles", "schemas", "products", "pyproject.toml"):
        base = ROOT / top
        for path in sorted([base] if base.is_file() else base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def product_digest(product: str) -> str:
    h = hashlib.sha256()
    folder = ROOT / "products" / product
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def _carried(m: Mutant, key: str, hkey: str, earlier: str) -> dict[str, Any] | None:
    """The result of ``m`` under the ``earlier`` harness digest, written into the current cache, if it was
    killed there (``--survivors-of``); ``None`` if it survived or was never run."""
    old = cache_path(m, key_under(key, hkey, earlier))
    if not old.is_file():
        return None
    result: dict[str, Any] = json.loads(old.read_text(encoding="utf-8"))
    if result["outcome"] not in ("killed", "crashed", "timeout"):
        return None
    result["carried_from"] = earlier
    cache_path(m, key).write_text(json.dumps(result), encoding="utf-8")
    return result


def key_under(key: str, hkey: str, earlier: str) -> str:
    """The cache key ``key`` (made under harness digest ``hkey``) as the run under digest ``earlier`` made it."""
    return key.replace(f"|{hkey}|", f"|{earlier}|", 1)


def cache_path(m: Mutant, key: str) -> Path:
    name = hashlib.sha256(f"{key}|{m.id}|{m.replacement}".encode()).hexdigest()[:24]
    return CACHE / m.product / f"{name}.json"


# -- running one mutant (in a child process) -----------------------------------------------------------------

def product_copy(source: Path, dest: Path) -> Path:
    """As tests/conftest.py's product_copy: relative ``sources`` made absolute so the copy still finds them."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__"))
    manifest = yaml.safe_load((dest / "product.yaml").read_text(encoding="utf-8"))
    manifest["sources"] = [str((source / s).resolve()) if s != "." else "." for s in manifest.get("sources", ["."])]
    (dest / "product.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return dest


def run_one(spec: dict[str, Any]) -> dict[str, Any]:
    """Certify one mutant; the result dict (outcome, statuses, seconds). Runs inside a child process."""
    m = Mutant(**spec["mutant"])
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        folder = product_copy(ROOT / "products" / m.product, Path(tmp) / m.product)
        target = folder / m.file
        original = target.read_text(encoding="utf-8")
        mutated = original if spec.get("baseline") else apply(original, m)
        try:
            compile(mutated, str(target), "exec")
        except SyntaxError as exc:
            return {"outcome": "invalid", "detail": f"compile: {exc}", "statuses": {}, "seconds": 0.0}
        target.write_text(mutated, encoding="utf-8")
        module = m.file[:-3].replace("/", ".")
        # on the product's import path: its folder and every `sources` folder (receivables-platform imports
        # chain_ledger from ../chain-ledger)
        manifest = yaml.safe_load((folder / "product.yaml").read_text(encoding="utf-8"))
        path = [str((folder / src).resolve()) for src in manifest.get("sources", ["."])]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([*path, *filter(None, [os.environ.get("PYTHONPATH")])])}
        probe = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=folder, capture_output=True,
                               text=True, check=False, timeout=60, env=env)
        if probe.returncode != 0:
            last = (probe.stderr.strip().splitlines() or ["?"])[-1]
            return {"outcome": "invalid", "detail": f"import: {last}", "statuses": {}, "seconds": 0.0}
        from harness.api import certify, selected

        runner = spec.get("runner", "inprocess")
        doc = certify(folder, PRODUCTS[m.product][0], only=spec["requirements"], seed=SEED,
                      as_of=date.fromisoformat(spec["as_of"]), runner=runner,
                      out=Path(tmp) / "out", extra_args=spec.get("extra_args", ()))
        if runner == "docker" and not spec.get("baseline"):
            remove_image(doc)
        statuses = selected(doc)
    values = set(statuses.values())
    outcome = "killed" if "failed" in values else "crashed" if "broken" in values else "survived"
    return {"outcome": outcome, "statuses": statuses, "seconds": round(time.perf_counter() - started, 1)}


def remove_image(doc: dict[str, Any]) -> None:
    """The mutant's image (tagged by its own context digest, so never reused): removed, not left to pile up."""
    import docker

    image = (doc.get("runner") or {}).get("image") or {}
    if not image.get("id"):
        return
    with contextlib.suppress(docker.errors.DockerException):  # best effort: a leftover costs disk, not a result
        docker.from_env().images.remove(image["id"], force=True)


def child_main(spec_file: str) -> None:
    spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
    try:
        result = run_one(spec)
    except Exception as exc:  # the harness itself gave up: recorded, never counted as killed
        result = {"outcome": "error", "detail": f"{type(exc).__name__}: {exc}", "statuses": {}, "seconds": 0.0}
    sys.stdout.flush()
    Path(spec["result"]).write_text(json.dumps(result), encoding="utf-8")


def run_in_process(m: Mutant, requirements: list[str], timeout: float, extra_args: list[str], as_of: date,
                   baseline: bool = False, runner: str = "inprocess") -> dict[str, Any]:
    """Run one mutant (``baseline``: the unmutated product) in its own Python process (certify runs pytest
    in-process); kill it on timeout."""
    with tempfile.TemporaryDirectory(prefix="mutation-spec-") as tmp:
        spec_file, result_file = Path(tmp) / "spec.json", Path(tmp) / "result.json"
        spec_file.write_text(json.dumps({"mutant": asdict(m), "requirements": requirements,
                                         "result": str(result_file), "extra_args": extra_args,
                                         "as_of": as_of.isoformat(), "baseline": baseline,
                                         "runner": runner}), encoding="utf-8")
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", str(spec_file)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the child's own session: only what this run started
            proc.communicate()
            return {"outcome": "timeout", "statuses": {}, "seconds": round(time.perf_counter() - started, 1)}
        if result_file.is_file():
            result: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
            return result
        tail = (err or "").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return {"outcome": "error", "detail": tail[0], "statuses": {}, "seconds": 0.0}


def baseline_passes(plan: list[Mutant], todo: list[int], requirements: dict[str, list[str]],
                    args: argparse.Namespace, extra_args: list[str]) -> bool:
    """Certify every product unmutated first: a requirement the reference already fails would "kill" every
    mutant and report a meaningless score (a model card dated after the as-of date did exactly that)."""
    ok = True
    for product in sorted({plan[i].product for i in todo}):
        first = next(plan[i] for i in todo if plan[i].product == product)
        result = run_in_process(first, requirements[product], args.timeout, extra_args, args.as_of, baseline=True,
                                runner=args.runner)
        bad = {k: v for k, v in result["statuses"].items() if v in ("failed", "broken")}
        if result["outcome"] in ("timeout", "error", "invalid") or bad:
            print(f"baseline: unmutated {product} does not pass under {PRODUCTS[product][0]} as of {args.as_of} "
                  f"({result['outcome']}; {bad or result.get('detail', '')}); no score is meaningful until it does",
                  flush=True)
            ok = False
        else:
            print(f"baseline: unmutated {product} passes its {len(result['statuses'])} requirements "
                  f"({result['seconds']} s)", flush=True)
    return ok


# -- main ----------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", nargs="*", default=list(PRODUCTS), choices=list(PRODUCTS))
    parser.add_argument("--files", nargs="*", default=None,
                        help="limit to these decision modules (path relative to the product or the repository)")
    parser.add_argument("--changed", action="store_true", help="only decision modules changed vs origin/main")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per mutant (then: killed-by-timeout); default 120, 600 with --runner docker")
    parser.add_argument("--runner", choices=("inprocess", "docker", "both"), default="inprocess",
                        help="docker: each mutant in a container, with only the container-only requirements; "
                             "both (with --report-only): a mutant killed by either cached run is killed")
    parser.add_argument("--limit", type=int, default=None, help="only the first N mutants (after --sample)")
    parser.add_argument("--sample", type=int, default=None, help="a deterministic sample of K mutants per product")
    parser.add_argument("--seed", type=int, default=0, help="seed of --sample")
    parser.add_argument("--first-failure", action="store_true",
                        help="stop a mutant's certification at its first failed requirement (faster; the "
                             "per-requirement table then counts only the first killer)")
    parser.add_argument("--list", action="store_true", help="print the mutants and exit")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--report-only", action="store_true", help="certify nothing: report the cached mutants")
    parser.add_argument("--harness-key", default=None,
                        help="use this harness digest instead of the current one (report a run made before "
                             "harness/ changed; the digest is printed at the start of every run)")
    parser.add_argument("--survivors-of", metavar="DIGEST", default=None,
                        help="after a change that only adds assertions (a strengthened check): certify again only "
                             "the mutants that survived under that harness digest, and carry every other result "
                             "over (a mutant a weaker harness killed, a stronger one kills)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=AS_OF,
                        help="the runs' as-of date (default today, UTC: the products' own clocks say now)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runner == "both" and not args.report_only:
        parser.error("--runner both only reports what was cached: run --runner inprocess and --runner docker "
                     "first, then add --report-only")
    if args.child:
        child_main(args.child)
        return 0

    changed = changed_files() if args.changed else None
    extra_args = ["-x"] if args.first_failure else []
    hkey = args.harness_key or harness_digest()
    plan: list[Mutant] = []
    requirements: dict[str, list[str]] = {}
    for product in args.products:
        folder = ROOT / "products" / product
        mine: list[Mutant] = []
        for rel in PRODUCTS[product][1]:
            repo_rel = f"products/{product}/{rel}"
            if args.files is not None and not {rel, repo_rel, Path(rel).name} & set(args.files):
                continue
            if changed is not None and repo_rel not in changed:
                continue
            mine += mutants_of(product, rel, (folder / rel).read_text(encoding="utf-8"))
        if args.sample is not None and args.sample < len(mine):
            picked = set(random.Random(f"{args.seed}:{product}").sample(range(len(mine)), args.sample))
            mine = [m for i, m in enumerate(mine) if i in picked]
        if args.limit is not None:
            mine = mine[:args.limit]
        if mine:
            requirements[product] = [r for mode in MODES[args.runner] for r in requirements_for(product, mode)]
            if not requirements[product]:
                print(f"{product}: no requirement of its profile needs --runner {args.runner}; skipped")
                del requirements[product]
                mine = []
        plan += mine
    if args.list:
        for m in plan:
            print(f"{m.product}/{m.file}:{m.line}:{m.col}  {m.kind:12} {m.change}")
        print(f"{len(plan)} mutants")
        return 0

    as_of = args.as_of
    if args.timeout is None:
        args.timeout = 600.0 if args.runner == "docker" else 120.0
    keys = {mode: {p: f"{product_digest(p)}|{hkey}|{SEED}|{as_of}|{','.join(requirements_for(p, mode))}|"
                      f"{extra_args}" + ("|docker" if mode == "docker" else "") for p in requirements}
            for mode in MODES[args.runner]}
    if args.survivors_of and plan and not any(
            cache_path(m, key_under(keys[args.runner][m.product], hkey, args.survivors_of)).is_file()
            for m in plan):
        parser.error(f"--survivors-of {args.survivors_of}: no mutant of this plan has a result under that harness "
                     "digest with these options (the digest is printed at the start of every run; --first-failure "
                     "and --as-of must be those of that run)")
    results: dict[int, dict[str, Any]] = {}
    todo: list[int] = []
    for i, m in enumerate(plan):
        paths = [cache_path(m, keys[mode][m.product]) for mode in MODES[args.runner]]
        if args.runner == "both":  # the in-process result is needed; a container result adds to it where run
            paths = paths[:1] + [path for path in paths[1:] if path.is_file()]
        if not args.no_cache and all(path.is_file() for path in paths):
            results[i] = merged([json.loads(path.read_text(encoding="utf-8")) for path in paths])
        elif args.survivors_of and (carried := _carried(m, keys[args.runner][m.product], hkey, args.survivors_of)):
            results[i] = carried
        elif not args.report_only:
            todo.append(i)
    print(f"{len(plan)} mutants ({len(results)} cached, {len(todo)} to run) with {args.workers} "
          f"worker(s); harness digest {hkey}", flush=True)
    if args.report_only and len(results) < len(plan):
        print(f"report only: {len(plan) - len(results)} mutant(s) have no cached result under these options "
              f"(the cache key holds --first-failure, --as-of {as_of}, the product and the harness digest: give "
              "the options of the run that certified them); they are left out of the tables", flush=True)
    started = time.perf_counter()
    if todo and not baseline_passes(plan, todo, requirements, args, extra_args):
        return 2
    with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
        futures = {pool.submit(run_in_process, plan[i], requirements[plan[i].product], args.timeout, extra_args,
                               as_of, runner=args.runner): i for i in todo}
        for n, future in enumerate(as_completed(futures), 1):
            i = futures[future]
            m, result = plan[i], future.result()
            results[i] = result
            if result["outcome"] != "error":
                path = cache_path(m, keys[args.runner][m.product])
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps({**result, "mutant": m.id}), encoding="utf-8")
            bad = ",".join(k for k, v in result["statuses"].items() if v in ("failed", "broken")) or "-"
            print(f"[{n}/{len(todo)}] {result['outcome']:8} {m.product}/{m.file}:{m.line} {m.change}  "
                  f"caught by {bad} ({result['seconds']} s)", flush=True)
    report([(plan[i], results[i]) for i in range(len(plan)) if i in results], requirements)
    print(f"\nwall time {time.perf_counter() - started:.0f} s for {len(todo)} certified mutants")
    return 0


if __name__ == "__main__":
    sys.exit(main())
