"""The AI credit model and representative seeded defects in a container: the same statuses and messages as
in-process (see tests/test_docker_products.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from containers import both, requirement
from runs import SharedRun

from harness.api import selected

pytestmark = pytest.mark.container
ROOT = Path(__file__).resolve().parent.parent
DEFECTS = ROOT / "tests" / "defects"
AI = [*(f"BJ-AI-{n:03d}" for n in range(1, 12)), "BJ-IFACE-001"]


# -- AI credit model (Beijing) -------------------------------------------------------------------------
def test_reference_ai_model_same_statuses_in_a_container(shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, ROOT / "products" / "ai-credit-model", "beijing", AI, complete=True)
    assert selected(docker) == selected(inprocess) == dict.fromkeys(AI, "passed")
    assert docker["verdict"] == "CERTIFIED"  # the selection holds every in-scope requirement


@pytest.mark.parametrize(("defect", "req_id"), [
    ("ai-uses-race", "BJ-AI-003"),
    ("ai-checksum-mismatch", "BJ-AI-001"),
    ("ai-not-monotone", "BJ-AI-006"),
])
def test_ai_defect_same_failure_in_a_container(defect: str, req_id: str, shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, DEFECTS / defect, "beijing", [req_id])
    assert selected(inprocess) == selected(docker) == {req_id: "failed"}
    # the model is trained at start in both runners, from the same data and library versions
    assert requirement(docker, req_id)["message"] == requirement(inprocess, req_id)["message"]
    assert docker["verdict"] == "NOT_CERTIFIED"
