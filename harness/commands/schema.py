"""sandbox schema [--out FILE]: write the JSON Schema of profile files (for editors)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "write the JSON Schema of profile files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="sandbox_profiles/profile.schema.json")


def run(args: argparse.Namespace) -> int:
    from harness.profiles import export_json_schema

    Path(args.out).write_text(json.dumps(export_json_schema(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0
