"""Allure as a mapping layer (cf. Schemathesis ``reporting/allure.py``).

region → epic, capability → feature, requirement → story, severity mapped, the regulation as a link,
the seed as a parameter (excluded from the history ID so history survives a new seed), and the
counterexample and evidence attached as JSON. Calls are no-ops when Allure is not collecting.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import allure
from allure_commons.types import AttachmentType, LinkType

from harness.profiles import Profile, Requirement
from harness.reporting.citations import citation_text, link_name, public_url


def label(profile: Profile, req: Requirement, seed: int) -> None:
    """One entry per requirement: epic (region and profile) → feature (capability) → the requirement itself (no
    story, which listed each requirement twice); the regulation linked only by its public URL, never a local path."""
    allure.dynamic.epic(f"{profile.region} ({profile.id} {profile.version})")
    allure.dynamic.feature(req.capability)
    allure.dynamic.title(f"{req.id} [{req.level}] {req.title}")
    allure.dynamic.severity(req.severity)
    allure.dynamic.tag(req.level)
    allure.dynamic.label("requirement", req.id)
    allure.dynamic.parameter("seed", str(seed), excluded=True)
    source = req.source.model_dump(mode="json")
    allure.dynamic.description(f"Check `{req.check}`. Source: {citation_text(source)}."
                               f"{(' ' + req.source.note) if req.source.note else ''}")
    url = public_url(source)
    if url:
        allure.dynamic.link(url, link_type=LinkType.LINK, name=f"{link_name(source)} ({req.source.status})")


def attach_json(name: str, data: Any) -> None:
    allure.attach(json.dumps(data, indent=2, ensure_ascii=False, default=str), name=name,
                  attachment_type=AttachmentType.JSON)


def attach_evidence(evidence: dict[str, Any]) -> None:
    for name, data in evidence.items():
        if isinstance(data, bytes):
            allure.attach(data, name=name, attachment_type=AttachmentType.PNG)
        elif isinstance(data, str):
            allure.attach(data, name=name, attachment_type=AttachmentType.TEXT)
        else:
            attach_json(name, data)


def waiver(record: dict[str, Any]) -> None:
    """Mark a requirement that has an active waiver: a tag, a label and the waiver itself attached."""
    allure.dynamic.tag("waiver")
    allure.dynamic.label("waiver", f"{record['approver']} until {record['expires']}")
    attach_json("waiver", record)


# Allure categories that mean something here (instead of a pass percentage), matched on status and message. The
# report (harness/reporting/allure_results.py) gives every result a message starting with its category's word.
CATEGORIES = [
    {"name": "Product failure (the product violates the requirement)", "matchedStatuses": ["failed"],
     "messageRegex": "(?is)(?!waived).*"},
    {"name": "Harness or environment error (not the product's fault)", "matchedStatuses": ["broken"]},
    {"name": "Not evaluated (a MUST not evaluated makes the run INCOMPLETE)", "matchedStatuses": ["skipped"],
     "messageRegex": "(?is).*not evaluated.*"},
    {"name": "Not applicable (by a profile rule)", "matchedStatuses": ["skipped"],
     "messageRegex": "(?is).*not applicable.*"},
    {"name": "Waived (failed; a valid waiver applies)", "matchedStatuses": ["unknown", "failed"],
     "messageRegex": "(?is)waived.*"},
]


def write_run_facts(alluredir: Path, document: Any) -> None:
    """The verdict first: environment facts (verdict, scope, profile, product, seed, as-of) and categories."""
    alluredir.mkdir(parents=True, exist_ok=True)
    facts = {
        "Verdict": document.verdict, "Scope": ", ".join(document.scope.capabilities),
        "Profile": f"{document.profile.id} {document.profile.version} {document.profile.digest}",
        "Product": f"{document.product.id} {document.product.version} {document.product.digest}",
        "Runner": str(document.runner.get("name")), "Seed": str(document.seed), "As of": str(document.as_of),
        "Why": " | ".join(document.reasons) or "every in-scope requirement met",
    }
    lines = [f"{key.replace(' ', '.')}={value}".replace("\n", " ") for key, value in facts.items()]
    (alluredir / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (alluredir / "categories.json").write_text(json.dumps(CATEGORIES, indent=2), encoding="utf-8")
