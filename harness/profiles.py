"""Sandbox profiles: YAML data → validated, ``extends``-resolved :class:`Profile` with a digest.

A profile file may ``extends`` another (looked up next to it); the child inherits every requirement,
may ``overrides`` a parent requirement's level, severity, waivability, budget or parameters (parameters
are merged key by key), may ``remove`` parent requirements, and adds its own. Budgets and protected
attributes are inherited unless set. The digest is the SHA-256 of the resolved profile's canonical JSON.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from harness._yaml import describe_validation_error, did_you_mean, load_mapping, printable
from harness.errors import ProfileError

Level = Literal["MUST", "SHOULD"]
Severity = Literal["blocker", "critical", "normal", "minor", "trivial"]
REQUIREMENT_ID = r"^[A-Z]{2,4}-[A-Z0-9]+-\d{3}$"
PROFILE_ID = r"^[a-z][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a requirement comes from, and whether its figures are settled."""

    regulation: str = Field(description="Title of the regulation or standard")
    number: str = Field(description="Its official number, e.g. 'Fa Shi [2020] No. 6'")
    article: str = Field(description="Article or clause, e.g. 'Art. 26'")
    date: date
    status: Literal["confirmed", "draft"] = Field(
        description="'confirmed': figures from a rule in force; 'draft': from a draft or unverified"
    )
    url: str | None = Field(
        None, pattern=r"^https?://\S+$",
        description="Stable public address of the text: the regulator's page or a standards catalogue entry")
    retrieved: _dt.date | None = Field(None, description="When the text at `url` was last read to confirm this entry")
    note: str | None = None

    def missing(self) -> list[str]:
        """What a citation people can follow lacks: ``url``, ``retrieved`` (``status`` is always required)."""
        return [name for name in ("url", "retrieved") if getattr(self, name) is None]


class Budget(_Strict):
    """The Hypothesis budget of a profile (becomes a registered Hypothesis settings profile)."""

    max_examples: int = Field(100, ge=1, le=100_000)
    derandomize: bool = True
    seed: int = Field(20201, ge=0)
    deadline_ms: int | None = Field(None, ge=1)
    request_timeout_s: float = Field(5.0, gt=0, le=600)
    shrink_examples: int = Field(
        200, ge=1, le=100_000,
        description="Examples re-run to shrink one failure: a count, so the same seed shrinks to the same "
        "counterexample on an idle or a loaded machine")


class BudgetPatch(_Strict):
    max_examples: int | None = Field(None, ge=1, le=100_000)
    derandomize: bool | None = None
    seed: int | None = Field(None, ge=0)
    deadline_ms: int | None = Field(None, ge=1)
    request_timeout_s: float | None = Field(None, gt=0, le=600)
    shrink_examples: int | None = Field(None, ge=1, le=100_000)


class CertificatePolicy(_Strict):
    validity_years: int = Field(3, ge=1, le=10)


class ContainerLimits(_Strict):
    """Resource limits for the product container (used by the docker runner)."""

    memory_mb: int = Field(512, ge=32)
    cpus: float = Field(1.0, gt=0)
    pids: int = Field(128, ge=8)
    data_mb: int = Field(64, ge=1, le=16_384, description="Size of the product's /data (a tmpfs): writing more "
                         "fails inside the product (ENOSPC), never fills the host")
    log_tail_kb: int = Field(256, ge=4, le=65_536, description="The product's log is kept as its last this many "
                             "KiB (the engine rotates the rest away): evidence, never the harness's memory")
    max_response_kb: int = Field(4096, ge=1, le=1_048_576, description="Largest response body the harness reads; "
                                 "a longer one is cut there and fails the requirement")
    requirement_wall_s: float = Field(1200, gt=0, le=86_400, description="Wall time of one requirement; once "
                                      "spent, the product's next request fails the requirement")


class NotApplicableRule(_Strict):
    """When a requirement does not apply (status ``not_applicable``, with this rule recorded)."""

    lender_types: list[str] = Field(default_factory=list, description="Lender types (manifest lender_type) "
                                    "exempt from it")
    unless_operations: list[str] = Field(default_factory=list, description="Optional contract operations: "
                                         "the requirement is about them, so it does not apply to a product "
                                         "that does not implement them all (manifest capabilities.<c>.operations)")
    reason: str = Field(min_length=1, description="Why, with the legal source of the exemption")

    @model_validator(mode="after")
    def _one_condition(self) -> NotApplicableRule:
        if bool(self.lender_types) == bool(self.unless_operations):
            raise ValueError("give exactly one condition: lender_types (a non-empty list) or unless_operations")
        return self

    def applies(self, lender_type: str, implemented: frozenset[str]) -> bool:
        """True when the requirement is not applicable to a product of this kind."""
        if self.lender_types:
            return lender_type in self.lender_types
        return not set(self.unless_operations) <= implemented

    def describe(self) -> str:
        if self.unless_operations:
            return f"the product does not implement {', '.join(self.unless_operations)}: {self.reason}"
        return f"lender types {', '.join(self.lender_types)} are exempt: {self.reason}"


