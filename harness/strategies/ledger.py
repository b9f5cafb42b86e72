"""Ledger test identities and strategies: key pairs the harness owns, signed transfers, amounts.

Keys are made by the harness with ``cryptography`` (Ed25519, or ECDSA on secp256k1 where the product
declares it), derived from the run seed, so the harness signs transfers as the account owner and the same
run signs the same transfers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import strategies as st

from harness.ledgerproof import signing_payload
from harness.strategies import ids

SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@dataclass
class Wallet:
    """A key pair owned by the harness, and the account the product gave it."""

    algorithm: str
    key: Any
    account: str = ""
    public_key: str = field(init=False)

    def __post_init__(self) -> None:
        pub = self.key.public_key()
        if self.algorithm == "ed25519":
            raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        else:
            raw = pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)[1:]
        self.public_key = raw.hex()

    @classmethod
    def generate(cls, algorithm: str) -> Wallet:
        """A key pair derived from the run seed and the requirement (harness/strategies/ids.py): the same run
        opens the same accounts and signs the same bytes."""
        material = ids.key_material()
        if algorithm == "ed25519":
            return cls(algorithm, ed25519.Ed25519PrivateKey.from_private_bytes(material))
        if algorithm == "secp256k1":
            scalar = int.from_bytes(material, "big") % (SECP256K1_ORDER - 1) + 1
            return cls(algorithm, ec.derive_private_key(scalar, ec.SECP256K1()))
        raise ValueError(f"unsupported signature algorithm {algorithm!r}")

    def sign(self, payload: bytes) -> str:
        """Ed25519 signatures are deterministic by design; ECDSA ones here too (RFC 6979 nonces), so a
        signed transfer, and the transaction ID a product derives from it, is the same in every run."""
        if self.algorithm == "ed25519":
            return str(self.key.sign(payload).hex())
        r, s = decode_dss_signature(self.key.sign(payload, ec.ECDSA(hashes.SHA256(), deterministic_signing=True)))
        if s > SECP256K1_ORDER // 2:  # low-s form, as Ethereum's ecrecover expects
            s = SECP256K1_ORDER - s
        return (r.to_bytes(32, "big") + s.to_bytes(32, "big")).hex()

    def transfer(self, to: str, amount: str, nonce: int) -> dict[str, Any]:
        """A transfer signed by this wallet's owner."""
        sig = self.sign(signing_payload(self.account, to, amount, nonce))
        return {"from": self.account, "to": to, "amount": amount, "nonce": nonce, "signature": sig}


def units_to_str(units: int, decimals: int) -> str:
    """An integer number of minor units as the contract's decimal string (exactly ``decimals`` places)."""
    return f"{Decimal(units).scaleb(-decimals):.{decimals}f}"


def str_to_units(amount: str, decimals: int) -> int:
    return int(Decimal(amount).scaleb(decimals))


def unit_amounts(max_units: int = 50_000) -> st.SearchStrategy[int]:
    """Positive amounts in minor units, small ones and exact boundaries first."""
    return st.one_of(st.integers(1, 100), st.integers(1, max_units))


def forged_signature(signature: str) -> str:
    """The same signature with one bit flipped (what a forger or a corrupted relay sends)."""
    raw = bytearray(bytes.fromhex(signature))
    raw[len(raw) // 2] ^= 0x01
    return raw.hex()
