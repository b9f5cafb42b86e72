"""The harness's own verification of exported ledgers: canonical encoding, hashes, Merkle trees, proofs.

The ledger contract (``contracts/ledger.yaml``) fixes the encoding, so the harness never has to trust a
product's "verify" endpoint:

* canonical JSON: keys sorted, no whitespace, UTF-8 (``json.dumps(..., sort_keys=True, separators=(",", ":"),
  ensure_ascii=False)``); amounts are decimal strings, nonces integers.
* transaction id: hex SHA-256 of the canonical JSON of the transaction body (every field but ``id``).
* Merkle tree over the transaction bodies of a block as in RFC 6962 §2.1 (Certificate Transparency):
  leaf = SHA-256(0x00 || canonical tx body), node = SHA-256(0x01 || left || right), empty tree =
  SHA-256(""); an inclusion proof is the audit path of RFC 9162 §2.1.3 (siblings, bottom-up).
* block hash: hex SHA-256 of the canonical JSON of the header {height, previous_hash, merkle_root,
  timestamp}; the genesis block's ``previous_hash`` is 64 zeros.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS_PREVIOUS = "0" * 64
HEADER_FIELDS = ("height", "previous_hash", "merkle_root", "timestamp")
TX_BODY_FIELDS = ("kind", "from", "to", "amount", "nonce", "signature", "data")


def canonical(obj: Any) -> bytes:
    """The contract's canonical JSON bytes of ``obj``."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tx_body(tx: dict[str, Any]) -> dict[str, Any]:
    """The signed/hashed part of a transaction as exported (every field but ``id``)."""
    return {k: v for k, v in tx.items() if k != "id"}


def tx_id(tx: dict[str, Any]) -> str:
    return sha256_hex(canonical(tx_body(tx)))


def signing_payload(sender: str, recipient: str, amount: str, nonce: int) -> bytes:
    """What the owner of ``sender`` signs for a transfer (canonical JSON of the four fields)."""
    return canonical({"amount": amount, "from": sender, "nonce": nonce, "to": recipient})


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """Largest power of two strictly smaller than ``n`` (n ≥ 2)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def merkle_root_of(leaves: list[bytes]) -> bytes:
    """RFC 6962 Merkle Tree Hash of already-hashed leaves."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node_hash(merkle_root_of(leaves[:k]), merkle_root_of(leaves[k:]))


def merkle_root(txs: list[dict[str, Any]]) -> str:
    """Hex Merkle root of a block's transactions, recomputed from their bodies."""
    return merkle_root_of([leaf_hash(canonical(tx_body(t))) for t in txs]).hex()


def audit_path(index: int, leaves: list[bytes]) -> list[bytes]:
    """RFC 6962 audit path for leaf ``index`` (used by reference products and the self-tests)."""
    if len(leaves) <= 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return [*audit_path(index, leaves[:k]), merkle_root_of(leaves[k:])]
    return [*audit_path(index - k, leaves[k:]), merkle_root_of(leaves[:k])]


def verify_inclusion(tx: dict[str, Any], index: int, size: int, path: list[str], root: str) -> bool:
    """RFC 9162 §2.1.3.2: does ``path`` prove ``tx`` is leaf ``index`` of a tree of ``size`` with ``root``?"""
    if not 0 <= index < size:
        return False
    try:
        siblings = [bytes.fromhex(p) for p in path]
    except ValueError:
        return False
    fn, sn = index, size - 1
    r = leaf_hash(canonical(tx_body(tx)))
    for p in siblings:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            while fn % 2 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r.hex() == root


def block_hash(header: dict[str, Any]) -> str:
    return sha256_hex(canonical({k: header[k] for k in HEADER_FIELDS}))


@dataclass
class ChainProblem:
    height: int
    problem: str

    def as_dict(self) -> dict[str, Any]:
        return {"height": self.height, "problem": self.problem}


def verify_block(block: dict[str, Any], previous: dict[str, Any] | None) -> list[ChainProblem]:
    """Everything wrong with one exported block (its hash, link, Merkle root, transaction ids)."""
    header, height = block["header"], block["header"]["height"]
    problems: list[ChainProblem] = []
    if block["hash"] != block_hash(header):
        problems.append(ChainProblem(height, f"block hash {block['hash']} is not SHA-256 of its header "
                                             f"({block_hash(header)})"))
    expected_prev = GENESIS_PREVIOUS if previous is None else previous["hash"]
    if header["previous_hash"] != expected_prev:
        problems.append(ChainProblem(height, f"previous_hash {header['previous_hash']} does not link to "
                                             f"{expected_prev}"))
    root = merkle_root(block["transactions"])
    if header["merkle_root"] != root:
        problems.append(ChainProblem(height, f"merkle_root {header['merkle_root']} does not match its "
                                             f"{len(block['transactions'])} transactions (recomputed {root})"))
    for tx in block["transactions"]:
        if tx["id"] != tx_id(tx):
            problems.append(ChainProblem(height, f"transaction id {tx['id']} is not the hash of its body"))
    return problems


def verify_chain(blocks: list[dict[str, Any]]) -> list[ChainProblem]:
    """Problems of a whole exported chain, genesis first (an empty list means it verifies)."""
    problems: list[ChainProblem] = []
    previous: dict[str, Any] | None = None
    for expected_height, block in enumerate(blocks):
        if block["header"]["height"] != expected_height:
            problems.append(ChainProblem(expected_height, f"block at position {expected_height} says height "
                                                          f"{block['header']['height']}"))
        problems.extend(verify_block(block, previous))
        previous = block
    return problems