class ScopeRules(_Strict):
    """What a profile certifies. The capabilities it certifies are those of its requirements; ``requires``
    says which capabilities a product must implement alongside another to be certifiable at all."""

    requires: dict[str, list[str]] = Field(
        default_factory=dict,
        description="capability → capabilities a product certified for it must also implement (e.g. credit: "
        "[resilience]); a product lacking one is not certifiable under this profile (exit 2)")


class Requirement(_Strict):
    id: str = Field(pattern=REQUIREMENT_ID, description="Stable ID, e.g. CQ-CREDIT-004")
    title: str
    level: Level
    capability: str = Field(pattern=r"^[a-z][a-z_]*$")
    check: str = Field(pattern=r"^[a-z][a-z_]*\.[a-z][a-z0-9_]*$", description="Registered check name")
    severity: Severity = "normal"
    waivable: bool = False
    max_examples: int | None = Field(None, ge=1, le=100_000)
    parameters: dict[str, Any] = Field(default_factory=dict)
    not_applicable_when: NotApplicableRule | None = Field(
        None, description="The only way this requirement may be not_applicable to a product in scope")
    source: Source
    defined_in: str = Field("", exclude=True, description="(set by the loader) file that defined it")


class RequirementOverride(_Strict):
    title: str | None = None
    level: Level | None = None
    severity: Severity | None = None
    waivable: bool | None = None
    max_examples: int | None = Field(None, ge=1, le=100_000)
    parameters: dict[str, Any] = Field(default_factory=dict)
    not_applicable_when: NotApplicableRule | None = None
    source: Source | None = None


class ProfileFile(_Strict):
    """One profile file as written (JSON Schema exported for editors)."""

    schema_version: Literal[1] = 1
    id: str = Field(pattern=PROFILE_ID)
    version: str
    title: str
    region: str
    extends: str | None = None
    includes: list[str] = Field(default_factory=list, description="Profiles whose requirements are added")
    description: str = ""
    focus: list[str] = Field(default_factory=list)
    hypothesis: BudgetPatch = Field(default_factory=BudgetPatch)
    protected_attributes: list[str] | None = None
    certificate: CertificatePolicy | None = None
    container_limits: ContainerLimits | None = None
    scope: ScopeRules | None = None
    overrides: dict[str, RequirementOverride] = Field(default_factory=dict)
    remove: list[str] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)


class Profile(_Strict):
    """A resolved profile: what a certification run is measured against."""

    id: str
    version: str
    title: str
    region: str
    lineage: list[str]
    description: str
    focus: list[str]
    hypothesis: Budget
    protected_attributes: list[str]
    certificate: CertificatePolicy
    container_limits: ContainerLimits
    scope: ScopeRules = Field(default_factory=ScopeRules)
    requirements: list[Requirement]
    focus_capabilities: list[str] = Field(
        default_factory=list, description="Capabilities of the requirements this profile adds or includes itself "
        "(not only inherits): a product is certified against the profile when it implements one of them")
    path: str = Field("", exclude=True)

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()

    @property
    def capabilities(self) -> list[str]:
        """The capabilities this profile certifies (those of its requirements)."""
        return sorted({r.capability for r in self.requirements})

    def requirement(self, req_id: str) -> Requirement:
        for req in self.requirements:
            if req.id == req_id:
                return req
        raise KeyError(req_id)


def profiles_dir() -> Path:
    """Where named profiles live: $SANDBOX_PROFILES_DIR, ./sandbox_profiles, or next to the package."""
    env = os.environ.get("SANDBOX_PROFILES_DIR")
    if env:
        return Path(env)
    local = Path.cwd() / "sandbox_profiles"
    if local.is_dir():
        return local
    return Path(__file__).resolve().parent.parent / "sandbox_profiles"


def available_profiles() -> list[str]:
    return sorted(p.stem for p in profiles_dir().glob("*.yaml"))


def resolve_profile_path(name_or_path: str) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or os.sep in name_or_path:
        if not _is_file(candidate):
            if _is_file(candidate, folder=True):
                raise ProfileError(f"{candidate}: is a folder, not a profile file; pass the profile's YAML file")
            raise ProfileError(f"{candidate}: profile file not found; check the path")
        return candidate
    path = profiles_dir() / f"{name_or_path}.yaml"
    if not _is_file(path):
        names = available_profiles()
        raise ProfileError(
            f"{path}: no profile named {name_or_path!r}{did_you_mean(name_or_path, names)} "
            f"(available: {', '.join(names) or 'none'})"
        )
    return path


def _is_file(path: Path, *, folder: bool = False) -> bool:
    """``path.is_file()`` (``is_dir()`` with ``folder``), False where the system cannot even look (a name too
    long for the file system: there is no such profile)."""
    try:
        return path.is_dir() if folder else path.is_file()
    except OSError:
        return False


def load_profile(name_or_path: str) -> Profile:
    """Load, validate and resolve a profile by name (``chongqing``) or path."""
    path = resolve_profile_path(name_or_path)
    return _resolve(path, seen=())


