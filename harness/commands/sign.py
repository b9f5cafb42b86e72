"""sandbox sign BUNDLE --key PATH --signer NAME --role ROLE [--product DIR] [--out CERT]

Exit 0: certificate written, and next to it the one-page summary with its signature block filled in
(``<name>.summary.html`` and, unless ``--no-pdf``, ``.pdf``). Exit 1: the bundle may not be signed
(NOT_CERTIFIED, a partial run, a development (in-process) run, an unknown product digest, a profile.json that
does not have the recorded digest, files changed since the run, or with ``--product`` a product folder whose
digest is not the one the run recorded); the reason is printed. Exit 2: bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.evidence.bundle import Bundle

HELP = "sign a CERTIFIED evidence bundle: in-toto statement in a DSSE envelope (Ed25519)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("bundle", metavar="BUNDLE", help="bundle folder or its .tar.gz")
    parser.add_argument("--key", required=True, type=Path, metavar="PATH", help="private key (sandbox keygen)")
    parser.add_argument("--signer", required=True, metavar="NAME", help="person who authorises the certificate")
    parser.add_argument("--role", required=True, metavar="ROLE", help="their role, e.g. 'certification officer'")
    parser.add_argument("--product", metavar="DIR", help="recompute the product digest from this folder and "
                        "refuse unless it is the one the run recorded")
    parser.add_argument("--out", type=Path, metavar="CERT", help="default: <bundle>.cert.json next to the bundle")
    parser.add_argument("--no-pdf", action="store_true", help="write the signed summary (<name>.summary.html next "
                        "to the certificate) without its PDF")


def default_certificate_path(bundle: str) -> Path:
    path = Path(bundle.rstrip("/"))
    name = path.name.removesuffix(".tar.gz")
    return path.with_name(f"{name}.cert.json")


def run(args: argparse.Namespace) -> int:
    from harness.documents.certificate import read_predicate
    from harness.evidence.bundle import open_bundle
    from harness.evidence.certificate import NotEligible, build_statement, load_private_key, sign_statement

    for name in ("signer", "role"):
        if not getattr(args, name).strip():
            print(f"sandbox: error: --{name}: must not be empty", file=sys.stderr)
            return 2
    key = load_private_key(args.key)
    with open_bundle(args.bundle) as bundle:
        try:
            statement = build_statement(bundle, signer=args.signer, role=args.role, product_dir=args.product)
        except NotEligible as exc:
            print(f"sandbox sign: refused: {exc}", file=sys.stderr)
            return 1
        envelope = sign_statement(statement, key)
        out = args.out or default_certificate_path(args.bundle)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(envelope, indent=2) + "\n", encoding="utf-8")
        p = read_predicate(statement, str(out))
        print(f"signed {p.product.id} {p.product.version} × {p.profile.id} {p.profile.version}: {p.verdict}, valid "
              f"until {p.validity.notAfter.date().isoformat()}, by {p.signer.name} ({p.signer.role}) → {out}")
        for kind, path in signed_summary(bundle, out, pdf=not args.no_pdf).items():
            print(f"{'summary' if kind == 'summary' else 'summary PDF'}, signature block filled in: {path}")
    return 0


def summary_path(certificate: Path) -> Path:
    """``<name>.summary.html`` next to ``<name>.cert.json`` (or ``<stem>.summary.html`` for another name)."""
    name = certificate.name.removesuffix(".json").removesuffix(".cert")
    return certificate.with_name(f"{name}.summary.html")


def signed_summary(bundle: Bundle, certificate: Path, *, pdf: bool) -> dict[str, Path]:
    """The one-page summary with the signature block of the certificate just written (HTML, and PDF)."""
    from harness.reporting.summary import signature_of, write_summary

    return write_summary(summary_path(certificate), bundle.verdict(), bundle=bundle,
                         signature=signature_of(certificate, bundle.digest), pdf=pdf)
