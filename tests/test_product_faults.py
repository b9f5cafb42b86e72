"""A product that hangs, answers garbage or cannot start is a failed requirement with evidence, never a
crashed harness; nothing already recorded is lost."""

from __future__ import annotations

import json

from conftest import QUICK, ROOT

from harness.api import certify

SOME = ["NAT-CREDIT-001", "NAT-CREDIT-004", "NAT-CREDIT-005"]


def _by_id(doc: dict) -> dict[str, dict]:
    """The requirements this run selected (the others are not_evaluated)."""
    return {r["id"]: r for r in doc["requirements"] if r["id"] in SOME}


def test_hanging_product_fails_with_timeout_and_run_completes() -> None:
    doc = certify(ROOT / "tests/faulty/hang", QUICK, only=SOME)
    results = _by_id(doc)
    assert results["NAT-CREDIT-001"]["status"] == "failed"
    assert "did not answer" in results["NAT-CREDIT-001"]["message"]
    assert results["NAT-CREDIT-005"]["status"] == "passed"  # schedules still answer: recorded, not lost
    assert doc["verdict"] == "NOT_CERTIFIED"


def test_garbage_answers_fail_with_the_exchange_as_evidence(tmp_path) -> None:
    doc = certify(ROOT / "tests/faulty/garbage", QUICK, only=SOME, out=tmp_path)
    results = _by_id(doc)
    assert "not JSON" in results["NAT-CREDIT-004"]["message"]
    assert "breaks the contract" in results["NAT-CREDIT-005"]["message"]
    assert {r["status"] for r in results.values()} == {"failed"}
    assert json.loads((tmp_path / "verdict.json").read_text())["verdict"] == "NOT_CERTIFIED"


def test_product_that_cannot_start_fails_every_requirement_with_the_reason() -> None:
    doc = certify(ROOT / "tests/faulty/crash-on-start", QUICK, only=SOME)
    for result in _by_id(doc).values():
        assert result["status"] == "failed"
        assert "CREDIT_ENGINE_LICENSE_KEY is not set" in result["message"]
