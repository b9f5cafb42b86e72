"""Every credit check can fail: each seeded defect fails its requirement, the reference passes them all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import REFERENCE_CREDIT, defect_products

from harness.api import certify, statuses
from harness.profiles import load_profile


@pytest.fixture(scope="module")
def reference_verdict() -> dict[str, Any]:
    return certify(REFERENCE_CREDIT, "chongqing")


def test_reference_product_is_certified_under_chongqing(reference_verdict: dict[str, Any]) -> None:
    credit = {r.id for r in load_profile("chongqing").requirements if r.capability == "credit"}
    # In-process, everything but the container-only resilience MUSTs is evaluated: INCOMPLETE, never CERTIFIED.
    assert reference_verdict["verdict"] == "INCOMPLETE"
    assert reference_verdict["not_evaluated"] == [f"NAT-RES-00{i}" for i in range(1, 5)]
    got = statuses(reference_verdict)
    assert {i: got[i] for i in credit} == dict.fromkeys(credit, "passed")
    assert all(r["examples"] > 0 for r in reference_verdict["requirements"] if r["id"] in credit)


def test_every_credit_check_has_a_seeded_defect() -> None:
    checks = {r.check for r in load_profile("chongqing").requirements if r.capability == "credit"}
    profile = load_profile("chongqing")
    defects = defect_products("credit-") + defect_products("iface-credit")
    targeted = {profile.requirement(req).check for p in defects for req in p.values[1]}
    assert checks <= targeted


@pytest.mark.parametrize(("product", "targets"), defect_products("credit-"))
def test_seeded_defect_fails_its_requirement(product: Path, targets: list[str],
                                             reference_verdict: dict[str, Any]) -> None:
    doc = certify(product, "chongqing", only=targets)
    profile = load_profile("chongqing")
    for req_id in targets:
        result = next(r for r in doc["requirements"] if r["id"] == req_id)
        assert result["status"] == "failed", result["message"]
        assert result["counterexample"], "a failure must carry the shrunk counterexample"
        assert statuses(reference_verdict)[req_id] == "passed"
    levels = {profile.requirement(t).level for t in targets}
    # a partial run (only=) is INCOMPLETE unless a MUST failed
    assert doc["verdict"] == ("NOT_CERTIFIED" if "MUST" in levels else "INCOMPLETE")
