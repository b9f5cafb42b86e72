"""sandbox keygen PATH [--force]: write an Ed25519 key pair (PATH private, PATH.pub public)."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.errors import IncorrectUsage

HELP = "write an Ed25519 signing key pair: PATH (private, mode 0600) and PATH.pub (public)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", type=Path, help="where to write the private key (PATH.pub: the "
                        "public key)")
    parser.add_argument("--force", action="store_true", help="overwrite existing key files")


def run(args: argparse.Namespace) -> int:
    from harness.evidence.certificate import generate_keypair, key_id, load_public_key

    try:
        private, public = generate_keypair(args.path, force=args.force)
    except OSError as exc:  # a file where a folder should be, a folder where the key goes, no permission
        raise IncorrectUsage(f"{exc.filename or args.path}: cannot write the key ({exc.strerror or exc}); "
                             "choose another path") from None
    print(f"wrote private key {private} and public key {public} (key id {key_id(load_public_key(public))[:16]}…)")
    return 0
