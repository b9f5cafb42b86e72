"""Same seed → same verdict and the same shrunk counterexamples (timestamps and durations aside)."""

from __future__ import annotations

from typing import Any

from conftest import QUICK, ROOT

from harness.api import certify

DEFECT = ROOT / "tests/defects/credit-microloan-max-year"
REQS = ["CQ-CREDIT-001", "NAT-CREDIT-003", "NAT-CREDIT-008"]


def _stable(doc: dict[str, Any]) -> dict[str, Any]:
    doc = {k: v for k, v in doc.items() if k not in ("started_at", "finished_at")}
    doc["runner"] = {k: v for k, v in doc["runner"].items() if k != "startup_s"}  # a timing, like a timestamp
    doc["requirements"] = [{k: v for k, v in r.items() if k != "duration_s"} for r in doc["requirements"]]
    return doc


def test_same_seed_gives_identical_verdict_documents() -> None:
    first = certify(DEFECT, "chongqing", only=REQS, seed=11)
    second = certify(DEFECT, "chongqing", only=REQS, seed=11)
    assert _stable(first) == _stable(second)
    failed = [r for r in first["requirements"] if r["status"] == "failed"]
    assert [r["id"] for r in failed] == ["CQ-CREDIT-001"] and failed[0]["counterexample"]


def test_seed_is_recorded_and_the_profile_seed_is_the_default() -> None:
    doc = certify(ROOT / "products/rural-microloan", QUICK, only=["NAT-CREDIT-003"])
    assert doc["seed"] == 20201 and doc["verdict"] == "CERTIFIED"
