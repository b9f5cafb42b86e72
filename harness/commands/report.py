"""sandbox report BUNDLE [--out DIR]: Allure HTML report + one-page summary from an evidence bundle.

The bundle is never modified: its allure-results are copied, the history of the previous report in
``--out`` is added (so the trend and per-test history survive reruns of the same product; history IDs
are stable because the test node ID is and the seed is an excluded parameter), and the Allure command
line installed by ``scripts/allure-install.sh`` (tools/node_modules) generates ``DIR/allure/``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import HarnessError

if TYPE_CHECKING:
    from harness.documents.bundle import EnvironmentDocument
    from harness.documents.verdict import VerdictDocument

HELP = "build the Allure HTML report and a one-page summary from an evidence bundle"
PROJECT = Path(__file__).resolve().parents[2]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("bundle", metavar="BUNDLE", help="bundle folder or its .tar.gz")
    parser.add_argument("--out", type=Path, metavar="DIR", help="default: results/report-<bundle name>")


def allure_command() -> str:
    """$SANDBOX_ALLURE, the project's tools/node_modules/.bin/allure, or allure on PATH."""
    candidates = [os.environ.get("SANDBOX_ALLURE", ""), str(PROJECT / "tools" / "node_modules" / ".bin" / "allure"),
                  shutil.which("allure") or ""]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    raise HarnessError("allure: the Allure command line is not installed; run scripts/allure-install.sh")


def _prepare_results(bundle_results: Path, target: Path, previous_report: Path, verdict: VerdictDocument,
                     environment: EnvironmentDocument) -> None:
    shutil.copytree(bundle_results, target)
    if (previous_report / "history").is_dir():
        shutil.copytree(previous_report / "history", target / "history")
    order = len(json.loads((previous_report / "history" / "history-trend.json").read_text())) + 1 \
        if (previous_report / "history" / "history-trend.json").is_file() else 1
    profile, product = verdict.profile, verdict.product
    (target / "executor.json").write_text(json.dumps({
        "name": "sandbox certify", "type": "sandbox", "buildOrder": order,
        "buildName": f"{product.id} {product.version} × {profile.id} {profile.version} (seed {verdict.seed})",
        "reportName": f"{product.id} × {profile.id}"}))
    env = {"profile": f"{profile.id} {profile.version}", "profile.digest": profile.digest,
           "product": f"{product.id} {product.version}", "product.digest": product.digest,
           "runner": verdict.runner.get("name", ""), "seed": verdict.seed, "verdict": verdict.verdict,
           "as_of": verdict.as_of.isoformat(), "harness": environment.harness,
           "python": f"{environment.implementation} {environment.python}", "platform": environment.platform}
    (target / "environment.properties").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    (target / "categories.json").write_text(json.dumps([
        {"name": "Product failures (requirement not met)", "matchedStatuses": ["failed"]},
        {"name": "Harness or environment problems (not evaluated)", "matchedStatuses": ["broken"]}]))


def build_report(bundle_path: str, out: Path) -> dict[str, Path]:
    from harness.evidence.bundle import open_bundle
    from harness.reporting.summary import render_summary

    allure = allure_command()
    with open_bundle(bundle_path) as bundle:
        verdict = bundle.verdict()
        environment = bundle.environment()
        results = bundle.root / "allure-results"
        if not results.is_dir():
            raise HarnessError(f"{bundle_path}: allure-results: missing; certify with `sandbox certify` to get them")
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="sandbox-allure-") as tmp:
            staged = Path(tmp) / "allure-results"
            _prepare_results(results, staged, out / "allure", verdict, environment)
            done = subprocess.run([allure, "generate", str(staged), "-o", str(out / "allure"), "--clean"],
                                  capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise HarnessError(f"allure generate failed (exit {done.returncode}): {tail[0]}")
        summary = out / "summary.html"
        page = render_summary(verdict.model_dump(mode="json"), bundle_digest=bundle.digest,
                              allure_index="allure/index.html")
        summary.write_text(page, encoding="utf-8")
    return {"allure": out / "allure" / "index.html", "summary": summary}


def run(args: argparse.Namespace) -> int:
    name = Path(args.bundle.rstrip("/")).name.removesuffix(".tar.gz")
    out = args.out or Path("results") / f"report-{name}"
    paths = build_report(args.bundle, out)
    print(f"Allure report: {paths['allure']}\nSummary:       {paths['summary']}")
    return 0
