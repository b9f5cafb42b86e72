"""The certificate predicate: what a signed certificate says about the product, typed.

A certificate is an in-toto Statement v1 in a DSSE envelope (harness/evidence/certificate.py; that format is
the in-toto one and stays as it is). Its ``predicate`` is this document, identified by ``predicateType``
:data:`PREDICATE_TYPE`; its JSON Schema is ``schemas/certificate-predicate.schema.json``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import Field

from harness.documents.base import Document, Ref, Timestamp, parse_document
from harness.documents.verdict import Scope
from harness.verdict import Status, Verdict
from harness.waivers import Waiver

# The predicate type names the predicate's format; schema_version 1 is that format, now typed (a predicate
# signed before schema_version existed has the same fields and parses as version 1).
PREDICATE_TYPE = "urn:fintech-sandbox:certification:v1"
PREDICATE_SCHEMA_VERSION: Literal[1] = 1


class CertifiedProduct(Document):
    id: str
    version: str
    name: str = ""
    vendor: str = ""
    digest: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description="Also the statement's subject digest")


class CertifiedRequirement(Document):
    id: str
    level: Literal["MUST", "SHOULD"]
    status: Status
    title: str


class WaiverRecord(Waiver):
    """A waiver a certified result rests on, with the real outcome it covers."""

    outcome: str = Field(description="The requirement's real outcome (failed)")


class BundleRef(Document):
    digest: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description="SHA-256 of the bundle's MANIFEST.sha256")
    name: str = Field(description="File or folder name of the bundle that was signed")


class Validity(Document):
    notBefore: Timestamp  # the JSON names X.509 uses
    notAfter: Timestamp
    years: int = Field(ge=1, description="The profile's certificate.validity_years")


class Signer(Document):
    name: str = Field(min_length=1, description="Person who authorised the certificate")
    role: str = Field(min_length=1)


class RunTimes(Document):
    started_at: str
    finished_at: str


class CertificatePredicate(Document):
    """The statement's predicate: verdict, profile, product, per-requirement results, waivers, bundle, validity,
    signer. ``validity.notAfter`` is never later than the earliest expiry of the waivers it rests on."""

    document_name: ClassVar[str] = "certificate predicate"
    fix_hint: ClassVar[str] = "sign the bundle again with this harness"

    schema_version: Literal[1] = PREDICATE_SCHEMA_VERSION
    verdict: Verdict
    profile: Ref
    product: CertifiedProduct
    runner: str
    seed: int = Field(ge=0)
    as_of: date
    scope: Scope
    harness: str = Field(description="Harness version of the certified run")
    requirements: list[CertifiedRequirement]
    waivers: list[WaiverRecord] = Field(default_factory=list)
    bundle: BundleRef
    validity: Validity
    signer: Signer
    run: RunTimes


def read_predicate(statement: dict[str, Any], source: str = "certificate") -> CertificatePredicate:
    """The typed predicate of a statement; DocumentError naming ``source`` and the field otherwise."""
    return parse_document(CertificatePredicate, statement.get("predicate"), f"{source}: predicate")
