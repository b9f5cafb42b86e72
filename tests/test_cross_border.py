"""Cross-border payments under the Guangzhou profile: the reference product is certified, each seeded
defect fails exactly the requirement it was built to break (under the real profile and its budget)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from runs import SharedRun

from harness.api import certify, statuses

ROOT = Path(__file__).resolve().parents[1]

XB_REQUIREMENTS = [f"GZ-XB-{n:03d}" for n in range(1, 14)]
DEFECTS = {
    "xb-jpy-two-decimals": "GZ-XB-001",
    "xb-float-rounding": "GZ-XB-002",
    "xb-stale-rates": "GZ-XB-003",
    "xb-quote-no-expiry": "GZ-XB-004",
    "xb-quote-expires-early": "GZ-XB-004",  # the lifetime's last instant, an explicit example
    "xb-quota-anniversary": "GZ-XB-005",
    "xb-report-strict-threshold": "GZ-XB-006",
    "xb-report-currency": "GZ-XB-006",  # the report's currency, not only its figure
    "xb-travel-rule-name-only": "GZ-XB-007",
    "xb-pacs008-no-debtor-agent": "GZ-XB-008",
    "xb-screening-fixed-order": "GZ-XB-009",
    "xb-screening-no-initials": "GZ-XB-009",  # the must-catch variants: its sampled recall alone passes
    "xb-screening-long-names-sorted": "GZ-XB-009",  # initials of the eight-token TL-012
    "xb-cvv-in-log": "GZ-XB-010",
    "xb-unmasked-resident-id": "GZ-XB-011",
    "xb-sanctions-beneficiary-only": "GZ-XB-012",
    "xb-quota-usd-only": "GZ-XB-013",
}


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    return certify("products/xborder-payments", "guangzhou", only=XB_REQUIREMENTS)


def test_reference_passes_every_cross_border_requirement(reference: dict[str, Any]) -> None:
    got = statuses(reference)
    assert {k: got[k] for k in XB_REQUIREMENTS} == dict.fromkeys(XB_REQUIREMENTS, "passed")
    assert reference["verdict"] == "INCOMPLETE"  # a partial run (only the cross-border requirements)


def test_every_cross_border_requirement_has_a_defect() -> None:
    assert sorted(set(DEFECTS.values())) == XB_REQUIREMENTS


@pytest.mark.parametrize(("defect", "requirement"), sorted(DEFECTS.items()))
def test_defect_fails_its_requirement(defect: str, requirement: str, shared_run: SharedRun) -> None:
    doc, _ = shared_run(f"tests/defects/{defect}", "guangzhou", only=[requirement])
    result = next(r for r in doc["requirements"] if r["id"] == requirement)
    assert result["status"] == "failed", result["message"]
    assert result["level"] == "MUST"
    assert doc["verdict"] == "NOT_CERTIFIED"
    assert result["message"]


def test_must_catch_variants_kill_what_the_sampled_recall_lets_through(tmp_path: Path) -> None:
    """GZ-XB-009's deterministic variants (issue 12): a screener whose initials never match keeps a sampled
    recall near 0.91, whose upper bound passes the 0.95 rule, so without ``must_catch`` it is certified; with
    the profile's ``must_catch`` it fails on the initials, and the reference still passes."""
    profile = yaml.safe_load((ROOT / "sandbox_profiles" / "guangzhou.yaml").read_text(encoding="utf-8"))
    screening = next(r for r in profile["requirements"] if r["id"] == "GZ-XB-009")
    assert "initials" in screening["parameters"]["must_catch"]
    screening["parameters"]["must_catch"] = []
    profile["extends"] = str(ROOT / "sandbox_profiles" / "national")
    sampled_only = tmp_path / "guangzhou-sampled-only.yaml"
    sampled_only.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    defect = "tests/defects/xb-screening-no-initials"
    assert statuses(certify(defect, str(sampled_only), only=["GZ-XB-009"]))["GZ-XB-009"] == "passed"
    strict = next(r for r in certify(defect, "guangzhou", only=["GZ-XB-009"])["requirements"]
                  if r["id"] == "GZ-XB-009")
    assert strict["status"] == "failed" and "['initials']" in strict["message"], strict["message"]
    assert {v["name"] for v in strict["counterexample"]} >= {"D. Volkov", "J.-L. Moreau"}


def test_a_long_name_is_screened_with_its_initials(shared_run: SharedRun) -> None:
    """GZ-XB-009's test list has an eight-token name (TL-012): a screener that switches to sorted whole tokens
    past six tokens misses its initials and fails on that variant, for the right reason."""
    doc, _ = shared_run("tests/defects/xb-screening-long-names-sorted", "guangzhou", only=["GZ-XB-009"])
    result = next(r for r in doc["requirements"] if r["id"] == "GZ-XB-009")
    assert result["status"] == "failed" and "['initials']" in result["message"], result["message"]
    assert {(v["entry_id"], v["name"]) for v in result["counterexample"]} == {
        ("TL-012", "M. d. l. Á. F. d. l. Fuente")}


AFTER_TABLE = date(2026, 12, 1)  # the shipped ECB table ends 2026-10-30
DATED = ["GZ-XB-005", "GZ-XB-007", "GZ-XB-008", "GZ-XB-012", "GZ-XB-013"]


def test_payments_dated_past_the_rate_table_get_a_problem_never_a_5xx() -> None:
    """The clock moves (issue 12): payments and purchases are dated up to the as-of date, past the rate table.
    The reference answers them (or the 422 no-rate problem) and passes; the rate-table-end defect's 500 for a
    payment on the day after the table fails GZ-XB-008 (an explicit example, so at any seed)."""
    reference = certify("products/xborder-payments", "guangzhou", only=DATED, as_of=AFTER_TABLE)
    assert {k: statuses(reference)[k] for k in DATED} == dict.fromkeys(DATED, "passed")
    defect = certify("tests/defects/xb-rate-table-end", "guangzhou", only=["GZ-XB-008"], as_of=AFTER_TABLE)
    result = next(r for r in defect["requirements"] if r["id"] == "GZ-XB-008")
    assert result["status"] == "failed" and "500" in result["message"], result["message"]
    assert result["counterexample"]["request"]["at"].startswith("2026-10-31")
