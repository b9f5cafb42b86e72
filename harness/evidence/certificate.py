"""Certificates: an in-toto Statement v1 about the product, in a DSSE envelope signed with Ed25519.

subject    the product digest (source tree in-process, image in a container) named by product id
predicate  profile id/version/digest, verdict, per-requirement results, waivers applied, bundle digest,
           validity (from the profile's ``certificate.validity_years``), signer name and role: a typed
           document (harness/documents/certificate.py, schemas/certificate-predicate.schema.json), built
           from its model and parsed through it on verification

Only a complete run (every requirement of the profile evaluated) with verdict CERTIFIED or
CERTIFIED_WITH_FINDINGS, made by the docker runner (the certification grade), from an intact bundle, may be
signed (:class:`NotEligible` otherwise). An in-process run is a development run: the product ran inside
the harness process, where it could have patched the harness or rewritten and resealed the bundle, so its
bundle proves nothing. Signing re-derives what it can rather than trust the bundle: the verdict from the
statuses, the profile digest from profile.json and (``product_dir``) the product digest from the product.
Verification (:func:`verify`) returns the reasons a certificate is invalid; an empty list means valid.
"""

from __future__ import annotations

import base64
import copy
import json
import os
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from in_toto_attestation.v1.resource_descriptor import ResourceDescriptor
from in_toto_attestation.v1.statement import Statement
from pydantic import ValidationError
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner, SSlibKey

from harness.documents.base import describe_error, parse_document
from harness.documents.certificate import PREDICATE_TYPE, CertificatePredicate, WaiverRecord, read_predicate
from harness.documents.verdict import VERDICT_SCHEMA_VERSION, VerdictDocument
from harness.errors import HarnessError
from harness.evidence.bundle import Bundle
from harness.profiles import Profile
from harness.verdict import SIGNABLE, decide

PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"


class CertificateError(HarnessError):
    """Bad input: a key or certificate file that cannot be read (usage error, exit 2)."""


class NotEligible(Exception):
    """The bundle may not be signed (verdict, partial run, tampered files); the message says why."""


# -- keys --------------------------------------------------------------------------------------------
def generate_keypair(path: Path, *, force: bool = False) -> tuple[Path, Path]:
    """Write an Ed25519 private key (PEM PKCS#8, mode 0600) to ``path`` and its public key to ``path.pub``."""
    public = path.with_name(path.name + ".pub")
    for target in (path, public):
        if target.exists() and not force:
            raise CertificateError(f"{target}: already exists; choose another path or pass --force")
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_pem)
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    return path, public


