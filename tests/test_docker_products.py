"""The ledger, cross-border and AI reference products, and representative seeded defects of each, in a
container: the same per-requirement statuses as in-process, plus the ledger requirements only a container
can evaluate (finality across a hard restart, tamper evidence on the product's data volume). One file per
capability (this one, ``_cross_border`` and ``_ai``), so that the three run on different test workers.

Covered defects (one parity test each, in-process vs docker, same status "failed"):
ledger-replay, ledger-merkle-last, ledger-fee-leak, ledger-audit-blind; xb-cvv-in-log (read from the
container log), xb-jpy-two-decimals, xb-report-strict-threshold, xb-screening-fixed-order; ai-uses-race,
ai-checksum-mismatch, ai-not-monotone. ledger-lost-block can only be caught in a container.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from containers import both, requirement
from runs import SharedRun

from harness.api import selected

pytestmark = pytest.mark.container
ROOT = Path(__file__).resolve().parent.parent
DEFECTS = ROOT / "tests" / "defects"
LEDGER_FAST = str(ROOT / "tests" / "profiles" / "ledger-fast.yaml")
LEDGER = [f"BC-LEDGER-00{n}" for n in range(1, 9)]
# Only a runner that can restart the product or reach its data volume evaluates these.
CONTAINER_ONLY = {"BC-LEDGER-005"}


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
