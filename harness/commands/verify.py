"""sandbox verify CERT --key PATH.pub [--bundle DIR_OR_TGZ] [--product DIR] [--profile NAME_OR_PATH] [--at DATE]

Exit 0: valid. Exit 1: invalid, each reason on its own line (wrong key, certificate changed, expired,
bundle file changed, verdict changed, product changed, profile changed: ``--profile`` recomputes the digest
of the profile as it is today and compares it with the certified one; without it the report says the
profile was not checked). Exit 2: bad input (unreadable file or key, or a
signed predicate or bundle document that does not parse: one line naming the file and the field).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import UTC, datetime
from pathlib import Path

HELP = "verify a certificate against a trusted public key (and optionally its bundle and the product)"


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or date-time: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("certificate", metavar="CERT", type=Path, help="the .cert.json `sandbox sign` wrote")
    parser.add_argument("--key", required=True, type=Path, metavar="PATH.pub", help="trusted public key")
    parser.add_argument("--bundle", metavar="DIR_OR_TGZ", help="check the bundle's files and verdict too")
    parser.add_argument("--product", metavar="DIR", help="check the product today still has the certified digest")
    parser.add_argument("--profile", metavar="NAME_OR_PATH", help="check the profile today still has the certified "
                        "digest (a changed parameter under the same id and version is caught)")
    parser.add_argument("--at", type=_moment, metavar="DATE", help="check validity at this date (default: now)")


def run(args: argparse.Namespace) -> int:
    from harness.documents.certificate import read_predicate
    from harness.evidence.bundle import open_bundle
    from harness.evidence.certificate import load_public_key, read_certificate, verify
    from harness.profiles import load_profile

    key = load_public_key(args.key)
    envelope = read_certificate(args.certificate)
    profile = load_profile(args.profile) if args.profile else None
    with contextlib.ExitStack() as stack:
        bundle = stack.enter_context(open_bundle(args.bundle)) if args.bundle else None
        problems, statement = verify(envelope, key, bundle=bundle, product_dir=args.product, profile=profile,
                                     at=args.at, source=str(args.certificate))
    if problems:
        print(f"INVALID {args.certificate}", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    p = read_predicate(statement, str(args.certificate))
    checked = ["signature", "validity"] + (["bundle"] if args.bundle else []) + (["product"] if args.product else [])
    profile_note = "profile digest checked" if profile else "profile not checked (pass --profile)"
    print(f"VALID {p.product.id} {p.product.version} × {p.profile.id} {p.profile.version}: {p.verdict}, signed by "
          f"{p.signer.name} ({p.signer.role}), valid until {p.validity.notAfter.date().isoformat()}; "
          f"checked {', '.join(checked)}; {profile_note}")
    return 0
