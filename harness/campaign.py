"""Campaigns: certify every (product, profile) pair where the product has the profile's capabilities.

Each pair is its own ``sandbox certify`` process (its own pytest run, its own evidence bundle in
``OUT/<product>__<profile>/``), run in parallel up to ``workers``. The results go to ``OUT/campaign.json``
and a requirements × products matrix (pandas) to ``OUT/matrix.csv`` and ``OUT/matrix.html``.
``rerun_failed`` reruns only the pairs that were NOT_CERTIFIED or did not complete last time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from harness.errors import IncorrectUsage
from harness.manifests import load_manifest
from harness.profiles import load_profile

RERUN = ("NOT_CERTIFIED", "INCOMPLETE")


@dataclass(frozen=True)
class Pair:
    product: str
    profile: str
    product_id: str
    profile_id: str

    @property
    def key(self) -> str:
        return f"{self.product_id}__{self.profile_id}"


def plan(products: list[str], profiles: list[str]) -> tuple[list[Pair], list[dict[str, Any]]]:
    """The pairs to certify (the product implements a capability the profile focuses on), and the pairs left
    out (with the profile's focus capabilities the product lacks)."""
    manifests = [(p, load_manifest(p)) for p in products]
    loaded = [(name, load_profile(name)) for name in profiles]
    pairs, skipped = [], []
    for product, manifest in manifests:
        for name, profile in loaded:
            # A region's focus (what it adds to the national baseline) decides: a ledger product belongs under
            # Hangzhou even though the inherited credit requirements will be skipped for it.
            if not set(profile.focus_capabilities) & set(manifest.capabilities):
                skipped.append({"product": manifest.id, "profile": profile.id,
                                "missing_capabilities": sorted(profile.focus_capabilities)})
            else:
                pairs.append(Pair(product, name, manifest.id, profile.id))
    return pairs, skipped


def certify_pair(pair: Pair, out: Path, seed: int | None = None, runner: str = "inprocess") -> dict[str, Any]:
    """Run ``sandbox certify`` for one pair in a fresh process; return its campaign entry."""
    target = out / pair.key
    command = [sys.executable, "-m", "harness.cli", "certify", pair.product, "--profile", pair.profile,
               "--out", str(target), "--runner", runner, *(["--seed", str(seed)] if seed is not None else [])]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env={**os.environ, "COLUMNS": "160", "NO_COLOR": "1"})
    seconds = round(time.perf_counter() - started, 2)
    (out / "logs").mkdir(parents=True, exist_ok=True)
    (out / "logs" / f"{pair.key}.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    verdict_file = target / "verdict.json"
    verdict = json.loads(verdict_file.read_text(encoding="utf-8")) if verdict_file.is_file() else None
    return {**asdict(pair), "key": pair.key, "exit_code": done.returncode, "seconds": seconds,
            "verdict": verdict["verdict"] if verdict and done.returncode in (0, 1) else "INCOMPLETE",
            "bundle": str(target), "archive": str(target) + ".tar.gz",
            "error": "" if verdict else (done.stderr.strip().splitlines() or ["no output"])[-1]}


def run_campaign(products: list[str], profiles: list[str], out: Path, *, workers: int | None = None,
                 rerun_failed: bool = False, seed: int | None = None, runner: str = "inprocess") -> dict[str, Any]:
    pairs, skipped = plan(products, profiles)
    if not pairs:
        raise IncorrectUsage("campaign: no (product, profile) pair where the product has the profile's capabilities")
    out.mkdir(parents=True, exist_ok=True)
    previous: dict[str, dict[str, Any]] = {}
    if rerun_failed:
        state = out / "campaign.json"
        if not state.is_file():
            raise IncorrectUsage(f"{state}: --rerun-failed needs the results of an earlier campaign in --out")
        previous = {e["key"]: e for e in json.loads(state.read_text(encoding="utf-8"))["pairs"]}
    todo = [p for p in pairs if not rerun_failed or previous.get(p.key, {}).get("verdict", "INCOMPLETE") in RERUN]
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:  # each worker waits on its own certify process
        fresh = {e["key"]: e for e in pool.map(lambda p: certify_pair(p, out, seed, runner), todo)}
    entries = [dict(fresh.get(p.key) or previous[p.key], rerun=p.key in fresh) for p in pairs]
    wall = round(time.perf_counter() - started, 2)
    document = {"schema": "sandbox-campaign/1", "workers": workers, "wall_seconds": wall, "pairs": entries,
                "skipped": skipped, "rerun_failed": rerun_failed}
    (out / "campaign.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    write_matrix(entries, out)
    return document


def matrix(entries: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows: (profile, requirement); columns: product; cells: status (blank where the pair did not run)."""
    records = []
    for entry in entries:
        verdict_file = Path(entry["bundle"]) / "verdict.json"
        if not verdict_file.is_file():
            continue
        doc = json.loads(verdict_file.read_text(encoding="utf-8"))
        records += [{"profile": entry["profile_id"], "requirement": r["id"], "level": r["level"],
                     "product": entry["product_id"], "status": r["status"]} for r in doc["requirements"]]
        records.append({"profile": entry["profile_id"], "requirement": "VERDICT", "level": "",
                        "product": entry["product_id"], "status": entry["verdict"]})
    if not records:
        return pd.DataFrame()
    frame = pd.DataFrame.from_records(records)
    table = frame.pivot_table(index=["profile", "requirement", "level"], columns="product", values="status",
                              aggfunc="first", fill_value="")
    table.columns.name = None
    return table


def write_matrix(entries: list[dict[str, Any]], out: Path) -> pd.DataFrame:
    table = matrix(entries)
    table.to_csv(out / "matrix.csv")
    colours = {"passed": "#dafbe1", "failed": "#ffebe9", "broken": "#fbefff", "skipped": "#fff8c5",
               "waived": "#ddf4ff", "NOT_CERTIFIED": "#ffebe9", "CERTIFIED": "#dafbe1",
               "CERTIFIED_WITH_FINDINGS": "#fff8c5"}
    styled = table.style.map(lambda v: f"background-color: {colours[v]}" if v in colours else "")
    (out / "matrix.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>Campaign matrix</title><style>"
        "body{font:13px system-ui,sans-serif} td,th{padding:3px 8px;border:1px solid #d0d7de}</style></head><body>"
        f"<h1>Campaign: requirements × products</h1>{styled.to_html()}</body></html>\n", encoding="utf-8")
    return table
