"""``campaign.json``: the result of ``sandbox campaign`` (every product × profile pair it fits), typed.

Written by :func:`harness.campaign.run_campaign` and read back by ``sandbox campaign --rerun-failed``; its
JSON Schema is ``schemas/campaign.schema.json``. A pair's ``verdict`` is the one its own ``verdict.json``
gives, or INCOMPLETE when the certification ended without one (``error`` says why); ``counts`` are its
requirements by status (passed, failed, broken, not_applicable, not_evaluated, waived).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field

from harness.documents.base import Document, read_document, write_document
from harness.verdict import Status, Verdict

CAMPAIGN_SCHEMA_VERSION: Literal[2] = 2  # 1 was the untyped {"schema": "sandbox-campaign/1"}


class PairResult(Document):
    """One (product, profile) certification of the campaign."""

    product: str = Field(description="Product folder as given")
    profile: str = Field(description="Profile name or path as given")
    product_id: str
    profile_id: str
    key: str = Field(description="<product id>__<profile id>: the pair's folder under the campaign's --out")
    exit_code: int = Field(description="Exit code of its `sandbox certify` process")
    seconds: float = Field(ge=0)
    verdict: Verdict
    counts: dict[Status, int] = Field(default_factory=dict,
                                      description="Requirements by status, from the pair's verdict.json "
                                                  "(empty when the run left no verdict)")
    next_step: str | None = Field(None, description="For INCOMPLETE: what to run to complete the certification")
    bundle: str = Field(description="The pair's evidence bundle folder")
    archive: str = Field(description="The bundle's .tar.gz")
    error: str = Field("", description="Why the run ended without a verdict (last line it printed)")
    rerun: bool = Field(False, description="Run by this campaign (false: kept from the previous one)")


class NotApplicablePair(Document):
    """A pair not certified: the profile does not apply to the product (the product has none of the
    capabilities the profile focuses on)."""

    product: str
    profile: str
    missing_capabilities: list[str]


class CampaignDocument(Document):
    """Every pair certified (or kept from the previous campaign with --rerun-failed), and the pairs left out."""

    document_name: ClassVar[str] = "campaign result"
    fix_hint: ClassVar[str] = "run the campaign again without --rerun-failed"

    schema_version: Literal[2] = CAMPAIGN_SCHEMA_VERSION
    workers: int = Field(ge=1)
    wall_seconds: float = Field(ge=0)
    pairs: list[PairResult]
    not_applicable: list[NotApplicablePair] = Field(default_factory=list,
                                                    description="Pairs left out: the profile does not apply")
    rerun_failed: bool = False


def read_campaign(path: str | Path) -> CampaignDocument:
    """Parse ``campaign.json``; DocumentError naming the file and the field otherwise."""
    return read_document(CampaignDocument, path)


def write_campaign(path: Path, document: CampaignDocument) -> Path:
    return write_document(path, document)
