"""The last two ledger-based reference products in a container (slow tier).

* receivables-platform (Shanghai) is built on chain-ledger's code and image recipe (through `sources`): in a
  container it gets the same SH-RECV-* statuses as in-process and passes the finality-across-a-restart
  requirement (BC-LEDGER-005) that only a container can evaluate; each receivables defect fails its
  requirement the same way in both runners.
* evm-token (eth-tester / py-evm / web3, a Vyper token shipped compiled) runs in a container built offline
  from host wheels. Its chain lives in memory, so BC-LEDGER-005 fails there, honestly: the transactions it
  accepted are gone after a hard restart. In-process that requirement is not_evaluated (no restart possible).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from containers import both, requirement
from runs import SharedRun

from harness.api import selected
from harness.profiles import load_profile

pytestmark = pytest.mark.container
ROOT = Path(__file__).resolve().parent.parent
EVM_FAST = str(ROOT / "tests" / "profiles" / "evm-fast.yaml")
RECV = [r.id for r in load_profile("shanghai").requirements if r.id.startswith("SH-RECV-")]
RESTART = "BC-LEDGER-005"  # only a runner that can restart the product evaluates it
# BC-LEDGER-008 (TPS/p99, SHOULD) is a timing figure: reported by benchmarks/, not asserted here.
EVM_REQS = [f"BC-LEDGER-00{n}" for n in range(1, 8)]


def test_receivables_platform_same_statuses_and_survives_a_restart_in_a_container(shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, ROOT / "products" / "receivables-platform", "shanghai", [*RECV, RESTART],
                             complete=True)
    local, remote = selected(inprocess), selected(docker)
    assert {k: remote[k] for k in RECV} == {k: local[k] for k in RECV} == dict.fromkeys(RECV, "passed")
    assert local[RESTART] == "not_evaluated"  # in-process cannot restart the product
    assert remote[RESTART] == "passed", requirement(docker, RESTART)
    assert docker["verdict"] == "INCOMPLETE"  # a partial run (only=)


@pytest.mark.parametrize(("defect", "req_id", "says"), [
    ("receivables-invoice-case", "SH-RECV-001", "was financed twice"),
    ("receivables-race", "SH-RECV-002", "were all accepted"),
    ("receivables-over-face", "SH-RECV-003", "at most"),
    ("receivables-unconfirmed", "SH-RECV-004", "without its debtor's confirmation"),
    ("receivables-no-release", "SH-RECV-005", "still shows a live financing after it was repaid"),
])
def test_receivables_defect_fails_the_same_way_in_a_container(defect: str, req_id: str, says: str,
                                                              shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, ROOT / "tests" / "defects" / defect, "shanghai", [req_id])
    assert selected(inprocess) == selected(docker) == {req_id: "failed"}
    local, remote = requirement(inprocess, req_id), requirement(docker, req_id)
    assert says in remote["message"] and says in local["message"]
    if defect != "receivables-race":  # a race is timing; the others replay the same shrunk sequence
        assert remote["message"] == local["message"] and remote["counterexample"] == local["counterexample"]
    assert inprocess["verdict"] == docker["verdict"] == "NOT_CERTIFIED"


def test_evm_token_in_a_container_loses_its_in_memory_chain_on_restart(shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, ROOT / "products" / "evm-token", EVM_FAST, EVM_REQS, complete=True)
    local, remote = selected(inprocess), selected(docker)
    assert {k: v for k, v in remote.items() if k != RESTART} == {k: v for k, v in local.items() if k != RESTART}
    assert [k for k, v in remote.items() if v == "passed"] == [f"BC-LEDGER-00{n}" for n in range(1, 5)]
    # Ethereum formats (keccak/RLP blocks, no RFC 6962 proofs) and no stored blocks: not evaluated, with reasons
    assert remote["BC-LEDGER-006"] == remote["BC-LEDGER-007"] == "not_evaluated"
    assert local[RESTART] == "not_evaluated"
    lost = requirement(docker, RESTART)
    assert lost["status"] == "failed", lost
    assert "was lost or changed by a restart" in lost["message"]
    assert docker["verdict"] == "NOT_CERTIFIED"
