"""``sandbox`` command line. Exit codes: 0 CERTIFIED or WITH FINDINGS, 1 NOT CERTIFIED, 2 bad input."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

import pytest
from rich.console import Console
from rich.table import Table

from harness.errors import HarnessError
from harness.runners import RUNNERS

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one clear line, exit 2 (not argparse's usage dump)
        self.exit(USAGE_ERROR, f"sandbox: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sandbox", description="Fintech regulatory-sandbox certification harness")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    cert = sub.add_parser("certify", help="certify a product against a profile")
    cert.add_argument("product", metavar="PRODUCT_DIR")
    cert.add_argument("--profile", required=True, metavar="NAME_OR_PATH")
    cert.add_argument("--runner", choices=RUNNERS, default="inprocess")
    cert.add_argument("--out", metavar="DIR", help="output folder (default: results/<product>-<profile>)")
    cert.add_argument("--seed", type=_seed, help="run seed (default: the profile's)")
    profiles = sub.add_parser("profiles", help="list profiles and their requirements")
    profiles.add_argument("name", nargs="?", help="show one profile's requirements")
    schema = sub.add_parser("schema", help="write the JSON Schema of profile files")
    schema.add_argument("--out", default="sandbox_profiles/profile.schema.json")
    return parser


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "certify":
            return certify(args)
        if args.command == "profiles":
            return list_profiles(args.name)
        if args.command == "schema":
            return write_schema(Path(args.out))
    except HarnessError as exc:
        print(f"sandbox: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    return USAGE_ERROR


def certify(args: argparse.Namespace) -> int:
    from harness.reporting.console import ConsoleReport
    from harness.session import CertificationRun

    run = CertificationRun.prepare(args.profile, args.product, args.runner, args.seed)  # validates input
    out = Path(args.out or f"results/{run.manifest.id}-{run.profile.id}")
    console = ConsoleReport()
    pytest_args = [
        "-p", "no:cacheprovider", "-p", "no:terminal", "-c", os.devnull,
        "--rootdir", str(Path(run.profile.path).resolve().parent.parent),
        f"--sandbox-profile={args.profile}", f"--sandbox-product={args.product}",
        f"--sandbox-runner={args.runner}", f"--sandbox-seed={run.seed}", f"--sandbox-out={out}",
        f"--alluredir={out / 'allure-results'}", "--clean-alluredir", f"--junitxml={out / 'junit.xml'}",
        "-o", f"junit_suite_name={run.manifest.id}-{run.profile.id}", "-W", "ignore::DeprecationWarning",
    ]
    code = pytest.main(pytest_args, plugins=[console])
    finished = console.run
    if finished is None or not finished.results:
        print(f"sandbox: error: the certification run did not complete (pytest exit code {int(code)})",
              file=sys.stderr)
        return 130 if code == pytest.ExitCode.INTERRUPTED else 3
    console.summary(finished, str(out))
    if code == pytest.ExitCode.INTERRUPTED:
        return 130
    return 1 if finished.verdict() == "NOT_CERTIFIED" else 0


def list_profiles(name: str | None) -> int:
    from harness.profiles import available_profiles, load_profile

    console = Console(highlight=False)
    for profile_name in [name] if name else available_profiles():
        profile = load_profile(profile_name)
        table = Table(title=f"{profile.id} {profile.version} — {profile.title} ({' → '.join(profile.lineage)})")
        for col in ("ID", "Level", "Check", "Title", "Source"):
            table.add_column(col, overflow="fold")
        for r in profile.requirements:
            table.add_row(r.id, r.level, r.check, r.title,
                          f"{r.source.number} {r.source.article} ({r.source.status})")
        console.print(table)
    return 0


def write_schema(path: Path) -> int:
    import json

    from harness.profiles import export_json_schema

    path.write_text(json.dumps(export_json_schema(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
