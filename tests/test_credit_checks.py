"""Every credit check can fail: each seeded defect fails its requirement, the reference passes them all; the
deterministic cases of the strengthened checks (LPR period edges, due dates, affordability, reasons) hold what
they claim."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import REFERENCE_CREDIT, defect_products
from runs import SharedRun

from harness.api import certify, statuses
from harness.checks.common import DatedRate
from harness.checks.credit_conduct import affordability_cases, debt_to_income
from harness.checks.credit_reasons import reason_cases
from harness.checks.credit_rules import rate_change_days
from harness.checks.credit_schedule import due_date
from harness.manifests import load_manifest
from harness.profiles import load_profile


@pytest.fixture(scope="module")
def reference_verdict(shared_run: SharedRun) -> dict[str, Any]:
    return shared_run(REFERENCE_CREDIT, "chongqing")[0]


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
def test_seeded_defect_fails_its_requirement(product: Path, targets: list[str], reference_verdict: dict[str, Any],
                                             shared_run: SharedRun) -> None:
    doc, _ = shared_run(product, "chongqing", only=targets)
    profile = load_profile("chongqing")
    for req_id in targets:
        result = next(r for r in doc["requirements"] if r["id"] == req_id)
        assert result["status"] == "failed", result["message"]
        assert result["counterexample"], "a failure must carry the shrunk counterexample"
        assert statuses(reference_verdict)[req_id] == "passed"
    levels = {profile.requirement(t).level for t in targets}
    # a partial run (only=) is INCOMPLETE unless a MUST failed
    assert doc["verdict"] == ("NOT_CERTIFIED" if "MUST" in levels else "INCOMPLETE")


BATCH_DEFECTS = ["credit-lpr-cut-late", "credit-income-cliff", "credit-county-penalty", "credit-reasons-alphabetical"]


def test_some_defects_answer_through_the_batch_operation() -> None:
    """These declare ``decide_batch``, so the checks that decide several applications at once (the APR grid,
    the monotonicity ladder, the fairness population, the reason repairs) reach them through the batch path:
    the test above then shows that path catches a defect as the single-request path does for the others."""
    for name in BATCH_DEFECTS:
        assert "decide_batch" in load_manifest(Path(__file__).parent / "defects" / name).implemented("credit")


NEW_DEFECTS = ["credit-lpr-cut-late", "credit-due-30-days", "credit-debt-bonus", "credit-dti-ignores-debt",
               "credit-decline-not-automatic", "credit-reasons-alphabetical", "credit-reasons-every-feature",
               "credit-total-payment-level", "credit-balance-as-income", "credit-purpose-reason-undeclared",
               "credit-no-income-500", "credit-interest-free-lump", "credit-debt-reason-undeclared"]


@pytest.mark.parametrize("name", NEW_DEFECTS)
def test_defects_of_the_explicit_phase_fail_at_any_seed(name: str) -> None:
    """These defects are caught by the deterministic explicit cases, so a seed other than the profile's finds
    them too, on the first examples (no random luck)."""
    folder = Path(__file__).parent / "defects" / name
    targets = load_manifest(folder).seeded_defect.requirements  # type: ignore[union-attr]
    doc = certify(folder, "chongqing", only=targets, seed=7)
    for req_id in targets:
        result = next(r for r in doc["requirements"] if r["id"] == req_id)
        assert result["status"] == "failed", result["message"]


def test_rate_change_days_cover_every_lpr_period_edge() -> None:
    p = load_profile("national").requirement("NAT-CREDIT-001").parameters
    table = [DatedRate(**e) for e in p["lpr_1y"]]
    days = rate_change_days(table, date.fromisoformat(str(p["valid_until"])))
    first = min(e.effective for e in table)
    for entry in table:
        for day in (entry.effective - timedelta(days=1), entry.effective, entry.effective + timedelta(days=1)):
            assert (day in days) == (day >= first)
    assert max(days) == date.fromisoformat(str(p["valid_until"]))


def test_due_dates_follow_calendar_months() -> None:
    assert due_date(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert due_date(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert due_date(date(2025, 11, 30), 2) == date(2026, 1, 30)
    assert due_date(date(2025, 1, 31), 13) == date(2026, 2, 28)
    assert due_date(date(2025, 3, 1), 60) == date(2030, 3, 1)


def test_affordability_cases_lie_above_the_cap_when_granted_as_asked() -> None:
    limit = Decimal("0.55")
    *priced, no_income = affordability_cases(limit)
    for app in priced:
        asked = {"amount": app["loan"]["amount"], "term_months": app["loan"]["term_months"]}
        ratio = debt_to_income(app, asked)
        assert ratio is not None and limit < ratio <= 4 * limit
    assert debt_to_income(no_income, {"amount": "1.00", "term_months": 1}) is None  # nothing to divide by


@pytest.fixture
def reference_engine() -> Iterator[Any]:
    """The reference product's CreditEngine, imported from its folder (and unloaded after)."""
    import sys

    sys.path.insert(0, str(REFERENCE_CREDIT))
    try:
        from rural_microloan.engine import CreditEngine

        yield CreditEngine()
    finally:
        sys.path.remove(str(REFERENCE_CREDIT))
        for name in [m for m in sys.modules if m.startswith("rural_microloan")]:
            del sys.modules[name]


def test_the_no_income_case_reaches_the_reference_affordability_rule(reference_engine: Any) -> None:
    decision = reference_engine.decide(affordability_cases(Decimal("0.55"))[-1])
    assert (decision["outcome"], decision["reason_codes"]) == ("declined", ["HIGH_DEBT_BURDEN"])


def test_reason_cases_are_declined_by_the_reference_with_specific_reasons(reference_engine: Any) -> None:
    outcomes = [reference_engine.decide(app) for app in reason_cases()[:7]]
    assert [d["outcome"] for d in outcomes] == ["declined"] * 7
    assert outcomes[0]["reason_codes"] == ["LOW_INCOME", "DELINQUENCIES"]  # history, employment at the maximum
    assert outcomes[1]["reason_codes"][0] == "DELINQUENCIES"  # 105 points lost, income and history 20 and 10
    assert "DELINQUENCIES" not in outcomes[2]["reason_codes"]
    assert outcomes[3]["reason_codes"] == ["DELINQUENCIES", "LOW_INCOME"]  # still declined once income is repaired
    assert outcomes[4]["reason_codes"] == ["BALANCE_LIMIT"]  # 500.00 left under the cap, which income cannot move
    assert [outcomes[5]["reason_codes"], outcomes[6]["reason_codes"]] == [["PROHIBITED_PURPOSE"], ["BULLET_TERM"]]
