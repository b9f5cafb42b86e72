"""Generic contract conformance (harness/checks/conformance.py): every reference product passes the
conformance requirement of each capability it implements; each seeded defect fails it (a booking interface
that refuses valid bookings, a one-month term or a zero amount included); the cross-border
rate-table end (a 500 for any quote after 2026-10-30, today included) is caught and the fixed reference passes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from harness.api import certify, statuses

AS_OF = date(2026, 12, 1)  # after the end of the shipped ECB rate table (2026-10-30)

REFERENCES = [
    ("products/rural-microloan", "chongqing", "NAT-IFACE-001"),
    ("products/rural-microloan", "chongqing", "NAT-IFACE-002"),
    ("products/chain-ledger", "hangzhou", "BC-IFACE-001"),
    ("products/ai-credit-model", "beijing", "BJ-IFACE-001"),
    ("products/xborder-payments", "guangzhou", "GZ-IFACE-001"),
    ("products/receivables-platform", "shanghai", "SH-IFACE-001"),
]
DEFECTS = [
    ("tests/defects/iface-credit-null-500", "chongqing", "NAT-IFACE-001"),
    ("tests/defects/iface-booking-null-500", "chongqing", "NAT-IFACE-002"),
    ("tests/defects/iface-booking-refuses-all", "chongqing", "NAT-IFACE-002"),
    ("tests/defects/iface-booking-term-one", "chongqing", "NAT-IFACE-002"),
    ("tests/defects/iface-booking-zero-amount", "chongqing", "NAT-IFACE-002"),
    ("tests/defects/iface-ledger-null-500", "hangzhou", "BC-IFACE-001"),
    ("tests/defects/iface-ai-null-500", "beijing", "BJ-IFACE-001"),
    ("tests/defects/xb-rate-table-end", "guangzhou", "GZ-IFACE-001"),
    ("tests/defects/iface-receivables-null-500", "shanghai", "SH-IFACE-001"),
    ("tests/defects/xb-name-unbounded", "guangzhou", "GZ-IFACE-001"),
    ("tests/defects/iface-credit-trims-input", "chongqing", "NAT-IFACE-001"),
    ("tests/defects/iface-booking-any-digits", "chongqing", "NAT-IFACE-002"),
    ("tests/defects/iface-credit-newline-amount", "chongqing", "NAT-IFACE-001"),
]


@pytest.mark.parametrize(("product", "profile", "requirement"), REFERENCES, ids=[r[2] for r in REFERENCES])
def test_reference_conforms(product: str, profile: str, requirement: str) -> None:
    doc = certify(product, profile, only=[requirement], as_of=AS_OF)
    result = next(r for r in doc["requirements"] if r["id"] == requirement)
    assert result["status"] == "passed", result["message"]


@pytest.mark.parametrize(("product", "profile", "requirement"), DEFECTS,
                         ids=[d[0].rsplit("/", 1)[1] for d in DEFECTS])
def test_defect_fails_conformance(product: str, profile: str, requirement: str) -> None:
    doc = certify(product, profile, only=[requirement], as_of=AS_OF)
    result = next(r for r in doc["requirements"] if r["id"] == requirement)
    assert result["status"] == "failed", result["message"]
    assert result["counterexample"]


def test_a_trailing_newline_is_refused_as_the_contract_reads_its_pattern() -> None:
    """A value that matches the pattern but for a final line break is schema-invalid (ECMA-262 ``$``): the
    product that trims its input fails on exactly that, and the references (which checked with ``re.match``
    and so accepted it, until this case existed) refuse it."""
    doc = certify("tests/defects/iface-credit-trims-input", "chongqing", only=["NAT-IFACE-001"], as_of=AS_OF)
    result = next(r for r in doc["requirements"] if r["id"] == "NAT-IFACE-001")
    assert result["status"] == "failed"
    assert "principal: a valid value and a line break" in result["message"]
    assert "accepted with 200" in result["message"]
    assert result["counterexample"]["body"]["principal"].endswith("\n")


def test_digits_other_than_ascii_are_refused_as_the_contract_reads_its_pattern() -> None:
    """``[0-9]`` is ASCII; Python's ``\\d`` takes "１０００.００" and ``Decimal()`` reads it as 1000.00. The product
    that checks its amounts so books a schema-invalid amount, and fails on exactly that."""
    doc = certify("tests/defects/iface-booking-any-digits", "chongqing", only=["NAT-IFACE-002"], as_of=AS_OF)
    result = next(r for r in doc["requirements"] if r["id"] == "NAT-IFACE-002")
    assert result["status"] == "failed"
    assert "amount: a valid value in full-width digits" in result["message"]
    assert "accepted with 201" in result["message"]
    assert "０" in result["counterexample"]["body"]["amount"]


def test_an_answer_with_a_trailing_newline_breaks_the_contract() -> None:
    """The response side of the same reading: a decision whose credit_limit is "….00\\n" breaks the Money
    pattern, and the message names the field."""
    doc = certify("tests/defects/iface-credit-newline-amount", "chongqing", only=["NAT-IFACE-001"], as_of=AS_OF)
    result = next(r for r in doc["requirements"] if r["id"] == "NAT-IFACE-001")
    assert result["status"] == "failed"
    assert "breaks the contract" in result["message"] and "does not match" in result["message"], result["message"]


def test_rate_table_end_fails_the_fx_check_and_the_fixed_reference_passes() -> None:
    defect = certify("tests/defects/xb-rate-table-end", "guangzhou", only=["GZ-XB-001"], as_of=AS_OF)
    assert statuses(defect)["GZ-XB-001"] == "failed"
    assert "500" in next(r for r in defect["requirements"] if r["id"] == "GZ-XB-001")["message"]
    fixed = certify("products/xborder-payments", "guangzhou", only=["GZ-XB-001"], as_of=AS_OF)
    assert statuses(fixed)["GZ-XB-001"] == "passed"


def test_booking_fields_get_their_edges_and_fresh_ids_never_repeat() -> None:
    import re

    from harness.checks._conformance_schemas import Schemas
    from harness.checks.conformance import Fresh
    from harness.contracts.base import load_contract

    contract = load_contract("resilience")
    schemas = Schemas(contract, AS_OF, 30)
    request = contract.document["components"]["schemas"]["BookingRequest"]["properties"]
    assert {"0", "0.00", "0.01", "999999999999999.99"} <= set(schemas.alternatives(request["amount"]))
    assert {1, 60} <= set(schemas.alternatives(request["term_months"]))
    fresh = Fresh(20201, ["booking_id"])
    ids = [fresh.next() for _ in range(500)]
    assert len(set(ids)) == 500
    assert all(re.fullmatch(contract.document["components"]["schemas"]["Id"]["pattern"].strip("^$"), i) for i in ids)


def test_invalid_variants_stand_on_an_accepted_payment_past_the_rate_table() -> None:
    """On the as-of date the rate table has ended, so the simplest payment gets the allowed no-rate 422; the
    variants are built on the payment of the first earlier day the product accepted. The unbounded-name
    defect is caught on that day (its 141-character name executed with 200), not hidden by the 422."""
    doc = certify("tests/defects/xb-name-unbounded", "guangzhou", only=["GZ-IFACE-001"], as_of=AS_OF)
    result = next(r for r in doc["requirements"] if r["id"] == "GZ-IFACE-001")
    assert "schema-invalid request was accepted with 200" in result["message"], result["message"]
    body = result["counterexample"]["body"]
    assert result["counterexample"]["operation"] == "pay" and "name" in result["counterexample"]["change"]
    assert body["at"][:10] < "2026-10-31" and max(len(body["originator"]["name"]),
                                                   len(body["beneficiary"]["name"])) == 141


@pytest.mark.unit
def test_request_formats_and_positive_amounts_are_broken_deterministically() -> None:
    from harness.checks._conformance_schemas import Schemas
    from harness.contracts.base import load_contract

    contract = load_contract("cross_border")
    schemas = Schemas(contract, AS_OF, 400)
    parts = contract.document["components"]["schemas"]
    amount = dict(schemas.breakers(parts["Amount"], True))
    assert {"pattern refuses '0'", "pattern refuses '0.00'"} <= set(amount)
    when = dict(schemas.breakers(parts["Timestamp"], True))
    assert when["not a date-time"] == "2026-12-01T25:00:00+08:00"
    request = {"payment_id": "p", "at": "2026-12-01T25:00:00+08:00", "amount": "1", "currency": "CNY",
               "originator": {"name": "a", "account": "1"}, "beneficiary": {"name": "b", "account": "2"}}
    ref = {"$ref": "#/components/schemas/PaymentRequest"}
    assert not schemas.valid(ref, request)
    assert schemas.valid(ref, {**request, "at": "2026-12-01T23:59:59+08:00"})
    assert "x" * 140 in schemas.alternatives(parts["Party"]["properties"]["name"])
    days = schemas.base_days()
    assert days[0] == AS_OF and date(2026, 1, 1) in days and len(days) == len(set(days))
    assert min(days) >= AS_OF - timedelta(days=400)


@pytest.mark.unit
def test_fields_of_optional_objects_are_covered_and_broken() -> None:
    """A payment's card is optional, so the simplest payment has none: the deterministic phase adds it at its
    simplest and covers and breaks its own fields (track2 at exactly and one past its maxLength)."""
    from harness.checks._conformance_schemas import Schemas
    from harness.checks.conformance import ConformanceParams, deterministic_cases, operations
    from harness.contracts.base import load_contract

    contract = load_contract("cross_border")
    params = ConformanceParams(accepts=["pay"], fresh=["payment_id"])
    cases = [c for c in deterministic_cases(Schemas(contract, AS_OF, 400), operations(contract, []), params)
             if c["operation"] == "pay"]
    changes = {c["change"]: c for c in cases}
    assert not changes["with every optional object"]["invalid"]
    assert changes["card.track2: longer than maxLength"]["invalid"]
    assert changes[f"card.track2 = {'x' * 40!r}"]["body"]["card"]["pan"]
