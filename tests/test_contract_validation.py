"""Response bodies are schema-checked by jsonschema-rs first (fast) and by the reference ``jsonschema``
validator whenever the fast one has any doubt. That is only sound if the fast validator never calls a body
valid that the reference rejects: these properties compare the two on generated instances of every schema
of every contract, on mutations of them, and on tricky values (huge integers, line breaks, non-ASCII digits).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.checks._conformance_schemas import FORMAT_FUNCTIONS, FORMATS, Schemas, set_path
from harness.contracts.base import Contract, load_contract

pytestmark = pytest.mark.unit
CONTRACTS = ["credit", "cross_border", "ledger", "ai_model", "receivables", "resilience"]
REFS = [(name, f"#/components/schemas/{schema}") for name in CONTRACTS
        for schema in load_contract(name).document.get("components", {}).get("schemas", {})]
TRICKY = [10**30, -(10**30), 2**63, 1e308, "12.00\n", "١٢.٠٠", "", None, True, [], {}, "x" * 5000,
          {"unexpected": 1}, 0.1, -0.0, "2026-02-30", "2026-12-01T10:00:00", "20261201", "2026-W49-2"]


def reference_valid(contract: Contract, ref: str, value: Any) -> bool:
    return not list(contract.validator(ref).iter_errors(value))


def fast_says_valid(contract: Contract, ref: str, value: Any) -> bool:
    fast = contract.fast_validator(ref)
    assert fast is not None, f"{contract.name}{ref}: the fast validator could not be built"
    try:
        return bool(fast.is_valid(value))
    except Exception:  # schema_errors falls back to the reference then
        return False


def test_every_schema_has_a_fast_validator() -> None:
    assert len(REFS) > 40
    for name, ref in REFS:
        assert load_contract(name).fast_validator(ref) is not None, (name, ref)
        assert load_contract(name).fast_validator(ref, FORMAT_FUNCTIONS) is not None, (name, ref)


def reference_valid_with_formats(contract: Contract, ref: str, value: Any) -> bool:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator({"$ref": f"{contract.uri}{ref}"}, registry=contract._registry,
                                     format_checker=FORMATS)
    return not list(validator.iter_errors(value))


@pytest.mark.parametrize(("name", "ref"), REFS, ids=[f"{n}:{r.rsplit('/', 1)[1]}" for n, r in REFS])
@settings(max_examples=8, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_validator_never_accepts_what_the_reference_rejects(name: str, ref: str, data: st.DataObject) -> None:
    contract = load_contract(name)
    schemas = Schemas(contract, date(2026, 12, 1), 400)
    value = data.draw(schemas.strategy({"$ref": ref}), label="instance")
    candidates = [value, *TRICKY]
    for path, sub, required in list(schemas.fields({"$ref": ref}, value))[:6]:
        candidates += [set_path(value, path, replacement) for _how, replacement in schemas.breakers(sub, required)]
    for candidate in candidates:
        if fast_says_valid(contract, ref, candidate):
            assert reference_valid(contract, ref, candidate), (ref, candidate)
        # and the contract client's answer is the reference's, whichever validator decided
        assert (not contract.schema_errors(ref, candidate)) == reference_valid(contract, ref, candidate)
        # the same with dates asserted (how conformance judges a request valid)
        if contract.surely_valid(ref, candidate, FORMAT_FUNCTIONS):
            assert reference_valid_with_formats(contract, ref, candidate), (ref, candidate)
        assert schemas.valid({"$ref": ref}, candidate) == reference_valid_with_formats(contract, ref, candidate)
