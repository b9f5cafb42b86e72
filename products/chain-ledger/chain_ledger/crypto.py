"""Canonical encoding, SHA-256 block hashes, RFC 6962 Merkle trees and Ed25519 signatures."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ZERO_HASH = "0" * 64


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def body_of(tx: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in tx.items() if k != "id"}


def tx_id(body: dict[str, Any]) -> str:
    return sha256_hex(canonical(body))


def leaf(tx: dict[str, Any]) -> bytes:
    return hashlib.sha256(b"\x00" + canonical(body_of(tx))).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def tree_hash(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return _node(tree_hash(leaves[:k]), tree_hash(leaves[k:]))


def merkle_root(txs: list[dict[str, Any]]) -> str:
    return tree_hash([leaf(t) for t in txs]).hex()


def audit_path(index: int, leaves: list[bytes]) -> list[bytes]:
    if len(leaves) <= 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return [*audit_path(index, leaves[:k]), tree_hash(leaves[k:])]
    return [*audit_path(index - k, leaves[k:]), tree_hash(leaves[:k])]


def header_hash(header: dict[str, Any]) -> str:
    fields = ("height", "previous_hash", "merkle_root", "timestamp")
    return sha256_hex(canonical({k: header[k] for k in fields}))


def transfer_payload(sender: str, to: str, amount: str, nonce: int) -> bytes:
    return canonical({"amount": amount, "from": sender, "nonce": nonce, "to": to})


def signature_ok(public_key_hex: str, signature_hex: str, payload: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex)).verify(bytes.fromhex(signature_hex), payload)
    except (InvalidSignature, ValueError):
        return False
    return True
