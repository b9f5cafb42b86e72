"""sandbox certify PRODUCT_DIR --profile NAME_OR_PATH [--runner] [--out] [--seed] [--jobs N]"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.api import SESSION_ARGS
from harness.errors import IncorrectUsage
from harness.runners import RUNNERS

if TYPE_CHECKING:
    from harness.manifests import Manifest

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
    parser.add_argument("--jobs", type=jobs_type, metavar="N",
                        help="check the requirements in N worker processes (in-process: a product per "
                             "requirement; docker: a container per worker); one N gives one document")


def jobs_type(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of worker processes, e.g. 2; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 worker process, got {text!r}")
    return value


def pytest_arguments(args: argparse.Namespace, seed: int, out: Path, profile_path: str, as_of: date) -> list[str]:
    return [
        *SESSION_ARGS, "--rootdir", str(Path(profile_path).resolve().parent.parent),
        f"--sandbox-profile={args.profile}", f"--sandbox-product={args.product}",
        f"--sandbox-runner={args.runner}", f"--sandbox-seed={seed}", f"--sandbox-out={out}",
        f"--sandbox-as-of={as_of}",
        f"--alluredir={out / 'allure-results'}", "--clean-alluredir", f"--junitxml={out / 'junit.xml'}",
        "-W", "ignore::DeprecationWarning",
        *([f"--sandbox-waivers={args.waivers}"] if getattr(args, "waivers", None) else []),
        *([f"--sandbox-jobs={args.jobs}"] if getattr(args, "jobs", None) else []),
    ]


def checked_out(out: Path, manifest: Manifest, option: str = "--out") -> Path:
    """``out`` if a run can write its evidence there, else IncorrectUsage (one line, exit 2) before any product
    code runs: it must be a folder (created if missing) outside the product and its sources (the run writes
    there, and the product digest covers them) and must not hold them (the bundle packs the whole folder)."""
    try:
        target = out.resolve()
        if target.exists() and not target.is_dir():
            raise IncorrectUsage(f"{option}: {out} is a file, not a folder; choose a folder (it is created if missing)")
        if not target.name:
            raise IncorrectUsage(f"{option}: {out} is the root of the file system; choose a folder such as results/x")
        for source in dict.fromkeys([manifest.root.resolve(), *manifest.source_paths()]):
            if target == source or source in target.parents:
                raise IncorrectUsage(f"{option}: {out} is inside the product's folder {source}; the run would change "
                                     "the product it certifies; choose a folder outside it, e.g. results/")
            if target in source.parents:
                raise IncorrectUsage(f"{option}: {out} holds the product's folder {source}; the evidence bundle would "
                                     "pack it and everything beside it; choose a folder of its own, e.g. results/")
        archive = target.with_name(target.name + ".tar.gz")
        if archive.is_dir():
            raise IncorrectUsage(f"{option}: {archive}, where the bundle archive goes, is a folder; move it or choose "
                                 "another --out")
        existing = target
        while not existing.exists():
            existing = existing.parent
        if not existing.is_dir():
            raise IncorrectUsage(f"{option}: {existing} is a file, so {out} cannot be created; choose another folder")
        target.mkdir(parents=True, exist_ok=True)
        if not os.access(target, os.W_OK | os.X_OK):
            raise IncorrectUsage(f"{option}: {out} is not writable; choose a folder you can write to")
    except (OSError, ValueError) as exc:  # permission, read-only file system, name too long, NUL in the name
        why = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise IncorrectUsage(f"{option}: {out} cannot be created ({why}); choose another folder") from None
    return out


def run(args: argparse.Namespace) -> int:
    from harness.reporting.console import ConsoleReport
    from harness.session import CertificationRun
    from harness.verdict import exit_code

    if args.out is not None and not args.out.strip():
        raise IncorrectUsage("--out: must not be empty; name a folder, or leave --out out for "
                             "results/<product>-<profile>")
    prepared = CertificationRun.prepare(args.profile, args.product, args.runner, args.seed,
                                        args.waivers, args.as_of)  # validates input, decides the scope
    out = checked_out(Path(args.out or f"results/{prepared.manifest.id}-{prepared.profile.id}"), prepared.manifest,
                      "--out" if args.out else "--out (default)")
    console = ConsoleReport()
    code = pytest.main(pytest_arguments(args, prepared.seed, out, prepared.profile.path, prepared.as_of),
                       plugins=[console])
    finished = console.run
    if finished is None or not finished.results:
        console.console.print(f"[bold red]sandbox: error:[/] the certification run did not complete "
                              f"(pytest exit code {int(code)})")
        return 130 if code == pytest.ExitCode.INTERRUPTED else 3
    console.summary(finished, str(out))
    why_not = finished.model().unsignable_reason()
    console.console.print(f"Evidence bundle: {out} and {out}.tar.gz" + (
        f" (sign it with `sandbox sign {out} ...`)" if why_not is None else f" (cannot be signed: {why_not})"))
    if code == pytest.ExitCode.INTERRUPTED or finished.interrupted:
        console.console.print("[bold yellow]Interrupted:[/] the requirements not reached are not_evaluated; "
                              "the verdict is INCOMPLETE and cannot be signed")
        return 130
    return exit_code(finished.verdict())
