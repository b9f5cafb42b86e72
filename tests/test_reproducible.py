"""Same profile, product, seed and as-of date → the same verdict document and the same shrunk counterexamples
(timestamps and durations aside), on an idle machine and beside a CPU hog: shrinking is bounded by a count of
examples, never by seconds."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from conftest import QUICK, ROOT

from harness.api import certify, statuses

DEFECT = ROOT / "tests/defects/credit-microloan-max-year"
REQS = ["CQ-CREDIT-001", "NAT-CREDIT-003", "NAT-CREDIT-008"]
AS_OF = date(2026, 12, 1)


def stable(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without what measures time (timestamps, durations, start-up)."""
    doc = {k: v for k, v in doc.items() if k not in ("started_at", "finished_at")}
    doc["runner"] = {k: v for k, v in doc["runner"].items() if k != "startup_s"}
    doc["requirements"] = [{k: v for k, v in r.items() if k != "duration_s"} for r in doc["requirements"]]
    return doc


def digest(doc: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(stable(doc), sort_keys=True).encode()).hexdigest()[:16]


@pytest.fixture
def cpu_hog() -> Iterator[None]:
    """Every core busy while the certification runs (what a loaded CI machine looks like)."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(3)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def test_same_seed_gives_identical_verdict_documents_idle_and_under_load(request: pytest.FixtureRequest) -> None:
    idle = certify(DEFECT, "chongqing", only=REQS, seed=11, as_of=AS_OF)
    request.getfixturevalue("cpu_hog")
    loaded = certify(DEFECT, "chongqing", only=REQS, seed=11, as_of=AS_OF)
    print(f"verdict digests: idle {digest(idle)}, under load {digest(loaded)}")
    assert stable(idle) == stable(loaded)
    failed = [r for r in idle["requirements"] if r["status"] == "failed"]
    assert [r["id"] for r in failed] == ["CQ-CREDIT-001"] and failed[0]["counterexample"]
    assert idle["as_of"] == "2026-12-01"


def test_seed_and_as_of_are_recorded_and_default_to_the_profile_seed_and_today() -> None:
    before = datetime.now(UTC).date().isoformat()
    doc = certify(ROOT / "products/rural-microloan", QUICK, only=["NAT-CREDIT-003"])
    after = datetime.now(UTC).date().isoformat()
    assert doc["seed"] == 20201 and statuses(doc)["NAT-CREDIT-003"] == "passed"
    assert doc["as_of"] in (before, after)


def _in_a_process(hash_seed: int, product: str, profile: str, only: list[str]) -> dict[str, Any]:
    code = ("import json, sys, datetime; from harness.api import certify; "
            "doc = certify(sys.argv[1], sys.argv[2], only=sys.argv[3].split(','), seed=11, "
            "as_of=datetime.date(2026, 12, 1)); print('DOC' + json.dumps(doc))")
    done = subprocess.run([sys.executable, "-c", code, product, profile, ",".join(only)], cwd=ROOT,
                          env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
                          capture_output=True, text=True, timeout=600, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("DOC"))
    return dict(json.loads(line[3:]))


def test_same_seed_gives_identical_documents_in_processes_with_different_hash_seeds() -> None:
    """Set and dict iteration order of strings changes with PYTHONHASHSEED: a strategy that leaned on it would
    draw different examples, and shrink to a different counterexample, in every process."""
    for product, profile, only in [(str(DEFECT), "chongqing", ["CQ-CREDIT-001", "NAT-CREDIT-006"]),
                                   ("tests/defects/xb-travel-rule-name-only", "guangzhou", ["GZ-XB-007"])]:
        first, second = (_in_a_process(h, product, profile, only) for h in (1, 2))
        assert stable(first) == stable(second), product
        assert any(r["status"] == "failed" and r["counterexample"] for r in first["requirements"])


def test_a_run_after_another_in_the_same_process_sends_the_same_identifiers() -> None:
    """Identifiers are numbered per requirement (harness/strategies/ids.py), never by what ran before in the
    process: the failing example names the same person both times (it named another when a counter was
    process-wide)."""
    defect = ROOT / "tests/defects/xb-quota-anniversary"
    docs = [certify(defect, "guangzhou", only=["GZ-XB-005"], seed=1, as_of=AS_OF) for _ in range(2)]
    failed = [[r for r in doc["requirements"] if r["status"] == "failed"] for doc in docs]
    assert [r["id"] for r in failed[0]] == ["GZ-XB-005"]
    assert "P0 bought" in failed[0][0]["message"]  # the person the check made up, by its identifier
    assert digest(docs[0]) == digest(docs[1])


def test_ledger_accounts_and_signatures_come_from_the_seed() -> None:
    """The harness's test wallets are derived from the run seed (harness/strategies/ids.py), and ECDSA signs
    with RFC 6979 nonces: the same seed opens the same accounts and sends the same signed transfers, so a
    finding names the same account in every run (operating-system randomness named another one each time)."""
    defect = ROOT / "tests/defects/ledger-fee-leak"
    docs = [certify(defect, "hangzhou", only=["BC-LEDGER-001"], seed=seed, as_of=AS_OF) for seed in (7, 7, 8)]
    failed = [next(r for r in doc["requirements"] if r["id"] == "BC-LEDGER-001") for doc in docs]
    assert [r["status"] for r in failed] == ["failed"] * 3
    assert "account " in failed[0]["message"]  # the finding names an account the harness opened
    assert digest(docs[0]) == digest(docs[1])
    assert failed[0]["message"] != failed[2]["message"]  # another seed, other wallets


@pytest.mark.unit
def test_deterministic_wallets_sign_verifiably() -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, utils

    from harness.strategies import ids
    from harness.strategies.ledger import Wallet

    for algorithm in ("ed25519", "secp256k1"):
        ids.begin(3, seed=11)
        first = [Wallet.generate(algorithm) for _ in range(2)]
        ids.begin(3, seed=11)
        again = [Wallet.generate(algorithm) for _ in range(2)]
        assert [w.public_key for w in first] == [w.public_key for w in again]
        assert first[0].public_key != first[1].public_key
        assert first[0].sign(b"payload") == again[0].sign(b"payload")
    key = again[0].key
    raw = bytes.fromhex(again[0].sign(b"payload"))
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    key.public_key().verify(utils.encode_dss_signature(r, s), b"payload", ec.ECDSA(hashes.SHA256()))
