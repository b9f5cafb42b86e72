"""sandbox schema [--out FILE] | --documents [DIR]: write JSON Schemas.

Without ``--documents``: the JSON Schema of profile files (for editors), to ``--out``. With ``--documents``:
the JSON Schemas of the output documents (verdict.json, bundle.json, environment.json, replay files,
campaign.json, the certificate predicate) to DIR (default ``schemas/``, the copies kept in the repository).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "write the JSON Schema of profile files, or (--documents) of the output documents"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="sandbox_profiles/profile.schema.json", metavar="FILE",
                        help="where the profile schema goes (default: %(default)s)")
    parser.add_argument("--documents", nargs="?", const="schemas", metavar="DIR",
                        help="write the output documents' schemas to DIR instead (default DIR: schemas)")


def run(args: argparse.Namespace) -> int:
    if args.documents is not None:
        from harness.documents.export import export_schemas

        written = export_schemas(Path(args.documents))
        print(f"wrote {len(written)} document schemas to {args.documents}: {', '.join(p.name for p in written)}")
        return 0
    from harness.profiles import export_json_schema

    Path(args.out).write_text(json.dumps(export_json_schema(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0
