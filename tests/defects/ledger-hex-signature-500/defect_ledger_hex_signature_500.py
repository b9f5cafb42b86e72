"""Seeded defect: the signature check catches only a failed verification, not a signature that is not hex,
so such a transfer crashes the request (500) instead of being refused. The old BC-LEDGER-002 forged
signatures only as valid hex."""

import chain_ledger.crypto as crypto_module
from chain_ledger.api import LedgerApp
from chain_ledger.ledger import Ledger
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def careless_signature_ok(public_key_hex: str, signature_hex: str, payload: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex)).verify(bytes.fromhex(signature_hex), payload)
    except InvalidSignature:  # the defect: bytes.fromhex's ValueError escapes
        return False
    return True


crypto_module.signature_ok = careless_signature_ok  # the reference looks it up on the module at call time


class App(LedgerApp):
    ledger_class = Ledger


def create_app() -> App:
    return App()
