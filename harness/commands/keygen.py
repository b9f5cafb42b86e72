"""sandbox keygen PATH [--force]: write an Ed25519 key pair (PATH private, PATH.pub public)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "write an Ed25519 signing key pair: PATH (private, mode 0600) and PATH.pub (public)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", type=Path)
    parser.add_argument("--force", action="store_true", help="overwrite existing key files")


def run(args: argparse.Namespace) -> int:
    from harness.evidence.certificate import generate_keypair, key_id, load_public_key

    private, public = generate_keypair(args.path, force=args.force)
    print(f"wrote private key {private} and public key {public} (key id {key_id(load_public_key(public))[:16]}…)")
    return 0
