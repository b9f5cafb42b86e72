"""sandbox report BUNDLE [--out DIR] [--certificate CERT]: reports a certification officer can act on.

For a campaign folder (``sandbox campaign``'s --out, holding campaign.json) it writes the campaign summary
instead: every pair's verdict and the requirements × pairs matrix as a heat map (summary.html, summary.pdf).

Writes into DIR (default ``results/report-<bundle name>``):

* ``report.html``: the Allure report as one file (``allure generate --single-file``); it opens from a
  double-click, with no server. A copy is kept next to the bundle as ``<bundle name>.report.html``.
* ``allure/``: the same report as a folder (serve it: ``allure open DIR/allure``); keeps the history.
* ``summary.html`` and ``summary.pdf``: the one-page summary (verdict, citations, counterexamples, the
  not-evaluated list and the signature block, filled in when the bundle has been signed).
* ``screenshot.png`` with ``--screenshot``: report.html as headless chromium shows it, opened from disk.

The bundle is never modified: its allure-results are copied and rewritten from its typed documents
(harness/reporting/allure_results.py), the history of the previous report in ``DIR/allure`` is added (history
IDs are stable: the test node ID is, and the seed is an excluded parameter), and the Allure command line
(set up by ``scripts/allure-install.sh``, run on demand) generates both reports. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import HarnessError

if TYPE_CHECKING:
    from harness.documents.bundle import EnvironmentDocument
    from harness.documents.verdict import VerdictDocument
    from harness.evidence.bundle import Bundle

HELP = "build the Allure report (one file that opens anywhere, and a folder) and a one-page summary (HTML, PDF)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("bundle", metavar="BUNDLE", help="evidence bundle: the folder `sandbox certify` wrote, "
                        "or its .tar.gz; or a campaign folder (campaign.json): its summary with the matrix")
    parser.add_argument("--out", type=Path, metavar="DIR", help="folder for the reports (default: "
                        "results/report-<bundle name>)")
    parser.add_argument("--certificate", type=Path, metavar="CERT", help="signed certificate whose signature "
                        "block the summary shows (default: <bundle name>.cert.json next to the bundle, if any)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF of the summary")
    parser.add_argument("--screenshot", action="store_true", help="also open report.html from disk in headless "
                        "chromium and keep a picture of its first screen (DIR/screenshot.png)")


def bundle_name(bundle: str) -> str:
    return Path(bundle.rstrip("/")).name.removesuffix(".tar.gz")


def _facts(verdict: VerdictDocument, environment: EnvironmentDocument) -> dict[str, object]:
    profile, product = verdict.profile, verdict.product
    return {"Verdict": verdict.verdict.replace("_", " "),
            "Why": " | ".join(verdict.reasons) or "every in-scope requirement was met",
            "Product": f"{product.id} {product.version} {product.digest}",
            "Profile": f"{profile.id} {profile.version} {profile.digest}",
            "Seed": verdict.seed, "As of": verdict.as_of.isoformat(),
            "Runner": f"{verdict.runner.get('name', '')} ({verdict.runner.get('grade', '')})",
            "Scope": ", ".join(verdict.scope.capabilities), "Harness": environment.harness,
            "Python": f"{environment.implementation} {environment.python}", "Platform": environment.platform}


def _stage(bundle: Bundle, target: Path, previous_report: Path, source: str) -> VerdictDocument:
    from harness.reporting.allure import CATEGORIES
    from harness.reporting.allure_results import rewrite_results

    verdict, environment = bundle.verdict(), bundle.environment()
    results = bundle.root / "allure-results"
    if not results.is_dir():
        raise HarnessError(f"{source}: allure-results: missing; certify with `sandbox certify` to get them")
    shutil.copytree(results, target)
    rewrite_results(target, verdict, bundle.replays(), source)
    trend = previous_report / "history" / "history-trend.json"
    if (previous_report / "history").is_dir():
        shutil.copytree(previous_report / "history", target / "history")
    try:
        order = len(json.loads(trend.read_text(encoding="utf-8"))) + 1 if trend.is_file() else 1
    except (OSError, ValueError):
        order = 1
    profile, product = verdict.profile, verdict.product
    (target / "executor.json").write_text(json.dumps({
        "name": "sandbox certify", "type": "sandbox", "buildOrder": order,
        "buildName": f"{product.id} {product.version} × {profile.id} {profile.version} (seed {verdict.seed})",
        "reportName": f"{product.id} × {profile.id}"}), encoding="utf-8")
    lines = [f"{key.replace(' ', '.')}={value}".replace("\n", " ") for key, value in
             _facts(verdict, environment).items()]
    (target / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (target / "categories.json").write_text(json.dumps(CATEGORIES, indent=2), encoding="utf-8")
    return verdict


def build_report(bundle_path: str, out: Path, *, certificate: Path | None = None, pdf: bool = True,
                 screenshot: bool = False) -> dict[str, Path]:
    """Build every report of a bundle into ``out``; the paths written, by kind."""
    from harness.evidence.bundle import open_bundle
    from harness.reporting.allure import add_header
    from harness.reporting.summary import find_certificate, signature_of, write_summary
    from harness.reporting.tools import allure_command, allure_generate, open_from_disk, progress

    allure = allure_command()
    name = bundle_name(bundle_path)
    paths: dict[str, Path] = {}
    with open_bundle(bundle_path) as bundle:
        cert = certificate or find_certificate(bundle_path)
        signature = signature_of(cert, bundle.digest) if cert else None
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="sandbox-allure-") as tmp:
            progress(f"reading {bundle_path} and rewriting its Allure results")
            staged = Path(tmp) / "allure-results"
            verdict = _stage(bundle, staged, out / "allure", bundle_path)
            title = f"{verdict.verdict.replace('_', ' ')}: {verdict.product.id} × {verdict.profile.id}"
            progress("generating the Allure report (folder)")
            paths["allure"] = allure_generate(allure, staged, out / "allure", name=title, single_file=False)
            add_header(paths["allure"], verdict, summary_href="../summary.html")
            progress("generating the Allure report (single file)")
            single = allure_generate(allure, staged, Path(tmp) / "single", name=title, single_file=True)
            add_header(single, verdict, summary_href="summary.html")
            paths["report"] = out / "report.html"
            shutil.copyfile(single, paths["report"])
        progress("writing the one-page summary" + (" and printing it to PDF" if pdf else ""))
        paths.update(write_summary(out / "summary.html", verdict, bundle=bundle, signature=signature,
                                   allure_href="report.html", pdf=pdf))
    if screenshot:
        progress("opening report.html from disk in headless chromium for a screenshot")
        open_from_disk(paths["report"], out / "screenshot.png")
        paths["screenshot"] = out / "screenshot.png"
    beside = Path(bundle_path.rstrip("/")).with_name(f"{name}.report.html")
    try:
        shutil.copyfile(paths["report"], beside)
        paths["beside"] = beside
    except OSError as exc:
        progress(f"could not keep a copy next to the bundle ({beside}: {exc.strerror})")
    return paths


def run(args: argparse.Namespace) -> int:
    from harness.reporting.campaign_summary import is_campaign, write_campaign_summary

    out = args.out or Path("results") / f"report-{bundle_name(args.bundle)}"
    if is_campaign(args.bundle):
        paths = write_campaign_summary(Path(args.bundle), out, pdf=not args.no_pdf)
    else:
        paths = build_report(args.bundle, out, certificate=args.certificate, pdf=not args.no_pdf,
                             screenshot=args.screenshot)
    labels = {"report": "Allure report (one file, opens from disk)", "beside": "  copy next to the bundle",
              "allure": "Allure report (folder, to serve)", "summary": "Summary", "pdf": "Summary PDF",
              "screenshot": "Screenshot of its first screen"}
    for key, label in labels.items():
        if key in paths:
            print(f"{label + ':':44} {paths[key]}")
    return 0
