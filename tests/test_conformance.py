"""Generic contract conformance (harness/checks/conformance.py): every reference product passes the
conformance requirement of each capability it implements; each seeded defect fails it (a booking interface
that refuses valid bookings, a one-month term or a zero amount included); the cross-border
rate-table end (a 500 for any quote after 2026-10-30, today included) is caught and the fixed reference passes."""

from __future__ import annotations

from datetime import date

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
