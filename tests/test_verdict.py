"""The verdict rule (DESIGN.md), as a property against an independent statement of it, plus the edge cases
that used to certify: no results, a partial selection, MUSTs not evaluated."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.verdict import STATUSES, RequirementResult, decide, exit_code, reasons

pytestmark = pytest.mark.unit


def result(level: str, status: str, rid: str = "X-Y-001") -> RequirementResult:
    return RequirementResult(id=rid, title="t", level=level, capability="credit",  # type: ignore[arg-type]
                             check="credit.x", severity="normal", status=status)  # type: ignore[arg-type]


results = st.lists(st.tuples(st.sampled_from(["MUST", "SHOULD"]), st.sampled_from(STATUSES)), max_size=12)


def spec(pairs: list[tuple[str, str]]) -> str:
    """The rule as a reader of DESIGN.md would write it, independently of harness.verdict."""
    must = {s for level, s in pairs if level == "MUST"}
    should = {s for level, s in pairs if level == "SHOULD"}
    evaluated = {s for _, s in pairs} & {"passed", "failed", "waived"}
    if "failed" in must:
        return "NOT_CERTIFIED"
    if not evaluated or must & {"broken", "not_evaluated"}:
        return "INCOMPLETE"
    if should & {"failed", "broken", "not_evaluated"}:
        return "CERTIFIED_WITH_FINDINGS"
    return "CERTIFIED"


@given(results)
def test_verdict_rule_matches_its_specification(pairs: list[tuple[str, str]]) -> None:
    verdict = decide([result(level, status, f"X-Y-{i:03d}") for i, (level, status) in enumerate(pairs)])
    assert verdict == spec(pairs)


@given(results)
def test_certified_never_hides_an_unevaluated_or_failed_must(pairs: list[tuple[str, str]]) -> None:
    rows = [result(level, status) for level, status in pairs]
    if decide(rows) in ("CERTIFIED", "CERTIFIED_WITH_FINDINGS"):
        assert all(r.status in ("passed", "waived", "not_applicable") for r in rows if r.level == "MUST")
        assert any(r.status in ("passed", "failed", "waived") for r in rows)
    if decide(rows) != "CERTIFIED":
        assert reasons(rows)  # every verdict short of CERTIFIED says why


@pytest.mark.parametrize(("pairs", "expected"), [
    ([], "INCOMPLETE"),
    ([("MUST", "not_applicable"), ("SHOULD", "not_applicable")], "INCOMPLETE"),
    ([("MUST", "passed"), ("MUST", "not_evaluated")], "INCOMPLETE"),
    ([("MUST", "broken"), ("SHOULD", "passed")], "INCOMPLETE"),
    ([("MUST", "failed"), ("MUST", "not_evaluated")], "NOT_CERTIFIED"),
    ([("MUST", "waived"), ("SHOULD", "not_applicable")], "CERTIFIED"),
    ([("MUST", "passed"), ("SHOULD", "not_evaluated")], "CERTIFIED_WITH_FINDINGS"),
])
def test_edge_cases(pairs: list[tuple[str, str]], expected: str) -> None:
    assert decide([result(level, status) for level, status in pairs]) == expected


def test_exit_codes_are_distinct_for_incomplete() -> None:
    assert [exit_code(v) for v in ("CERTIFIED", "CERTIFIED_WITH_FINDINGS", "NOT_CERTIFIED", "INCOMPLETE")] == \
        [0, 0, 1, 4]