def _read_file(path: Path) -> ProfileFile:
    data = load_mapping(path, ProfileError, "profile")
    try:
        parsed = ProfileFile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(describe_validation_error(path, exc, data)) from None
    reqs = [r.model_copy(update={"defined_in": str(path)}) for r in parsed.requirements]
    return parsed.model_copy(update={"requirements": reqs})


def _resolve(path: Path, seen: tuple[str, ...]) -> Profile:
    if str(path.resolve()) in seen:
        raise ProfileError(f"{path}: extends: circular chain {' -> '.join(seen)}; break the cycle")
    own = _read_file(path)
    if own.extends is None:
        parent = Profile(
            id="", version="", title="", region="", lineage=[], description="", focus=[],
            hypothesis=Budget(), protected_attributes=[], certificate=CertificatePolicy(),
            container_limits=ContainerLimits(), scope=ScopeRules(), requirements=[],
        )
    else:
        parent_path = path.parent / f"{own.extends}.yaml"
        if not _is_file(parent_path):
            names = sorted(p.stem for p in path.parent.glob("*.yaml"))
            raise ProfileError(
                f"{path}: extends: no profile {own.extends!r} next to it{did_you_mean(own.extends, names)}"
            )
        parent = _resolve(parent_path, (*seen, str(path.resolve())))
    return _merge(path, parent, own)


def _merge(path: Path, parent: Profile, own: ProfileFile) -> Profile:
    by_id = {r.id: r for r in parent.requirements}
    for req_id in own.remove:
        if req_id not in by_id:
            raise ProfileError(f"{path}: remove: {req_id!r} is not inherited{did_you_mean(req_id, by_id)}")
        del by_id[req_id]
    for req_id, patch in own.overrides.items():
        if req_id not in by_id:
            raise ProfileError(
                f"{path}: overrides.{printable(req_id)}: no inherited requirement with this ID"
                f"{did_you_mean(req_id, by_id)}"
            )
        base = by_id[req_id]
        changes: dict[str, Any] = {
            name: getattr(patch, name) for name in type(patch).model_fields
            if name != "parameters" and getattr(patch, name) is not None
        }
        changes["parameters"] = {**base.parameters, **patch.parameters}
        changes["defined_in"] = str(path)
        by_id[req_id] = base.model_copy(update=changes)
    for name in own.includes:
        included = path.parent / f"{name}.yaml"
        if not _is_file(included):
            raise ProfileError(f"{path}: includes: no profile {name!r} next to it; fix the name")
        for req in _resolve(included, (str(path.resolve()),)).requirements:
            if req.id in by_id and by_id[req.id] != req:
                raise ProfileError(f"{path}: includes: {name} redefines {req.id} differently; keep one")
            by_id[req.id] = req
    focus = {r.capability for r in by_id.values() if r.id not in {p.id for p in parent.requirements}}
    focus |= {r.capability for r in own.requirements}
    for req in own.requirements:
        if req.id in by_id:
            raise ProfileError(
                f"{path}: requirements: {req.id} is already inherited; change it under 'overrides' instead"
            )
        by_id[req.id] = req
    budget = parent.hypothesis.model_copy(update=own.hypothesis.model_dump(exclude_none=True))
    scope = _merge_scope(path, parent.scope, own.scope, {r.capability for r in by_id.values()})
    return Profile(
        id=own.id,
        version=own.version,
        title=own.title,
        region=own.region,
        lineage=[*parent.lineage, own.id],
        description=own.description or parent.description,
        focus=own.focus or parent.focus,
        hypothesis=budget,
        protected_attributes=(
            own.protected_attributes if own.protected_attributes is not None else parent.protected_attributes
        ),
        certificate=own.certificate or parent.certificate,
        container_limits=own.container_limits or parent.container_limits,
        scope=scope,
        requirements=list(by_id.values()),
        focus_capabilities=sorted(focus),
        path=str(path),
    )


def _merge_scope(path: Path, parent: ScopeRules, own: ScopeRules | None, capabilities: set[str]) -> ScopeRules:
    """A child profile adds to its parent's scope rules. Every capability it names must be one it certifies;
    an inherited rule about a capability the child removed every requirement of goes with them."""
    for capability, needed in (own.requires if own else {}).items():
        for name in (capability, *needed):
            if name not in capabilities:
                raise ProfileError(
                    f"{path}: scope.requires: {name!r} is not a capability of any requirement of this profile "
                    f"({', '.join(sorted(capabilities))}){did_you_mean(name, sorted(capabilities))}; fix the name")
    requires: dict[str, list[str]] = {}
    for capability, needed in [*parent.requires.items(), *(own.requires.items() if own else [])]:
        kept = [n for n in needed if n in capabilities]
        if capability in capabilities and kept:
            requires[capability] = sorted({*requires.get(capability, []), *kept})
    return ScopeRules(requires=requires)


def export_json_schema() -> dict[str, Any]:
    """JSON Schema of a profile file, for editors (written to sandbox_profiles/profile.schema.json)."""
    schema = ProfileFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Sandbox profile"
    return schema
