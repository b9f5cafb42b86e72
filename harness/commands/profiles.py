"""sandbox profiles [NAME]: list profiles and their requirements."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

HELP = "list profiles and their requirements"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="show one profile")


def run(args: argparse.Namespace) -> int:
    from harness.profiles import available_profiles, load_profile

    console = Console(highlight=False)
    for name in [args.name] if args.name else available_profiles():
        profile = load_profile(name)
        table = Table(title=f"{profile.id} {profile.version} — {profile.title} ({' → '.join(profile.lineage)})")
        for col in ("ID", "Level", "Check", "Title", "Source"):
            table.add_column(col, overflow="fold")
        for r in profile.requirements:
            table.add_row(r.id, r.level, r.check, r.title, f"{r.source.number} {r.source.article} ({r.source.status})")
        console.print(table)
    return 0
