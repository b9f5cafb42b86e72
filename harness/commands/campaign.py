"""sandbox campaign [--profiles …] [--products …] [--workers N] [--out DIR] [--rerun-failed]

Exit 0: every pair certified (with or without findings); 1: some pair NOT_CERTIFIED or INCOMPLETE (including
a run that ended without a verdict); 2: bad input.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "certify every (product, profile) pair in parallel; write a requirements × products matrix"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from harness.cli import seed_type
    from harness.runners import RUNNERS

    parser.add_argument("--profiles", nargs="+", metavar="NAME_OR_PATH", help="default: every profile")
    parser.add_argument("--products", nargs="+", metavar="DIR", help="default: every folder in products/")
    parser.add_argument("--workers", type=int, metavar="N", help="parallel certifications (default: cores)")
    parser.add_argument("--out", type=Path, default=Path("results/campaign"), metavar="DIR",
                        help="folder for every pair's bundle, campaign.json and the matrix (default: results/campaign)")
    parser.add_argument("--rerun-failed", action="store_true", help="rerun only what failed in the last campaign")
    parser.add_argument("--seed", type=seed_type, help="one seed for every pair (default: each profile's seed)")
    parser.add_argument("--runner", choices=RUNNERS, default="inprocess",
                        help="how each product runs (default: inprocess, a development run)")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markup import escape

    from harness.campaign import RERUN, VERDICT_STYLE, run_campaign
    from harness.errors import IncorrectUsage
    from harness.profiles import available_profiles

    if args.workers is not None and args.workers < 1:
        raise IncorrectUsage(f"--workers: must be at least 1, got {args.workers}")
    profiles = args.profiles or available_profiles()
    products = args.products or sorted(str(p.parent) for p in Path("products").glob("*/product.yaml"))
    if not products:
        raise IncorrectUsage("--products: none given and no products/*/product.yaml here")
    doc = run_campaign(products, profiles, args.out, workers=args.workers, rerun_failed=args.rerun_failed,
                       seed=args.seed, runner=args.runner)
    console = Console(highlight=False)
    for e in doc.pairs:
        mark = "ran" if e.rerun else "kept"
        counts = ", ".join(f"{n} {status}" for status, n in e.counts.items() if n)
        console.print(f"[{VERDICT_STYLE[e.verdict]}]{e.verdict:24}[/] {escape(e.product_id)} × {escape(e.profile_id)} "
                      f"({mark}, {e.seconds} s{'; ' + counts if counts else ''})"
                      f"{' — ' + escape(e.error) if e.error else ''}")
        if e.next_step:
            console.print(f"{'':24} to complete it: {escape(e.next_step)}")
    for s in doc.not_applicable:
        console.print(f"[dim]{'not applicable':24}[/] {escape(s.product)} × {escape(s.profile)} "
                      f"(lacks {', '.join(s.missing_capabilities)})")
    console.print(f"{len(doc.pairs)} pair(s), {doc.workers} worker(s), wall time {doc.wall_seconds} s; "
                  f"matrix in {args.out / 'matrix.csv'} and {args.out / 'matrix.html'}")
    return 1 if any(e.verdict in RERUN for e in doc.pairs) else 0
