"""Waivers: a certification body's written acceptance that one requirement may stay unmet for a while.

A waivers file (YAML) lists waivers, each scoped to one requirement ID *and* one product id + version,
with the reason, the approver and an expiry date::

    waivers:
      - requirement: NAT-CREDIT-006
        product: rural-microloan
        version: 1.0.0
        reason: Reason-code catalogue is being rewritten; fixed in 1.1 (ticket RISK-118)
        approver: Chongqing sandbox office, credit desk
        expires: 2027-06-30

Rules (tested in tests/test_waivers.py):

* A waiver applies only to a requirement that *failed* (the product's fault). A ``broken`` requirement
  (the harness could not evaluate it) is never waived: fix the environment instead. A passed requirement
  stays passed (the waiver is reported as unused).
* The result keeps its real outcome (``waiver.outcome``, message, counterexample) but gets status
  ``waived``, which the verdict rule counts as a conditional pass.
* Waivers for another product, another version, or a requirement the profile does not contain do not
  apply here (listed as ignored with the reason, no warning: one file may serve many products).
* A waiver for a requirement the profile does **not** mark ``waivable: true`` is an error (exit 2): the
  approver asked for something the regulation does not allow, and a certification must not quietly
  proceed as if the waiver had been granted.
* An expired waiver (``expires`` before the run date) is ignored with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness._yaml import describe_validation_error, load_mapping
from harness.errors import HarnessError
from harness.manifests import Manifest
from harness.profiles import Profile


class WaiverError(HarnessError):
    """The waivers file is missing, malformed, or asks to waive what the profile does not allow."""


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    requirement: str = Field(pattern=r"^[A-Z]{2,4}-[A-Z0-9]+-\d{3}$")
    product: str = Field(min_length=1)
    version: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    expires: date


class WaiversFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    waivers: list[Waiver]


@dataclass
class WaiverSet:
    """The waivers that apply to one run, and the ones that do not (with why)."""

    path: str = ""
    active: dict[str, Waiver] = field(default_factory=dict)
    ignored: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def for_requirement(self, req_id: str) -> Waiver | None:
        return self.active.get(req_id)

    def describe(self) -> dict[str, Any]:
        """The ``waivers`` section of verdict.json."""
        return {
            "file": self.path,
            "active": [w.model_dump(mode="json") for w in self.active.values()],
            "ignored": self.ignored,
        }


def load_waivers(path: str | Path) -> WaiversFile:
    """Read and validate a waivers file (WaiverError naming the file and field on bad input)."""
    file = Path(path)
    data = load_mapping(file, WaiverError, "waivers")
    try:
        return WaiversFile.model_validate(data)
    except ValidationError as exc:
        raise WaiverError(describe_validation_error(file, exc, data)) from None


def select_waivers(path: str | Path, profile: Profile, manifest: Manifest, today: date | None = None
                   ) -> WaiverSet:
    """The waivers of ``path`` that apply to this product and profile on ``today``."""
    today = today or date.today()
    parsed = load_waivers(path)
    chosen = WaiverSet(path=str(path))
    by_id = {r.id: r for r in profile.requirements}
    for index, waiver in enumerate(parsed.waivers):
        where = f"{path}: waivers[{index}] ({waiver.requirement})"

        def ignore(why: str, waiver: Waiver = waiver) -> None:
            chosen.ignored.append({**waiver.model_dump(mode="json"), "ignored_because": why})

        if waiver.product != manifest.id:
            ignore(f"for product {waiver.product}, not {manifest.id}")
            continue
        if waiver.requirement not in by_id:
            ignore(f"profile {profile.id} has no requirement {waiver.requirement}")
            continue
        if not by_id[waiver.requirement].waivable:
            raise WaiverError(f"{where}: requirement: profile {profile.id} does not mark {waiver.requirement} "
                              "waivable; a waiver cannot be granted for it (remove the entry)")
        if waiver.version != manifest.version:
            ignore(f"for version {waiver.version}, not {manifest.version}")
            chosen.warnings.append(f"{where}: waiver is for version {waiver.version}; product is "
                                   f"{manifest.version}: not applied")
            continue
        if waiver.expires < today:
            ignore(f"expired on {waiver.expires.isoformat()}")
            chosen.warnings.append(f"{where}: waiver expired on {waiver.expires.isoformat()}: not applied")
            continue
        if waiver.requirement in chosen.active:
            raise WaiverError(f"{where}: requirement: a second waiver for the same requirement and product; "
                              "keep one")
        chosen.active[waiver.requirement] = waiver
    return chosen


def waiver_record(waiver: Waiver, outcome: str) -> dict[str, Any]:
    """What a waived result carries: the waiver and the real outcome it covers."""
    return {**waiver.model_dump(mode="json"), "outcome": outcome}
