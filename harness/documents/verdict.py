"""``verdict.json``: the stable interface documented in DESIGN.md, as a typed document."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.errors import HarnessError
from harness.verdict import SIGNABLE, RequirementResult, Verdict

VERDICT_SCHEMA_VERSION: Literal[2] = 2


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProfileRef(_Doc):
    id: str
    version: str
    digest: str
    lineage: list[str] = Field(default_factory=list)
    region: str = ""


class ProductRef(_Doc):
    id: str
    version: str
    digest: str
    name: str = ""
    vendor: str = ""
    lender_type: str = ""


class Scope(_Doc):
    """What this run certifies: the product's capabilities that the profile certifies."""

    capabilities: list[str] = Field(description="Capabilities certified by this run")
    excluded: list[str] = Field(default_factory=list,
                                description="Capabilities of the profile outside this product's scope")
    required: dict[str, list[str]] = Field(default_factory=dict,
                                           description="The profile's rule: capability → capabilities it requires")


class Selection(_Doc):
    """How much of the profile this run set out to evaluate."""

    complete: bool = Field(description="Every requirement of the profile was selected and the run finished")
    selected: list[str] | None = Field(None, description="Requirement IDs selected (pytest -k/--lf); None = all")
    interrupted: bool = False


class HarnessInfo(_Doc):
    version: str
    python: str


class VerdictDocument(_Doc):
    schema_version: Literal[2] = VERDICT_SCHEMA_VERSION
    verdict: Verdict
    reasons: list[str] = Field(default_factory=list, description="What kept the verdict from CERTIFIED")
    next_step: str | None = Field(None, description="For INCOMPLETE: what to run to complete the certification")
    profile: ProfileRef
    product: ProductRef
    scope: Scope
    runner: dict[str, Any]
    seed: int
    as_of: date = Field(description="The run's date: every check that needs 'today' uses it")
    harness: HarnessInfo
    counts: dict[str, int]
    started_at: str
    finished_at: str
    selection: Selection
    requirements: list[RequirementResult]
    not_evaluated: list[str] = Field(default_factory=list)
    waivers: dict[str, Any] = Field(default_factory=dict)

    def statuses(self) -> dict[str, str]:
        return {r.id: r.status for r in self.requirements}

    def unsignable_reason(self) -> str | None:
        """Why this run cannot be signed (None: it may be, if its bundle is intact). `sign` decides for real."""
        return unsignable_reason(self.model_dump(mode="json"))


def unsignable_reason(document: dict[str, Any]) -> str | None:
    """The first reason a verdict document cannot be signed, in words for a person; None when it may be."""
    if document.get("verdict") not in SIGNABLE:
        return f"the verdict is {document.get('verdict')}"
    if not document.get("selection", {}).get("complete", False):
        return "the run did not evaluate the whole profile"
    if document.get("runner", {}).get("grade") != "certification":
        return "it is a development run (in-process); certify with --runner docker"
    return None


def read_verdict(path: str | Path) -> VerdictDocument:
    """Parse ``verdict.json`` (a folder holding it is accepted); HarnessError naming the file otherwise."""
    file = Path(path)
    if file.is_dir():
        file = file / "verdict.json"
    try:
        return VerdictDocument.model_validate_json(file.read_bytes())
    except FileNotFoundError:
        raise HarnessError(f"{file}: no verdict.json here; pass a certification's output folder") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(document)"
        raise HarnessError(f"{file}: {where}: {first['msg']}; it is not a verdict document of schema version "
                           f"{VERDICT_SCHEMA_VERSION} (re-run the certification)") from None
