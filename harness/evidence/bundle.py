"""The evidence bundle: everything needed to judge, repeat and re-check one certification run.

A bundle is the run's output folder plus a ``.tar.gz`` of it next to it::

    verdict.json  junit.xml  allure-results/     what the run found
    profile.json                                 the resolved profile (its digest in bundle.json)
    product.yaml                                 the product manifest as written
    environment.json                             harness and library versions, platform, runner, command
    bundle.json                                  ids, versions and digests of profile and product, seed
    replay/<REQ-ID>.json                         per failure: counterexample + the exact requests to re-send
    MANIFEST.sha256                              SHA-256 of every other file (``sha256sum -c`` format)

The bundle digest is the SHA-256 of MANIFEST.sha256, so it covers every file; a certificate records it.
bundle.json, environment.json and the replay files are typed documents (harness/documents/bundle.py and
replay.py; JSON Schemas in schemas/): they are written from their models and read back through them.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import shutil
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from harness import __version__
from harness.documents.base import DocumentError, Ref, parse_document, write_document
from harness.documents.bundle import BundleManifest, EnvironmentDocument
from harness.documents.replay import RecordedRequest, ReplayDocument
from harness.documents.verdict import VerdictDocument

if TYPE_CHECKING:
    from harness.session import CertificationRun
    from harness.verdict import RequirementResult

MANIFEST = "MANIFEST.sha256"
LIBRARIES = ("hypothesis", "pytest", "pydantic", "httpx", "allure-pytest", "jsonschema", "cryptography", "pandas")


M = TypeVar("M", bound=BaseModel)


class BundleError(DocumentError):
    """A bundle path is not a bundle (missing file, unreadable archive, bad JSON, a document that does not
    parse)."""


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def replay_document(run: CertificationRun, result: RequirementResult) -> ReplayDocument:
    """The replay file of one failed (or waived-failed) result: its counterexample and the requests to re-send."""
    requests = [RecordedRequest.model_validate(r) for r in run.replays.get(result.id, [])]
    exchange = result.evidence.get("exchange")
    if not requests and isinstance(exchange, dict) and exchange.get("method"):  # e.g. a timeout: no response
        body = exchange.get("request")
        requests = [RecordedRequest(method=exchange["method"], path=exchange.get("path") or "/",
                                    content_type="application/json",
                                    body=body if isinstance(body, str) else json.dumps(body, default=str),
                                    status=exchange.get("status"), response=exchange.get("response"))]
    return ReplayDocument(
        requirement=result.id, title=result.title, check=result.check,
        profile=Ref(id=run.profile.id, version=run.profile.version, digest=run.profile.digest),
        product=Ref(id=run.manifest.id, version=run.manifest.version, digest=run.product_digest()),
        runner=run.runner.name, seed=run.seed, message=result.message, counterexample=result.counterexample,
        requests=requests,
    )


def environment_document(run: CertificationRun) -> EnvironmentDocument:
    return EnvironmentDocument(
        harness=__version__, python=platform.python_version(), implementation=platform.python_implementation(),
        platform=platform.platform(), machine=platform.machine(), libraries=_versions(),
        runner=run.runner.describe(), seed=run.seed, argv=list(sys.argv),
    )


def bundle_manifest(run: CertificationRun) -> BundleManifest:
    return BundleManifest(
        created_at=datetime.now(UTC).replace(microsecond=0), harness=__version__, verdict=run.verdict(),
        seed=run.seed, runner=run.runner.name,
        profile=Ref(id=run.profile.id, version=run.profile.version, digest=run.profile.digest),
        product=Ref(id=run.manifest.id, version=run.manifest.version, digest=run.product_digest()),
        requirements=len(run.results), profile_requirements=len(run.profile.requirements), as_of=run.as_of,
    )


def write_bundle(out: Path, run: CertificationRun) -> Path:
    """Add profile, manifest, environment, replay files and MANIFEST to ``out``; write ``out``.tar.gz."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "replay", ignore_errors=True)
    _dump(out / "profile.json", run.profile.model_dump(mode="json"))
    shutil.copyfile(run.manifest.root / "product.yaml", out / "product.yaml")
    write_document(out / "environment.json", environment_document(run))
    write_document(out / "bundle.json", bundle_manifest(run))
    for result in run.results:
        if result.status == "failed" or (result.waiver or {}).get("outcome") == "failed":
            write_document(out / "replay" / f"{result.id}.json", replay_document(run, result))
    write_manifest(out)
    return write_archive(out)


