"""Mutation analysis: how many small defects in a reference product's decision modules does certification catch?

Each mutant is one small change to one decision module (comparison flips, arithmetic swaps, constant tweaks,
``and``/``or``, a dropped ``not``, an element removed from a set or tuple literal), made by a small stdlib
``ast`` mutator that edits only the source span of the mutated node, so everything else in the file stays
byte for byte. Every mutant is certified in-process, in its own process, on a copy of the product folder,
under the product's profile with the requirements that can be evaluated in-process (container-only
resilience requirements are skipped):

    killed     a selected requirement failed
    crashed    none failed but one was broken (the product crashed at start): counted as killed, shown apart
    timeout    the run exceeded --timeout: counted as killed, listed
    survived   every selected requirement passed
    invalid    the mutant does not compile or its module does not import: not counted
    equivalent a survivor reviewed in benchmarks/mutation_equivalent.yaml: score = killed / (mutants - equivalent)

``--runner docker`` certifies each mutant in a container instead, with only those container-only requirements
(a kill -9 and a restart on the product's data volume: the journal replay of a booking store is reached by
nothing else); each mutant's image is built from its own copy and removed after the run. A mutant killed in
either mode is killed; the two tables add up by hand (the note says how).

Results are cached in results/mutation-cache/ by (product folder content hash, mutant id, harness digest, run
options), so a rerun only certifies what changed.

    .venv/bin/python benchmarks/mutation.py --products rural-microloan --workers 2
    .venv/bin/python benchmarks/mutation.py --products xborder-payments --sample 20 --seed 1
    .venv/bin/python benchmarks/mutation.py --changed            # only decision modules changed vs origin/main
    .venv/bin/python benchmarks/mutation.py --list               # enumerate mutants, run nothing
    .venv/bin/python benchmarks/mutation.py --products rural-microloan --files bookings.py --runner docker
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
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
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "results" / "mutation-cache"
EQUIVALENT = Path(__file__).resolve().parent / "mutation_equivalent.yaml"
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
}


# -- the mutator ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mutant:
    product: str
    file: str  # relative to the product folder
    line: int
    col: int
    end_line: int
    end_col: int
    kind: str  # compare, binop, augassign, number, decimal, bool, boolop, not, drop-element
    change: str  # human-readable "old -> new"
    replacement: str  # source text that replaces [line:col, end_line:end_col)

    @property
    def id(self) -> str:
        digest = hashlib.sha256(self.replacement.encode()).hexdigest()[:8]
        return f"{self.file}:{self.line}:{self.col}:{self.kind}:{digest}"


COMPARE_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
BINOP_SWAP: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
}
SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
          ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
          ast.Div: "/", ast.And: "and", ast.Or: "or"}
DECIMAL_NAMES = {"D", "Decimal"}


def _skipped_spans(tree: ast.AST) -> set[int]:
    """ids of nodes never mutated: annotations, docstrings, f-strings (their inner positions are unreliable)."""
    skip: set[int] = set()

    def under(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            under(node.returns)
            for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs, node.args.vararg,
                      node.args.kwarg]:
                if a is not None:
                    under(a.annotation)
        elif isinstance(node, ast.AnnAssign):
            under(node.annotation)
        elif isinstance(node, ast.JoinedStr):
            under(node)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                under(first)
    return skip


def _decimal_literal_args(tree: ast.AST) -> set[int]:
    """ids of the string constants that are the argument of ``Decimal("...")`` / ``D("...")``."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in DECIMAL_NAMES
                and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            found.add(id(node.args[0]))
    return found


def _last_digit_changed(text: str) -> str | None:
    for i in range(len(text) - 1, -1, -1):
        if text[i].isdigit():
            digit = int(text[i])
            return text[:i] + str(digit + 1 if digit < 9 else 8) + text[i + 1:]
    return None


