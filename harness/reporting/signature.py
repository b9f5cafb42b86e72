"""The signature block of a summary: who signed the certificate of a bundle, with which key, when.

Read from the certificate ``sandbox sign`` wrote (a DSSE envelope); displayed, not verified: the block names
the ``sandbox verify`` command that checks it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from harness.errors import HarnessError


@dataclass(frozen=True)
class SignatureBlock:
    signer: str
    role: str
    key_id: str
    signed_on: str
    valid_until: str
    certificate: str
    certificate_digest: str
    bundle_digest: str
    matches_bundle: bool


def find_certificate(bundle: str) -> Path | None:
    """``<bundle name>.cert.json`` next to the bundle (where ``sandbox sign`` writes it), if it is there."""
    path = Path(bundle.rstrip("/"))
    cert = path.with_name(path.name.removesuffix(".tar.gz") + ".cert.json")
    return cert if cert.is_file() else None


def signature_of(cert: Path, bundle_digest: str = "") -> SignatureBlock:
    """The block for a certificate file; HarnessError (one line) when it is not a certificate."""
    from harness.documents.certificate import read_predicate
    from harness.evidence.certificate import payload_of, read_certificate

    envelope = read_certificate(cert)
    try:
        statement = payload_of(envelope)
        key_id = str(envelope["signatures"][0]["keyid"])
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise HarnessError(f"{cert}: not a certificate `sandbox sign` wrote ({type(exc).__name__})") from None
    predicate = read_predicate(statement, str(cert))
    return SignatureBlock(
        signer=predicate.signer.name, role=predicate.signer.role, key_id=key_id,
        signed_on=predicate.validity.notBefore.date().isoformat(),
        valid_until=predicate.validity.notAfter.date().isoformat(), certificate=cert.name,
        certificate_digest="sha256:" + hashlib.sha256(cert.read_bytes()).hexdigest(),
        bundle_digest=predicate.bundle.digest,
        matches_bundle=not bundle_digest or bundle_digest == predicate.bundle.digest,
    )
