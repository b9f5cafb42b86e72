"""sandbox certify PRODUCT_DIR --profile NAME_OR_PATH [--runner] [--out] [--seed]"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

import pytest

from harness.runners import RUNNERS

HELP = "certify a product against a profile"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from harness.cli import date_type, seed_type

    parser.add_argument("product", metavar="PRODUCT_DIR", help="product folder holding product.yaml")
    parser.add_argument("--profile", required=True, metavar="NAME_OR_PATH", help="profile name or YAML path")
    parser.add_argument("--runner", choices=RUNNERS, default="inprocess",
                        help="inprocess (development) or docker (certification-grade; crash, network, limits)")
    parser.add_argument("--out", metavar="DIR", help="output folder (default: results/<product>-<profile>)")
    parser.add_argument("--seed", type=seed_type, help="run seed (default: the profile's)")
    parser.add_argument("--as-of", type=date_type, metavar="YYYY-MM-DD",
                        help="the run's date for every check that needs 'today' (default: today, UTC)")
    parser.add_argument("--waivers", metavar="FILE", help="waivers file (YAML); see harness/waivers.py")


def pytest_arguments(args: argparse.Namespace, seed: int, out: Path, profile_path: str, as_of: date) -> list[str]:
    return [
        "-p", "no:cacheprovider", "-p", "no:terminal", "-c", os.devnull,
        "--rootdir", str(Path(profile_path).resolve().parent.parent),
        f"--sandbox-profile={args.profile}", f"--sandbox-product={args.product}",
        f"--sandbox-runner={args.runner}", f"--sandbox-seed={seed}", f"--sandbox-out={out}",
        f"--sandbox-as-of={as_of}",
        f"--alluredir={out / 'allure-results'}", "--clean-alluredir", f"--junitxml={out / 'junit.xml'}",
        "-W", "ignore::DeprecationWarning",
        *([f"--sandbox-waivers={args.waivers}"] if getattr(args, "waivers", None) else []),
    ]


def run(args: argparse.Namespace) -> int:
    from harness.reporting.console import ConsoleReport
    from harness.session import CertificationRun
    from harness.verdict import exit_code

    prepared = CertificationRun.prepare(args.profile, args.product, args.runner, args.seed,
                                        args.waivers, args.as_of)  # validates input, decides the scope
    out = Path(args.out or f"results/{prepared.manifest.id}-{prepared.profile.id}")
    console = ConsoleReport()
    code = pytest.main(pytest_arguments(args, prepared.seed, out, prepared.profile.path, prepared.as_of),
                       plugins=[console])
    finished = console.run
    if finished is None or not finished.results:
        console.console.print(f"[bold red]sandbox: error:[/] the certification run did not complete "
                              f"(pytest exit code {int(code)})")
        return 130 if code == pytest.ExitCode.INTERRUPTED else 3
    console.summary(finished, str(out))
    from harness.verdict import SIGNABLE

    signable = finished.verdict() in SIGNABLE
    console.console.print(f"Evidence bundle: {out} and {out}.tar.gz"
                          + (f" (sign it with `sandbox sign {out} ...`)" if signable else " (not signable)"))
    if code == pytest.ExitCode.INTERRUPTED or finished.interrupted:
        console.console.print("[bold yellow]Interrupted:[/] the requirements not reached are not_evaluated; "
                              "the verdict is INCOMPLETE and cannot be signed")
        return 130
    return exit_code(finished.verdict())