def _variants(node: ast.AST, decimal_args: set[int]) -> Iterator[tuple[str, str, ast.AST]]:
    """(kind, change, mutated copy of node) for every mutation of this node itself."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            new_op = COMPARE_SWAP.get(type(op))
            if new_op is not None:
                new = copy.deepcopy(node)
                new.ops[i] = new_op()
                yield "compare", f"{SYMBOL[type(op)]} -> {SYMBOL[new_op]}", new
    elif isinstance(node, (ast.BinOp, ast.AugAssign)):
        new_bin = BINOP_SWAP.get(type(node.op))
        if new_bin is not None:
            arith = copy.deepcopy(node)
            arith.op = new_bin()
            suffix = "=" if isinstance(node, ast.AugAssign) else ""
            yield ("augassign" if suffix else "binop",
                   f"{SYMBOL[type(node.op)]}{suffix} -> {SYMBOL[new_bin]}{suffix}", arith)
    elif isinstance(node, ast.BoolOp):
        logic = copy.deepcopy(node)
        logic.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield "boolop", f"{SYMBOL[type(node.op)]} -> {SYMBOL[type(logic.op)]}", logic
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not", "not x -> x", copy.deepcopy(node.operand)
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield "bool", f"{value} -> {not value}", ast.Constant(not value)
        elif isinstance(value, int):
            for new_value in dict.fromkeys((value + 1, value - 1)):
                yield "number", f"{value} -> {new_value}", ast.Constant(new_value)
        elif isinstance(value, float):
            yield "number", f"{value} -> {value * 10}", ast.Constant(value * 10)
        elif isinstance(value, str) and id(node) in decimal_args:
            changed = _last_digit_changed(value)
            if changed is not None:
                yield "decimal", f"Decimal('{value}') -> Decimal('{changed}')", ast.Constant(changed)
    elif isinstance(node, (ast.Set, ast.Tuple)) and len(node.elts) >= 2:
        if isinstance(node, ast.Tuple) and not isinstance(node.ctx, ast.Load):
            return
        for i, elt in enumerate(node.elts):
            thinned = copy.deepcopy(node)
            del thinned.elts[i]
            shown = ast.unparse(elt)
            yield "drop-element", f"drop {shown if len(shown) <= 40 else shown[:37] + '...'} from literal", thinned


def mutants_of(product: str, rel: str, source: str) -> list[Mutant]:
    """Every mutant of one decision module, in source order (deterministic)."""
    tree = ast.parse(source)
    skip = _skipped_spans(tree)
    decimal_args = _decimal_literal_args(tree)
    # a Tuple that is the slice of a subscript (x[a, b]) or an unpacking target is not a literal to thin out
    slices = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}
    # not thinned out either: the right side of a tuple unpacking (a, b = x, y: a crash, not a defect) and the
    # records inside a table literal (dropping half of a (date, rate) pair only crashes)
    slices |= {id(n.value) for n in ast.walk(tree)
               if isinstance(n, ast.Assign) and any(isinstance(t, ast.Tuple) for t in n.targets)}
    slices |= {id(e) for n in ast.walk(tree) if isinstance(n, (ast.Tuple, ast.List, ast.Set)) for e in n.elts
               if isinstance(e, ast.Tuple)}
    # in date(y, m, d) literals only the day moves (a rate table's effective day off by one)
    slices |= {id(a) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
               and n.func.id == "date" and len(n.args) == 3 for a in n.args[:2]}
    out: list[Mutant] = []
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in slices or not isinstance(node, (ast.expr, ast.stmt)):
            continue
        if node.end_lineno is None or node.end_col_offset is None:
            continue
        for kind, change, new in _variants(node, decimal_args):
            text = ast.unparse(new)
            replacement = text if isinstance(node, ast.stmt) else f"({text})"
            out.append(Mutant(product, rel, node.lineno, node.col_offset, node.end_lineno, node.end_col_offset,
                              kind, change, replacement))
    out.sort(key=lambda m: (m.line, m.col, m.kind, m.change))
    return out


def apply(source: str, m: Mutant) -> str:
    """The source with the mutated node's span replaced (columns are UTF-8 byte offsets, as ast gives them)."""
    lines = source.splitlines(keepends=True)
    start = sum(len(x.encode()) for x in lines[:m.line - 1]) + m.col
    end = sum(len(x.encode()) for x in lines[:m.end_line - 1]) + m.end_col
    raw = source.encode()
    return (raw[:start] + m.replacement.encode() + raw[end:]).decode()


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
    """The harness commit plus the content of harness/ as it is (others may have uncommitted edits)."""
    h = hashlib.sha256(_git("rev-parse", "HEAD").encode())
    for path in sorted((ROOT / "harness").rglob("*")):
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


# -- the equivalent-mutant list and the report ---------------------------------------------------------------

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
    parser.add_argument("--runner", choices=("inprocess", "docker"), default="inprocess",
                        help="docker: each mutant in a container, with only the container-only requirements")
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
    parser.add_argument("--as-of", type=date.fromisoformat, default=AS_OF,
                        help="the runs' as-of date (default today, UTC: the products' own clocks say now)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
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
            requirements[product] = requirements_for(product, args.runner)
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
    keys = {p: f"{product_digest(p)}|{hkey}|{SEED}|{as_of}|{','.join(requirements[p])}|{extra_args}"
               + ("|docker" if args.runner == "docker" else "")
            for p in requirements}
    results: dict[int, dict[str, Any]] = {}
    todo: list[int] = []
    for i, m in enumerate(plan):
        path = cache_path(m, keys[m.product])
        if not args.no_cache and path.is_file():
            results[i] = json.loads(path.read_text(encoding="utf-8"))
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
                path = cache_path(m, keys[m.product])
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
