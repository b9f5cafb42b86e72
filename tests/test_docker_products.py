"""The ledger, cross-border and AI reference products, and representative seeded defects of each, in a
container: the same per-requirement statuses as in-process, plus the ledger requirements only a container
can evaluate (finality across a hard restart, tamper evidence on the product's data volume).

Covered defects (one parity test each, in-process vs docker, same status "failed"):
ledger-replay, ledger-merkle-last, ledger-fee-leak, ledger-audit-blind; xb-cvv-in-log (read from the
container log), xb-jpy-two-decimals, xb-report-strict-threshold, xb-screening-fixed-order; ai-uses-race,
ai-checksum-mismatch, ai-not-monotone. ledger-lost-block can only be caught in a container.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from runs import SharedRun, restricted

from harness.api import certify, selected
from harness.profiles import load_profile

pytestmark = pytest.mark.container
ROOT = Path(__file__).resolve().parent.parent
DEFECTS = ROOT / "tests" / "defects"
LEDGER_FAST = str(ROOT / "tests" / "profiles" / "ledger-fast.yaml")
GUANGZHOU_QUICK = str(ROOT / "tests" / "profiles" / "guangzhou-quick.yaml")
LEDGER = [f"BC-LEDGER-00{n}" for n in range(1, 9)]
XB = [r.id for r in load_profile(GUANGZHOU_QUICK).requirements if r.capability == "cross_border"]
AI = [*(f"BJ-AI-{n:03d}" for n in range(1, 12)), "BJ-IFACE-001"]
# Only a runner that can restart the product or reach its data volume evaluates these.
CONTAINER_ONLY = {"BC-LEDGER-005"}


def both(shared_run: SharedRun, product: Path | str, profile: str, only: list[str], *,
         complete: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """The in-process run (the session's shared one: the same run other test files inspect; with ``complete``
    the profile's complete run, restricted to ``only``) and a docker run of ``only``."""
    if complete:
        inprocess = restricted(shared_run(product, profile)[0], only)
    else:
        inprocess = shared_run(product, profile, only=only)[0]
    docker = certify(product, profile, runner="docker", only=only)
    assert inprocess["runner"]["name"] == "inprocess" and docker["runner"]["name"] == "docker"
    assert docker["runner"]["run_options"]["network_mode"] == "none"
    assert docker["product"]["digest"].startswith("sha256:") and docker["runner"]["image"]["id"].startswith("sha256:")
    return inprocess, docker


def requirement(doc: dict[str, Any], req_id: str) -> dict[str, Any]:
    return next(r for r in doc["requirements"] if r["id"] == req_id)


# -- ledger (Hangzhou's shared blockchain requirements) ---------------------------------------------
def test_reference_ledger_same_statuses_and_passes_the_container_only_requirements(shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, ROOT / "products" / "chain-ledger", LEDGER_FAST, LEDGER, complete=True)
    local, remote = selected(inprocess), selected(docker)
    assert {k: v for k, v in remote.items() if k not in CONTAINER_ONLY} == \
        {k: v for k, v in local.items() if k not in CONTAINER_ONLY}
    assert set(remote.values()) == {"passed"}, [r for r in docker["requirements"] if r["status"] != "passed"]
    assert local["BC-LEDGER-005"] == "not_evaluated"  # in-process cannot restart the product
    assert docker["verdict"] == "CERTIFIED"  # the selection holds every in-scope requirement


def test_lost_block_fails_finality_across_a_restart_in_a_container(shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, DEFECTS / "ledger-lost-block", LEDGER_FAST, ["BC-LEDGER-005"])
    assert selected(inprocess) == {"BC-LEDGER-005": "not_evaluated"}
    result = requirement(docker, "BC-LEDGER-005")
    assert result["status"] == "failed", result
    assert "lost or changed by a restart" in result["message"]
    assert docker["verdict"] == "NOT_CERTIFIED"


def test_audit_blind_fails_tamper_evidence_in_a_container(shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, DEFECTS / "ledger-audit-blind", LEDGER_FAST, ["BC-LEDGER-007"])
    result = requirement(docker, "BC-LEDGER-007")
    assert result["status"] == "failed", result
    assert "was altered" in result["message"] and "neither the product's audit" in result["message"]
    assert selected(inprocess) == selected(docker)
    assert docker["verdict"] == "NOT_CERTIFIED"


@pytest.mark.parametrize(("defect", "req_id"), [
    ("ledger-replay", "BC-LEDGER-002"),
    ("ledger-merkle-last", "BC-LEDGER-006"),
    ("ledger-fee-leak", "BC-LEDGER-001"),
])
def test_ledger_defect_same_failure_in_process_and_in_a_container(defect: str, req_id: str,
                                                                  shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, DEFECTS / defect, LEDGER_FAST, [req_id])
    assert selected(inprocess) == selected(docker) == {req_id: "failed"}
    assert inprocess["verdict"] == docker["verdict"] == "NOT_CERTIFIED"


# -- cross-border payments (Guangzhou) ----------------------------------------------------------------
def test_reference_cross_border_same_statuses_in_a_container(shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, ROOT / "products" / "xborder-payments", GUANGZHOU_QUICK, XB)
    assert selected(docker) == selected(inprocess) == dict.fromkeys(XB, "passed")
    assert docker["verdict"] == "CERTIFIED"  # the selection holds every in-scope requirement


@pytest.mark.parametrize(("defect", "req_id", "says"), [
    ("xb-cvv-in-log", "GZ-XB-010", "product log"),  # in a container: read from the container's log
    ("xb-jpy-two-decimals", "GZ-XB-001", "JPY"),
    ("xb-report-strict-threshold", "GZ-XB-006", "report"),
    ("xb-screening-fixed-order", "GZ-XB-009", "recall"),
])
def test_cross_border_defect_same_failure_in_a_container(defect: str, req_id: str, says: str,
                                                         shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, DEFECTS / defect, GUANGZHOU_QUICK, [req_id])
    assert selected(inprocess) == selected(docker) == {req_id: "failed"}
    assert says in requirement(docker, req_id)["message"]
    assert docker["verdict"] == "NOT_CERTIFIED"


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