def write_manifest(root: Path) -> Path:
    lines = [f"{sha256_file(path)}  {rel}" for rel, path in _files(root)]
    target = root / MANIFEST
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _files(root: Path) -> list[tuple[str, Path]]:
    found = [(p.relative_to(root).as_posix(), p) for p in root.rglob("*") if p.is_file()]
    return sorted((rel, p) for rel, p in found if rel != MANIFEST)


def write_archive(root: Path) -> Path:
    """A reproducible ``.tar.gz`` (sorted entries, zero mtimes and owners) next to the folder."""
    target = root.with_name(root.name + ".tar.gz")

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
        return info

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
        for rel, path in [*_files(root), (MANIFEST, root / MANIFEST)]:
            tar.add(path, arcname=f"{root.name}/{rel}", filter=clean)
    target.write_bytes(buffer.getvalue())
    return target


@dataclass
class Bundle:
    """An unpacked bundle, read-only."""

    root: Path
    source: str

    @property
    def digest(self) -> str:
        return "sha256:" + sha256_file(self.root / MANIFEST)

    def read_json(self, name: str) -> Any:
        path = self.root / name
        if not path.is_file():
            raise BundleError(f"{self.source}: {name}: missing from the bundle")
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BundleError(f"{self.source}: {name}: not valid JSON ({exc})") from None

    def read_model(self, name: str, model: type[M], *, what: str | None = None, hint: str | None = None) -> M:
        """Parse one file of the bundle as a typed document; BundleError naming the bundle, file and field."""
        path = self.root / name
        if not path.is_file():
            raise BundleError(f"{self.source}: {name}: missing from the bundle")
        try:
            return parse_document(model, path.read_bytes(), f"{self.source}: {name}", what=what, hint=hint)
        except DocumentError as exc:
            raise BundleError(str(exc)) from None

    def verdict(self) -> VerdictDocument:
        """verdict.json, typed."""
        return self.read_model("verdict.json", VerdictDocument, what="verdict document",
                               hint="re-run the certification")

    def manifest(self) -> BundleManifest:
        """bundle.json, typed."""
        return self.read_model("bundle.json", BundleManifest)

    def environment(self) -> EnvironmentDocument:
        """environment.json, typed."""
        return self.read_model("environment.json", EnvironmentDocument)

    def replays(self) -> list[ReplayDocument]:
        """Every replay file of the bundle (replay/<REQ-ID>.json), typed, in requirement order."""
        return [self.read_model(f"replay/{f.name}", ReplayDocument)
                for f in sorted((self.root / "replay").glob("*.json"))]

    def listed(self) -> dict[str, str]:
        """MANIFEST entries: relative path → hex SHA-256."""
        path = self.root / MANIFEST
        if not path.is_file():
            raise BundleError(f"{self.source}: {MANIFEST}: missing; not an evidence bundle (run `sandbox certify`)")
        entries: dict[str, str] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            digest, sep, rel = line.partition("  ")
            if not sep or len(digest) != 64 or not rel:
                raise BundleError(f"{self.source}: {MANIFEST} line {number}: expected '<sha256>  <path>'")
            entries[rel] = digest
        return entries

    def problems(self) -> list[str]:
        """Every way the files differ from MANIFEST (empty when the bundle is intact)."""
        listed = self.listed()
        present = dict(_files(self.root))
        issues = [f"{rel}: listed in {MANIFEST} but missing" for rel in sorted(set(listed) - set(present))]
        issues += [f"{rel}: present but not listed in {MANIFEST}" for rel in sorted(set(present) - set(listed))]
        issues += [f"{rel}: SHA-256 differs from {MANIFEST} (file changed)"
                   for rel in sorted(set(listed) & set(present)) if sha256_file(present[rel]) != listed[rel]]
        return issues


@contextmanager
def open_bundle(path: str | Path) -> Iterator[Bundle]:
    """Open a bundle folder or its ``.tar.gz`` (extracted to a temporary folder, safely)."""
    source = Path(path)
    if source.is_dir():
        yield Bundle(source, str(source))
        return
    if not source.is_file():
        raise BundleError(f"{source}: no such bundle folder or .tar.gz")
    with tempfile.TemporaryDirectory(prefix="sandbox-bundle-") as tmp:
        try:
            with tarfile.open(source, mode="r:gz") as tar:
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BundleError(f"{source}: not a readable .tar.gz bundle ({exc})") from None
        tops = [p for p in Path(tmp).iterdir() if p.is_dir()]
        if len(tops) != 1:
            raise BundleError(f"{source}: expected one bundle folder inside the archive, found {len(tops)}")
        yield Bundle(tops[0], str(source))
