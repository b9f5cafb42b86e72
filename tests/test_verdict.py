"""The verdict rule (DESIGN.md): MUST failed/broken → NOT CERTIFIED; SHOULD failed/broken → WITH FINDINGS."""

from __future__ import annotations

import pytest

from harness.verdict import RequirementResult, decide


def result(level: str, status: str) -> RequirementResult:
    return RequirementResult(id="X-Y-001", title="t", level=level, capability="credit",  # type: ignore[arg-type]
                             check="credit.x", severity="normal", status=status)  # type: ignore[arg-type]


@pytest.mark.parametrize(("results", "expected"), [
    ([("MUST", "passed"), ("SHOULD", "passed")], "CERTIFIED"),
    ([("MUST", "waived"), ("SHOULD", "skipped")], "CERTIFIED"),
    ([("MUST", "passed"), ("SHOULD", "failed")], "CERTIFIED_WITH_FINDINGS"),
    ([("MUST", "passed"), ("SHOULD", "broken")], "CERTIFIED_WITH_FINDINGS"),
    ([("MUST", "failed"), ("SHOULD", "passed")], "NOT_CERTIFIED"),
    ([("MUST", "broken"), ("SHOULD", "failed")], "NOT_CERTIFIED"),
])
def test_verdict_rule(results: list[tuple[str, str]], expected: str) -> None:
    assert decide([result(level, status) for level, status in results]) == expected
