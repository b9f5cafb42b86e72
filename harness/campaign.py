"""Campaigns: certify every (product, profile) pair where the product has the profile's capabilities.

Each pair is its own ``sandbox certify`` process (its own pytest run, its own evidence bundle in
``OUT/<product>__<profile>/``), run in parallel up to ``workers``. The results go to ``OUT/campaign.json``
and a requirements × products matrix (pandas) to ``OUT/matrix.csv`` and ``OUT/matrix.html``.
``rerun_failed`` reruns only the pairs that were NOT_CERTIFIED or INCOMPLETE last time (or are new).

campaign.json is a typed document (harness/documents/campaign.py, schemas/campaign.schema.json); each pair's
verdict.json is read through VerdictDocument. Matrix cells are the statuses of harness.verdict (passed,
failed, broken, not_applicable, not_evaluated, waived) and, in the VERDICT row, the verdict.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from harness.documents.campaign import (
    CampaignDocument,
    NotApplicablePair,
    PairResult,
    read_campaign,
    write_campaign,
)
from harness.documents.verdict import VerdictDocument, read_verdict
from harness.errors import HarnessError, IncorrectUsage
from harness.manifests import load_manifest
from harness.profiles import load_profile
from harness.verdict import STATUSES, Verdict

RERUN: tuple[Verdict, ...] = ("NOT_CERTIFIED", "INCOMPLETE")
VERDICT_EXITS = (0, 1, 4)  # `sandbox certify` reached a verdict (CERTIFIED…, NOT CERTIFIED, INCOMPLETE)
# Matrix cells. INCOMPLETE is orange, never green: nothing was certified.
STATUS_COLOURS: dict[str, str] = {
    "passed": "#dafbe1", "failed": "#ffebe9", "broken": "#fbefff", "not_applicable": "#f6f8fa",
    "not_evaluated": "#ffe7cc", "waived": "#ddf4ff"}
VERDICT_COLOURS: dict[str, str] = {
    "CERTIFIED": "#aceebb", "CERTIFIED_WITH_FINDINGS": "#fff8c5", "NOT_CERTIFIED": "#ffcecb", "INCOMPLETE": "#ffd8b5"}
COLOURS: dict[str, str] = {**STATUS_COLOURS, **VERDICT_COLOURS}
# Console (rich) styles of a pair's verdict.
VERDICT_STYLE: dict[str, str] = {"CERTIFIED": "bold green", "CERTIFIED_WITH_FINDINGS": "bold yellow",
                                 "NOT_CERTIFIED": "bold red", "INCOMPLETE": "bold dark_orange"}


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
    pairs: list[Pair] = []
    left_out: list[dict[str, Any]] = []
    for product, manifest in manifests:
        for name, profile in loaded:
            # A region's focus (what it adds to the national baseline) decides: a ledger product belongs under
            # Hangzhou even though the inherited credit requirements are not applicable to it.
            if not set(profile.focus_capabilities) & set(manifest.capabilities):
                left_out.append({"product": manifest.id, "profile": profile.id,
                                 "missing_capabilities": sorted(profile.focus_capabilities)})
            else:
                pairs.append(Pair(product, name, manifest.id, profile.id))
    return pairs, left_out


def _entry(pair: Pair, target: Path, code: int, seconds: float, stderr: str) -> PairResult:
    """The campaign entry of one finished certify process: its verdict.json when the process reached a verdict
    (exit 0, 1 or 4; an older verdict.json left in the folder by an earlier run is not read otherwise)."""
    error = ""
    document: VerdictDocument | None = None
    if code in VERDICT_EXITS:
        try:
            document = read_verdict(target)
        except HarnessError as exc:
            error = str(exc)
    else:
        error = (stderr.strip().splitlines() or [f"no output (exit {code})"])[-1]
    return PairResult(
        product=pair.product, profile=pair.profile, product_id=pair.product_id, profile_id=pair.profile_id,
        key=pair.key, exit_code=code, seconds=seconds,
        verdict=document.verdict if document is not None else "INCOMPLETE",
        counts={s: n for s, n in document.counts.items() if s in STATUSES} if document is not None else {},
        next_step=document.next_step if document is not None else None,
        bundle=str(target), archive=str(target) + ".tar.gz", error=error, rerun=True,
    )


def certify_pair(pair: Pair, out: Path, seed: int | None = None, runner: str = "inprocess") -> PairResult:
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
    return _entry(pair, target, done.returncode, seconds, done.stderr)


class _Progress:
    """One stderr line per pair as it starts and as it ends (verdict, seconds, done/total): a campaign runs
    for minutes, and its workers print nothing else."""

    def __init__(self, total: int, kept: int) -> None:
        self.total, self.done, self.lock = total, 0, threading.Lock()
        if kept:
            print(f"campaign: {kept} pair(s) kept from the earlier run, {total} to run", file=sys.stderr)

    def run(self, pair: Pair, work: Callable[[], PairResult]) -> PairResult:
        print(f"campaign: started  {pair.key}", file=sys.stderr, flush=True)
        entry = work()
        with self.lock:
            self.done += 1
            print(f"campaign: finished {pair.key}: {entry.verdict} in {entry.seconds:.1f} s "
                  f"({self.done}/{self.total})", file=sys.stderr, flush=True)
        return entry


def run_campaign(products: list[str], profiles: list[str], out: Path, *, workers: int | None = None,
                 rerun_failed: bool = False, seed: int | None = None, runner: str = "inprocess") -> CampaignDocument:
    pairs, left_out = plan(products, profiles)
    if not pairs:
        raise IncorrectUsage("campaign: no (product, profile) pair where the product has the profile's capabilities")
    out.mkdir(parents=True, exist_ok=True)
    previous: dict[str, PairResult] = {}
    if rerun_failed:
        state = out / "campaign.json"
        if not state.is_file():
            raise IncorrectUsage(f"{state}: --rerun-failed needs the results of an earlier campaign in --out")
        previous = {e.key: e for e in read_campaign(state).pairs}
    todo = [p for p in pairs if p.key not in previous or previous[p.key].verdict in RERUN]
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    started = time.perf_counter()
    progress = _Progress(len(todo), len(pairs) - len(todo))
    with ThreadPoolExecutor(max_workers=workers) as pool:  # each worker waits on its own certify process
        fresh = {e.key: e for e in pool.map(lambda p: progress.run(p, lambda: certify_pair(p, out, seed, runner)),
                                            todo)}
    entries = [fresh[p.key] if p.key in fresh else previous[p.key].model_copy(update={"rerun": False})
               for p in pairs]
    document = CampaignDocument(workers=workers, wall_seconds=round(time.perf_counter() - started, 2), pairs=entries,
                                not_applicable=[NotApplicablePair.model_validate(s) for s in left_out],
                                rerun_failed=rerun_failed)
    write_campaign(out / "campaign.json", document)
    write_matrix(entries, out)
    return document


def matrix(entries: list[PairResult]) -> pd.DataFrame:
    """Rows: (profile, requirement); columns: product; cells: status (blank where the pair did not run), and a
    VERDICT row with each pair's verdict."""
    records = []
    for entry in entries:
        reached = entry.exit_code in VERDICT_EXITS and entry.counts and (Path(entry.bundle) / "verdict.json").is_file()
        if not reached:  # no verdict.json to read (the run ended without one): the VERDICT row still shows it
            records.append({"profile": entry.profile_id, "requirement": "VERDICT", "level": "",
                            "product": entry.product_id, "status": entry.verdict})
            continue
        doc = read_verdict(entry.bundle)
        records += [{"profile": entry.profile_id, "requirement": r.id, "level": r.level,
                     "product": entry.product_id, "status": r.status} for r in doc.requirements]
        records.append({"profile": entry.profile_id, "requirement": "VERDICT", "level": "",
                        "product": entry.product_id, "status": entry.verdict})
    if not records:
        return pd.DataFrame()
    frame = pd.DataFrame.from_records(records)
    table = frame.pivot_table(index=["profile", "requirement", "level"], columns="product", values="status",
                              aggfunc="first", fill_value="")
    table.columns.name = None
    return table


def _legend() -> str:
    swatch = "<span style='background-color:{};padding:1px 6px;margin-right:6px'>{}</span>"
    return "<p>" + "".join(swatch.format(colour, name) for name, colour in COLOURS.items()) + "</p>"


def write_matrix(entries: list[PairResult], out: Path) -> pd.DataFrame:
    table = matrix(entries)
    table.to_csv(out / "matrix.csv")
    styled = table.style.map(lambda v: f"background-color: {COLOURS[v]}" if v in COLOURS else "")
    (out / "matrix.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>Campaign matrix</title><style>"
        "body{font:13px system-ui,sans-serif} td,th{padding:3px 8px;border:1px solid #d0d7de}</style></head><body>"
        f"<h1>Campaign: requirements × products</h1>{_legend()}{styled.to_html()}</body></html>\n",
        encoding="utf-8")
    return table
