"""``bundle.json`` (what the evidence bundle is about) and ``environment.json`` (what produced it), typed.

Both are written by :func:`harness.evidence.bundle.write_bundle`; MANIFEST.sha256 covers them, so a
certificate covers them too. Their JSON Schemas are ``schemas/bundle.schema.json`` and
``schemas/environment.schema.json``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import Field

from harness.documents.base import Document, Ref, Timestamp
from harness.verdict import Verdict

BUNDLE_SCHEMA_VERSION: Literal[2] = 2  # 1 was the untyped {"schema": "sandbox-bundle/1"}
ENVIRONMENT_SCHEMA_VERSION: Literal[1] = 1


class BundleManifest(Document):
    """``bundle.json``: ids, versions and digests of profile and product, seed, runner and verdict of the run."""

    document_name: ClassVar[str] = "bundle manifest"

    schema_version: Literal[2] = BUNDLE_SCHEMA_VERSION
    created_at: Timestamp = Field(description="When the bundle was sealed (ISO 8601, UTC)")
    harness: str = Field(description="Harness version that wrote the bundle")
    verdict: Verdict
    seed: int = Field(ge=0)
    runner: str = Field(description="Runner name (inprocess, docker)")
    profile: Ref
    product: Ref
    requirements: int = Field(ge=0, description="Requirements with a result recorded in this run")
    profile_requirements: int = Field(ge=0, description="Requirements of the resolved profile")
    as_of: date = Field(description="The run's date: every check that needs 'today' used it")


class EnvironmentDocument(Document):
    """``environment.json``: harness and library versions, platform, runner and command line of the run."""

    document_name: ClassVar[str] = "environment record"

    schema_version: Literal[1] = ENVIRONMENT_SCHEMA_VERSION
    harness: str
    python: str
    implementation: str = Field(description="Python implementation, e.g. CPython")
    platform: str
    machine: str
    libraries: dict[str, str] = Field(description="Library → installed version ('not installed' when absent)")
    runner: dict[str, Any] = Field(description="The runner's own description (name, options, image, limits)")
    seed: int = Field(ge=0)
    argv: list[str] = Field(description="Command line of the process that ran the certification")