def _read(path: Path, what: str) -> bytes:
    try:
        if not path.is_file():
            raise CertificateError(f"{path}: {what} file not found")
        if path.stat().st_size > 16 * 1024 * 1024:
            raise CertificateError(f"{path}: {what} file larger than 16 MiB; this is not a {what}")
        return path.read_bytes()
    except OSError as exc:  # a name too long, a folder, no permission
        raise CertificateError(f"{path}: cannot read the {what} file ({exc.strerror})") from None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(_read(path, "private key"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise CertificateError(f"{path}: not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CertificateError(f"{path}: key type {type(key).__name__}; an Ed25519 key is required (sandbox keygen)")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(_read(path, "public key"))
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise CertificateError(f"{path}: not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise CertificateError(f"{path}: key type {type(key).__name__}; an Ed25519 public key is required")
    return key


def key_id(key: Ed25519PublicKey) -> str:
    return str(SSlibKey.from_crypto(key).keyid)


# -- signing -----------------------------------------------------------------------------------------
def _profile(bundle: Bundle) -> Profile:
    return bundle.read_model("profile.json", Profile, what="resolved profile", hint="re-run the certification")


def eligibility(bundle: Bundle, product_dir: str | Path | None = None) -> VerdictDocument:
    """The verdict document of a bundle that may be signed; NotEligible with the reason otherwise.

    The verdict is re-decided from the recorded statuses (never taken from the document's own ``verdict``),
    over every requirement of the bundled profile: a partial, interrupted or incomplete run cannot be signed.
    Only a docker run can be signed; the profile digest is recomputed from profile.json, and with
    ``product_dir`` the product digest from the product folder.
    """
    problems = bundle.problems()
    if problems:
        raise NotEligible(f"bundle {bundle.source} is not intact: {problems[0]}")
    try:
        document = VerdictDocument.model_validate(bundle.read_json("verdict.json"))
    except ValidationError as exc:
        raise NotEligible(f"bundle {bundle.source}: verdict.json is not a verdict document of schema version "
                          f"{VERDICT_SCHEMA_VERSION} ({exc.errors()[0]['msg']}); re-run the certification") from None
    profile = _profile(bundle)
    wanted = {r.id for r in profile.requirements}
    ran = {r.id for r in document.requirements}
    if wanted - ran or not document.selection.complete:
        missing = sorted(wanted - ran) or [r.id for r in document.requirements if r.status == "not_evaluated"]
        raise NotEligible(f"partial run: requirement(s) of profile {profile.id} were not evaluated "
                          f"({', '.join(missing[:5]) or 'selection or interruption recorded'}); certify the full "
                          "profile")
    if not document.scope.capabilities:
        raise NotEligible("the run certified no capability (empty scope); nothing can be signed")
    recomputed = decide(document.requirements)
    if recomputed != document.verdict:
        raise NotEligible(f"verdict.json says {document.verdict} but its requirement statuses give {recomputed}")
    if recomputed not in SIGNABLE:
        bad = [f"{r.id} {r.status}" for r in document.requirements
               if r.level == "MUST" and r.status in ("failed", "broken", "not_evaluated")]
        hint = f"; {document.next_step}" if document.next_step else ""
        raise NotEligible(f"verdict is {recomputed}; only CERTIFIED or CERTIFIED_WITH_FINDINGS may be signed "
                          f"(MUST requirements not met: {', '.join(bad) or 'none evaluated'}){hint}")
    manifest = bundle.manifest()
    runners = {str(document.runner.get("name")), manifest.runner}
    if runners != {"docker"}:
        made = " and ".join(sorted(runners - {"docker"}))
        raise NotEligible(f"bundle {bundle.source} is a development run of the {made} runner (the product ran inside "
                          "the harness process, so the run proves nothing) and cannot be signed; certify with "
                          "--runner docker")
    if profile.digest != document.profile.digest:
        raise NotEligible(f"bundle {bundle.source}: profile.json has digest {profile.digest[:23]}…, verdict.json "
                          f"records {document.profile.digest[:23]}…; the profile was changed after the run")
    digest = document.product.digest
    if not digest.startswith("sha256:"):
        raise NotEligible(f"the product digest is unknown ({digest!r}); the run did not record what was tested")
    recorded = {"verdict": manifest.verdict, "profile digest": manifest.profile.digest,
                "product digest": manifest.product.digest, "seed": manifest.seed}
    stated = {"verdict": document.verdict, "profile digest": document.profile.digest, "product digest": digest,
              "seed": document.seed}
    differ = [name for name in recorded if recorded[name] != stated[name]]
    if differ:
        raise NotEligible(f"bundle {bundle.source}: bundle.json and verdict.json disagree on {', '.join(differ)}; "
                          "they are not from the same run")
    if product_dir is not None:
        problem = product_problem(str(document.runner.get("name")), document.product.id, document.product.version,
                                  digest, product_dir)
        if problem:
            raise NotEligible(problem)
    return document


def _predicate(bundle: Bundle, document: VerdictDocument, signer: str, role: str, issued: datetime
               ) -> CertificatePredicate:
    years = _profile(bundle).certificate.validity_years
    try:
        expires = issued.replace(year=issued.year + years)
    except ValueError:  # 29 February
        expires = issued.replace(year=issued.year + years, day=28)
    waived = [parse_document(WaiverRecord, r.waiver, f"{bundle.source}: verdict.json: requirement {r.id}: waiver")
              for r in document.requirements if r.waiver]
    for waiver in waived:  # a conditional pass lasts no longer than the waivers it rests on
        expires = min(expires, datetime.combine(waiver.expires, time(23, 59, 59), UTC))
    product = document.product
    fields = {  # validated as a whole, so an error names the field from the predicate down (signer.name)
        "verdict": document.verdict,
        "profile": {"id": document.profile.id, "version": document.profile.version, "digest": document.profile.digest},
        "product": {"id": product.id, "version": product.version, "name": product.name, "vendor": product.vendor,
                    "digest": product.digest},
        "runner": str(document.runner.get("name") or "inprocess"), "seed": document.seed, "as_of": document.as_of,
        "scope": document.scope.model_dump(), "harness": document.harness.version,
        "requirements": [{"id": r.id, "level": r.level, "status": r.status, "title": r.title}
                         for r in document.requirements],
        "waivers": waived,
        "bundle": {"digest": bundle.digest, "name": Path(bundle.source).name},
        "validity": {"notBefore": issued, "notAfter": expires, "years": years},
        "signer": {"name": signer, "role": role},
        "run": {"started_at": document.started_at, "finished_at": document.finished_at},
    }
    try:
        return CertificatePredicate.model_validate(fields)
    except ValidationError as exc:
        raise CertificateError(describe_error(exc, f"{bundle.source}: certificate predicate", CertificatePredicate,
                                              hint="fix the signer or re-run the certification")) from None


def build_statement(bundle: Bundle, *, signer: str, role: str, issued_at: datetime | None = None,
                    product_dir: str | Path | None = None) -> dict[str, Any]:
    """The in-toto Statement (as JSON-ready data) about an eligible bundle's product; its predicate is a
    :class:`CertificatePredicate`."""
    document = eligibility(bundle, product_dir)
    issued = (issued_at or datetime.now(UTC)).replace(microsecond=0)
    predicate = _predicate(bundle, document, signer, role, issued)
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": f"{predicate.product.id}@{predicate.product.version}",
                     "digest": {"sha256": predicate.product.digest.removeprefix("sha256:")}}],
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate.model_dump(mode="json"),
    }
    _validate_statement(statement)
    return statement


def _validate_statement(statement: dict[str, Any]) -> None:
    """Structural check with the in-toto attestation reference library."""
    subjects = [ResourceDescriptor(name=s["name"], digest=s["digest"]).pb for s in statement["subject"]]
    Statement(subjects, statement["predicateType"], {"verdict": statement["predicate"]["verdict"]}).validate()


def sign_statement(statement: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    payload = json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    envelope = Envelope(payload=payload, payload_type=PAYLOAD_TYPE, signatures={})
    envelope.sign(CryptoSigner(key))
    return dict(envelope.to_dict())


# -- verification ------------------------------------------------------------------------------------
def read_certificate(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(_read(path, "certificate").decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CertificateError(f"{path}: not a JSON certificate ({exc})") from None
    except (RecursionError, ValueError) as exc:  # absurd nesting or a number too long to convert
        raise CertificateError(f"{path}: not a certificate ({type(exc).__name__}: "
                               f"{str(exc).splitlines()[0][:100]}); pass the .cert.json `sandbox sign` wrote") from None
    if not isinstance(data, dict) or not {"payload", "payloadType", "signatures"} <= set(data):
        raise CertificateError(f"{path}: not a DSSE envelope (needs payload, payloadType, signatures)")
    return data


def check_signature(envelope: dict[str, Any], key: Ed25519PublicKey) -> tuple[list[str], dict[str, Any]]:
    """(problems, statement). The statement is only trustworthy when problems is empty."""
    trusted = SSlibKey.from_crypto(key)
    try:
        parsed = Envelope.from_dict(copy.deepcopy(envelope))
        statement = json.loads(parsed.payload)
    except Exception as exc:  # any malformed field in the envelope
        return [f"certificate envelope is malformed ({type(exc).__name__}: {exc})"], {}
    if parsed.payload_type != PAYLOAD_TYPE:
        return [f"payloadType is {parsed.payload_type!r}, expected {PAYLOAD_TYPE!r}"], statement
    if trusted.keyid not in parsed.signatures:
        signers = ", ".join(k[:16] for k in parsed.signatures) or "nobody"
        return [f"wrong key: signed by key {signers}…, not by the trusted key {trusted.keyid[:16]}…"], statement
    try:
        parsed.verify([trusted], 1)
    except Exception:
        return ["signature does not match the certificate content (certificate changed after signing)"], statement
    if not isinstance(statement, dict):
        return ["certificate payload is not an in-toto statement (not a JSON object)"], {}
    return [], statement


def check_statement(statement: dict[str, Any], predicate: CertificatePredicate, at: datetime) -> list[str]:
    problems = []
    if predicate.verdict not in SIGNABLE:
        problems.append(f"verdict {predicate.verdict} is not a certifying verdict")
    subject = statement["subject"][0]["digest"]["sha256"]
    if f"sha256:{subject}" != predicate.product.digest:
        problems.append(f"subject digest {subject[:16]}… is not the certified product digest "
                        f"{predicate.product.digest[:23]}…")
    if at > predicate.validity.notAfter:
        problems.append(f"expired on {predicate.validity.notAfter.date().isoformat()} "
                        f"(checked at {at.date().isoformat()})")
    if at < predicate.validity.notBefore:
        problems.append(f"not valid before {predicate.validity.notBefore.isoformat()}")
    return problems


def check_bundle(predicate: CertificatePredicate, bundle: Bundle) -> list[str]:
    problems = [f"bundle {p}" for p in bundle.problems()]
    if bundle.digest != predicate.bundle.digest:
        problems.append(f"bundle digest {bundle.digest[:23]}… is not the certified "
                        f"{predicate.bundle.digest[:23]}… (MANIFEST.sha256 was changed or this is another run)")
    if problems:
        return problems
    verdict = bundle.verdict()
    if verdict.verdict != predicate.verdict:
        problems.append(f"verdict.json says {verdict.verdict}, the certificate {predicate.verdict}")
    statuses = verdict.statuses()
    for r in predicate.requirements:
        if statuses.get(r.id) != r.status:
            problems.append(f"{r.id}: bundle status {statuses.get(r.id)}, certified {r.status}")
    return problems


def product_problem(runner: str, product_id: str, version: str, recorded: str, product_dir: str | Path
                    ) -> str | None:
    """Why the product folder is not the product recorded (id, version, digest recomputed the way ``runner``
    computes it: the build context for docker); None when it is."""
    from harness.manifests import load_manifest
    from harness.runners import get_runner

    manifest = load_manifest(product_dir)
    if (manifest.id, manifest.version) != (product_id, version):
        return (f"product changed: {product_dir} is {manifest.id} {manifest.version}, the certificate is for "
                f"{product_id} {version}")
    digest = get_runner(runner).product_digest(manifest)
    if digest != recorded:
        return f"product changed: digest today {digest[:23]}…, certified {recorded[:23]}… ({product_dir})"
    return None


def check_product(statement: dict[str, Any], predicate: CertificatePredicate, product_dir: str) -> list[str]:
    certified = "sha256:" + statement["subject"][0]["digest"]["sha256"]
    problem = product_problem(predicate.runner, predicate.product.id, predicate.product.version, certified,
                              product_dir)
    return [problem] if problem else []


def check_profile(predicate: CertificatePredicate, profile: Profile) -> list[str]:
    """The profile as it is today (loaded by name or path) against the certified id, version and digest."""
    certified = predicate.profile
    if (profile.id, profile.version) != (certified.id, certified.version):
        return [f"profile mismatch: {profile.path} is {profile.id} {profile.version}, the certificate is for "
                f"{certified.id} {certified.version}"]
    if profile.digest != certified.digest:
        return [f"profile changed: {profile.path} has digest {profile.digest[:23]}… today, certified "
                f"{certified.digest[:23]}… (same id and version, different content)"]
    return []


def verify(envelope: dict[str, Any], key: Ed25519PublicKey, *, bundle: Bundle | None = None,
           product_dir: str | None = None, profile: Profile | None = None, at: datetime | None = None,
           source: str = "certificate") -> tuple[list[str], dict[str, Any]]:
    """Every reason the certificate is invalid (empty: valid), and the statement it carries.

    A validly signed statement whose predicate does not parse is bad input (DocumentError naming ``source``
    and the field), not a verdict about the product."""
    problems, statement = check_signature(envelope, key)
    if problems:
        return problems, statement
    if statement.get("_type") != STATEMENT_TYPE or statement.get("predicateType") != PREDICATE_TYPE:
        return [f"not a sandbox certification statement (predicateType {statement.get('predicateType')!r}, "
                f"expected {PREDICATE_TYPE!r})"], statement
    predicate = read_predicate(statement, source)
    try:
        problems = check_statement(statement, predicate, at or datetime.now(UTC))
        if bundle is not None:
            problems += check_bundle(predicate, bundle)
        if product_dir is not None:
            problems += check_product(statement, predicate, product_dir)
        if profile is not None:
            problems += check_profile(predicate, profile)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        problems.append(f"certificate statement is malformed ({type(exc).__name__}: {exc})")
    return problems, statement


def payload_of(envelope: dict[str, Any]) -> dict[str, Any]:
    """The statement inside an envelope, unverified (for display and tests)."""
    return dict(json.loads(base64.b64decode(envelope["payload"])))


def expiry(statement: dict[str, Any]) -> datetime:
    return read_predicate(statement).validity.notAfter
