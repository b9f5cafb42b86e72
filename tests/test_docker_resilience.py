"""Resilience checks need a container: the reference product passes them, each seeded defect fails exactly
its requirement, and in-process they are not_evaluated with the reason (INCOMPLETE, never a false pass)."""

from __future__ import annotations

import pytest

from harness.api import certify, selected

pytestmark = pytest.mark.container

RES = ["NAT-RES-001", "NAT-RES-002", "NAT-RES-003", "NAT-RES-004"]
DEFECTS = {
    "resilience-ack-before-fsync": ("NAT-RES-001", "acknowledged booking(s) lost"),
    "resilience-slow-recovery": ("NAT-RES-002", "above the RTO"),
    "resilience-phone-home": ("NAT-RES-003", "telemetry.vendor-analytics.example"),
    "resilience-memory-leak": ("NAT-RES-004", "OOMKilled"),
}


def test_reference_product_passes_every_resilience_requirement_in_a_container() -> None:
    doc = certify("products/rural-microloan", "national", runner="docker", only=RES)
    assert selected(doc) == dict.fromkeys(RES, "passed")
    assert doc["verdict"] == "INCOMPLETE"  # a partial run: only the resilience requirements were selected
    assert doc["runner"]["run_options"]["network_mode"] == "none"
    assert doc["runner"]["network"]["namespace"].startswith("container:sbx-rural-microloan-")  # observed from the host
    assert doc["product"]["digest"].startswith("sha256:") and doc["runner"]["image"]["id"].startswith("sha256:")


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_resilience_defect_fails_its_requirement(defect: str) -> None:
    req, evidence = DEFECTS[defect]
    doc = certify(f"tests/defects/{defect}", "national", runner="docker", only=[req])
    result = next(r for r in doc["requirements"] if r["id"] == req)
    assert result["status"] == "failed", result["message"]
    assert evidence in result["message"]
    assert doc["verdict"] == "NOT_CERTIFIED"


def test_in_process_resilience_requirements_are_not_evaluated_with_the_reason() -> None:
    doc = certify("products/rural-microloan", "national", only=RES)
    assert selected(doc) == dict.fromkeys(RES, "not_evaluated")
    assert all("--runner docker" in r["message"] for r in doc["requirements"] if r["id"] in RES)
    assert doc["verdict"] == "INCOMPLETE"


def test_a_phoning_product_gets_the_same_finding_in_every_run() -> None:
    """Two observers report egress in arrival order and a retrying product retries as often as the machine
    lets it: the finding names the targets and kinds in a fixed order, the count is evidence, so the same
    seed gives the same document (the counterexample was the first record to arrive, its time included)."""
    from test_docker_jobs import comparable

    docs = [certify("tests/defects/resilience-phone-home", "national", runner="docker", only=["NAT-RES-003"],
                    seed=4) for _ in range(2)]
    found = next(r for r in docs[0]["requirements"] if r["id"] == "NAT-RES-003")
    assert found["status"] == "failed" and "time" not in found["counterexample"]
    assert comparable(docs[0]) == comparable(docs[1])
