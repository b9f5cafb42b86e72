"""Bodies are judged by jsonschema-rs (fast) wherever it can answer, and by the reference ``jsonschema``
validator (``pattern`` read as ECMA-262 reads it, harness/contracts/ecma.py) where it cannot; the reference
writes the messages. That is only sound if the two give one answer: these properties compare them, both
ways, on generated instances of every schema of every contract, on mutations of them, and on tricky values
(huge integers, line breaks, non-ASCII digits).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.checks._conformance_schemas import FORMAT_FUNCTIONS, FORMATS, Schemas, set_path
from harness.contracts.base import Contract, load_contract
from harness.contracts.ecma import ReferenceValidator, python_pattern

pytestmark = pytest.mark.unit
CONTRACTS = ["credit", "cross_border", "ledger", "ai_model", "receivables", "resilience"]
REFS = [(name, f"#/components/schemas/{schema}") for name in CONTRACTS
        for schema in load_contract(name).document.get("components", {}).get("schemas", {})]
TRICKY = [10**30, -(10**30), 2**63, 1e308, "12.00\n", "١٢.٠٠", "", None, True, [], {}, "x" * 5000,
          {"unexpected": 1}, 0.1, -0.0, "2026-02-30", "2026-12-01T10:00:00", "20261201", "2026-W49-2"]


def reference_valid(contract: Contract, ref: str, value: Any) -> bool:
    return not list(contract.validator(ref).iter_errors(value))


def test_every_schema_has_a_fast_validator() -> None:
    assert len(REFS) > 40
    for name, ref in REFS:
        assert load_contract(name).fast_validator(ref) is not None, (name, ref)
        assert load_contract(name).fast_validator(ref, FORMAT_FUNCTIONS) is not None, (name, ref)


def reference_valid_with_formats(contract: Contract, ref: str, value: Any) -> bool:
    validator = ReferenceValidator({"$ref": f"{contract.uri}{ref}"}, registry=contract._registry,
                                   format_checker=FORMATS)
    return not list(validator.iter_errors(value))


@pytest.mark.parametrize(("name", "ref"), REFS, ids=[f"{n}:{r.rsplit('/', 1)[1]}" for n, r in REFS])
@settings(max_examples=8, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_validator_and_reference_give_one_answer(name: str, ref: str, data: st.DataObject) -> None:
    contract = load_contract(name)
    schemas = Schemas(contract, date(2026, 12, 1), 400)
    value = data.draw(schemas.strategy({"$ref": ref}), label="instance")
    candidates = [value, *TRICKY]
    for path, sub, required in list(schemas.fields({"$ref": ref}, value))[:6]:
        candidates += [set_path(value, path, replacement) for _how, replacement in schemas.breakers(sub, required)]
    for candidate in candidates:
        verdict = contract.fast_verdict(ref, candidate)
        if verdict is not None:  # where jsonschema-rs answers, it decides: it must be the reference's answer
            assert verdict == reference_valid(contract, ref, candidate), (ref, candidate)
        dated = contract.fast_verdict(ref, candidate, FORMAT_FUNCTIONS)
        if dated is not None:
            assert dated == reference_valid_with_formats(contract, ref, candidate), (ref, candidate)
        # and the contract client's answer is the reference's, whichever validator decided
        assert (not contract.schema_errors(ref, candidate)) == reference_valid(contract, ref, candidate)
        # the same with dates asserted (how conformance judges a request valid)
        assert schemas.valid({"$ref": ref}, candidate) == reference_valid_with_formats(contract, ref, candidate)


@pytest.mark.parametrize(("pattern", "python"), [
    ("^[A-Z]{3}$", r"^[A-Z]{3}\Z"),
    ("^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,2})?$", r"^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?\Z"),
    ("^(a$|b$)", r"^(a\Z|b\Z)"),
    ("^[$]+$", r"^[$]+\Z"),  # a dollar in a class is a character
    ("^\\$[0-9]+$", r"^\$[0-9]+\Z"),  # an escaped dollar too
    ("^[\\]$]$", r"^[\]$]\Z"),  # an escaped bracket does not end the class
])
def test_an_ecma_end_anchor_is_the_end_of_the_string(pattern: str, python: str) -> None:
    assert python_pattern(pattern).pattern == python


def test_a_trailing_newline_breaks_a_pattern_as_in_ecma_262() -> None:
    """Money is ``^(0|[1-9][0-9]{0,15})\\.[0-9]{2}$``: "1200.00" and not "1200.00\\n" (ECMA-262, the
    JSON-Schema-Test-Suite's optional/ecmascript-regex). Python's ``$`` took both, so a decision whose credit
    line carried a trailing newline passed the contract check."""
    contract = load_contract("credit")
    ref = "#/components/schemas/Decision"
    decision = {"application_id": "a-1", "outcome": "approved", "automatic": True, "credit_limit": "1200.00",
                "amount": "1000.00", "apr": "0.072", "term_months": 12, "repayment_type": "amortizing",
                "lender_share": None, "reason_codes": []}
    assert contract.schema_errors(ref, decision) == []
    broken = {**decision, "credit_limit": "1200.00\n"}
    assert contract.fast_verdict(ref, broken) is False
    assert not reference_valid(contract, ref, broken)
    assert contract.schema_errors(ref, broken) == ["credit_limit: '1200.00\\n' does not match "
                                                   "'^(0|[1-9][0-9]{0,15})\\\\.[0-9]{2}$'"]
