"""Self-tests of the ledger checks: the reference ledger passes, each seeded defect fails its requirement
with a shrunk counterexample (an operation sequence for the stateful checks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from runs import SharedRun

from harness import ledgerproof
from harness.api import certify, statuses

ROOT = Path(__file__).resolve().parent.parent
FAST = str(ROOT / "tests" / "profiles" / "ledger-fast.yaml")
DEFECTS = ROOT / "tests" / "defects"


def test_reference_ledger_certified_under_hangzhou() -> None:
    doc = certify(ROOT / "products" / "chain-ledger", "hangzhou")
    got = statuses(doc)
    assert {got[f"BC-LEDGER-00{i}"] for i in (1, 2, 3, 4, 6, 7)} == {"passed"}, [
        r for r in doc["requirements"] if r["status"] in ("failed", "broken")]
    # Throughput and latency (SHOULD) are wall-clock figures: this run shares the machine with the parallel
    # tier, so here they are only measured, with their bounds; tests/test_ledger_performance.py asserts the
    # reference passes them, alone (serial tier).
    for timed in ("BC-LEDGER-008", "HZ-LEDGER-001"):
        result = next(r for r in doc["requirements"] if r["id"] == timed)
        assert result["status"] in ("passed", "failed") and result["statistics"]["interval"], result
    assert got["NAT-CREDIT-001"] == "not_applicable"  # ledger-only product: credit is outside its scope
    assert got["BC-LEDGER-005"] == "not_evaluated"  # a restart needs the docker runner
    assert doc["verdict"] == "INCOMPLETE" and doc["not_evaluated"] == ["BC-LEDGER-005"]


@pytest.mark.parametrize(("defect", "requirement", "stateful"), [
    ("ledger-fee-leak", "BC-LEDGER-001", True),
    ("ledger-replay", "BC-LEDGER-002", True),
    ("ledger-double-spend", "BC-LEDGER-003", False),
    ("ledger-tip-rewrite", "BC-LEDGER-004", False),
    ("ledger-merkle-last", "BC-LEDGER-006", False),
    ("ledger-audit-blind", "BC-LEDGER-007", False),
    ("ledger-nonce-408", "BC-LEDGER-002", True),  # a status the contract does not declare for the operation
    ("ledger-generic-refusal", "BC-LEDGER-002", True),  # a declared status, but not the one for the reason
    ("ledger-burn-any-balance", "BC-LEDGER-002", True),  # a burn above the balance is clamped, not refused
    ("ledger-self-transfer", "BC-LEDGER-002", True),  # a transfer to oneself is applied as a no-op
    ("ledger-negative-amount", "BC-LEDGER-002", True),  # -0.01 moves a cent from the recipient to the sender
    ("ledger-head-off-by-one", "BC-LEDGER-004", True),  # the head's height is the block count
    ("ledger-receipt-committed", "BC-LEDGER-004", True),  # a pending transfer's receipt says committed
    ("ledger-proof-pending-404", "BC-LEDGER-006", False),  # a pending transaction's proof answered 404
    ("ledger-genesis-empty-link", "BC-LEDGER-006", False),  # the genesis block links to ""
    ("ledger-hex-signature-500", "BC-LEDGER-002", True),  # a non-hex signature crashes the request
    ("ledger-lookup-pending", "BC-LEDGER-004", True),  # a sealed transaction is looked up as pending
    ("ledger-block-omits-tx", "BC-LEDGER-004", True),  # a block lists none of the transactions committed in it
    ("ledger-pending-after-seal", "BC-LEDGER-004", True),  # a seal says what it sealed is still pending
])
def test_defect_fails_its_requirement(defect: str, requirement: str, stateful: bool, shared_run: SharedRun) -> None:
    doc, _ = shared_run(DEFECTS / defect, FAST, only=[requirement])
    result = next(r for r in doc["requirements"] if r["id"] == requirement)
    assert result["status"] == "failed", result
    assert doc["verdict"] == "NOT_CERTIFIED"
    if defect == "ledger-nonce-408":
        assert "answered 408, which the contract does not allow" in result["message"], result["message"]
    if defect == "ledger-generic-refusal":
        assert "was refused with 422 code 'invalid'; the ledger contract gives" in result["message"], result["message"]
    if defect == "ledger-burn-any-balance":
        assert result["message"].startswith("burning ") and "was accepted" in result["message"], result["message"]
    if defect == "ledger-hex-signature-500":
        assert result["message"].startswith("a transfer with a signature that is not hex"), result["message"]
    if defect == "ledger-block-omits-tx":
        assert "does not list it among its 0 transactions" in result["message"], result["message"]
    if defect == "ledger-pending-after-seal":
        assert result["message"].startswith("right after a seal the head gives pending = "), result["message"]
    if defect == "ledger-lookup-pending":
        assert "a transaction in no block is pending, one in a block is committed" in result["message"]
    if defect == "ledger-proof-pending-404":
        assert "was answered 404; a transaction in no block has no proof yet (409)" in result["message"]
    if defect == "ledger-genesis-empty-link":
        assert result["message"].startswith("the genesis block: previous_hash"), result["message"]
    if defect == "ledger-receipt-committed":
        assert "a transaction in no block is pending" in result["message"], result["message"]
    if defect == "ledger-head-off-by-one":
        assert "/v1/ledger/blocks/" in result["message"] and "404" in result["message"], result["message"]
    if defect == "ledger-negative-amount":
        assert "'-0.01' (the smallest negative amount" in result["message"], result["message"]
    if defect == "ledger-self-transfer":
        assert result["message"].startswith("a transfer with from equal to to was accepted"), result["message"]
    if stateful:
        steps = result["counterexample"]["steps"]
        assert any(s.startswith("state.") for s in steps), steps
    elif requirement == "BC-LEDGER-004":
        # whether the defect rewrites a block depends on how full the tip was left by earlier sequences,
        # so Hypothesis may not replay it exactly; the message still names the rewritten block
        assert "block" in result["message"] and ("rewritten" in result["message"] or "changed" in result["message"])
    elif requirement != "BC-LEDGER-007":
        assert result["counterexample"], result


@pytest.mark.parametrize("size", range(1, 18))
def test_rfc6962_proofs_round_trip(size: int) -> None:
    txs = [{"id": "", "kind": "mint", "from": None, "to": f"a{i}", "amount": "1.00", "nonce": i,
            "signature": None, "data": None} for i in range(size)]
    leaves = [ledgerproof.leaf_hash(ledgerproof.canonical(ledgerproof.tx_body(t))) for t in txs]
    root = ledgerproof.merkle_root(txs)
    for i, tx in enumerate(txs):
        path = [p.hex() for p in ledgerproof.audit_path(i, leaves)]
        assert ledgerproof.verify_inclusion(tx, i, size, path, root)
        assert not ledgerproof.verify_inclusion({**tx, "amount": "1.01"}, i, size, path, root)
        if size > 1:
            assert not ledgerproof.verify_inclusion(txs[(i + 1) % size], i, size, path, root)


def test_chain_verification_detects_a_broken_link() -> None:
    header = {"height": 0, "previous_hash": ledgerproof.GENESIS_PREVIOUS, "merkle_root": ledgerproof.merkle_root([]),
              "timestamp": 1}
    genesis = {"hash": ledgerproof.block_hash(header), "header": header, "transactions": []}
    second_header = {**header, "height": 1, "previous_hash": "f" * 64}
    second = {"hash": ledgerproof.block_hash(second_header), "header": second_header, "transactions": []}
    assert ledgerproof.verify_chain([genesis]) == []
    problems = ledgerproof.verify_chain([genesis, second])
    assert [p.height for p in problems] == [1] and "link" in problems[0].problem
