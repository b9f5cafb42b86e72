"""False findings the seed benchmark found against the reference products (``benchmarks/seed_verdicts.py
--seeds 50``, 2026-12-02: 13 of 150 runs), each pinned at its seed so it stays fixed, with the cause:

- chongqing seed 23, NAT-IFACE-001: a valid schedule (principal near the contract's largest, APR 1, 60
  months) has totals one digit longer than the contract's response Money allowed; and the harness then
  reported "not reproducible", because the example budget rejected a replay Hypothesis made.
- chongqing seed 3, NAT-CREDIT-012: a junk value (True for a co_lending that was False) left the request
  valid, and the check expected a 4xx.
- guangzhou seeds 3, 6, 12, 13, 21, 22, 25, 29, 39, 41, GZ-IFACE-001: a generated valid payment of 0.100 CNY,
  finer than CNY's minor units, which the product refuses (now the contract's typed 422 minor-units problem).
- guangzhou seed 30, GZ-XB-010: the canary CVV was the PAN's last four digits, which a product may show.
- chongqing seed 27, NAT-CREDIT-006 (2026-12-03, after the credit strategies stopped drawing pinned fields): a
  delinquent applicant with 10,095 a year asking 1,000 over one month. The check read the order of the reasons
  (delinquencies first) as if affordability were out of play, because the loan was a tenth of the yearly income;
  but its monthly payment exceeds the monthly income, so repairing delinquencies alone still declines (debt
  burden) while repairing income lifts both. The order is now read only when the monthly principal is also
  at most a tenth of the monthly income.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from conftest import REFERENCE_CREDIT, ROOT
from hypothesis import find
from hypothesis.errors import FlakyFailure, NoSuchExample, UnsatisfiedAssumption

from harness.api import certify, statuses
from harness.checks.context import _budget_artefact
from harness.checks.cross_border_messages import cards
from harness.errors import CertificationFailure

XBORDER = ROOT / "products" / "xborder-payments"


@pytest.mark.parametrize(("product", "profile", "seed", "requirements"), [
    (REFERENCE_CREDIT, "chongqing", 23, ["NAT-IFACE-001"]),
    (REFERENCE_CREDIT, "chongqing", 3, ["NAT-CREDIT-012"]),
    (XBORDER, "guangzhou", 3, ["GZ-IFACE-001"]),
    (XBORDER, "guangzhou", 30, ["GZ-XB-010"]),
    (REFERENCE_CREDIT, "chongqing", 27, ["NAT-CREDIT-006"]),
])
def test_the_reference_passes_where_the_seed_benchmark_found_a_false_finding(
        product: Path, profile: str, seed: int, requirements: list[str]) -> None:
    doc = certify(product, profile, seed=seed, only=requirements)
    assert {r: statuses(doc)[r] for r in requirements} == dict.fromkeys(requirements, "passed"), [
        (r["id"], r["message"]) for r in doc["requirements"] if r["id"] in requirements]


@pytest.mark.unit
def test_a_replay_rejected_by_the_budget_is_not_called_a_product_inconsistency() -> None:
    budget = FlakyFailure("Inconsistent results from replaying a test case!", [UnsatisfiedAssumption("budget")])
    product = FlakyFailure("Inconsistent results", [CertificationFailure("answered 200, then 500")])
    assert _budget_artefact(budget) and not _budget_artefact(product)


@pytest.mark.unit
def test_canary_cvv_and_pin_are_never_part_of_the_pan() -> None:
    for field in ("cvv", "pin"):
        with pytest.raises(NoSuchExample):
            find(cards(), lambda card, f=field: card[f] in card["pan"])  # type: ignore[misc]


def test_an_amount_finer_than_the_currency_gets_the_typed_problem(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    monkeypatch.syspath_prepend(str(XBORDER))
    monkeypatch.setenv("SANDBOX_DATA_DIR", str(tmp_path))
    from xborder_payments.api import create_app

    body = {"payment_id": "p1", "at": "2026-10-30T10:00:00+08:00", "amount": "0.100", "currency": "CNY",
            "originator": {"name": "A", "account": "1"}, "beneficiary": {"name": "B", "account": "2"}}
    with httpx.Client(transport=httpx.WSGITransport(app=create_app()), base_url="http://p") as http:
        answer = http.post("/v1/xb/payments", json=body)
    assert answer.status_code == 422
    assert answer.json()["type"] == "urn:sandbox:xb:minor-units"


@pytest.mark.unit
def test_a_short_term_makes_a_small_loan_unaffordable_for_the_reason_order() -> None:
    """The seed-27 application: a tenth of the yearly income, but over one month it is more than the monthly
    income, so the order of its reasons is not read; over twelve months it is."""
    from harness.checks.credit_reasons import _affordable

    app = {"applicant": {"annual_incomes": ["9999.98", "9999.98", "10285.70"], "monthly_debt_payments": "0.00",
                         "existing_balance": "0.00"}, "loan": {"amount": "1000.00", "term_months": 1}}
    assert not _affordable(app)
    assert _affordable({**app, "loan": {"amount": "1000.00", "term_months": 12}})
