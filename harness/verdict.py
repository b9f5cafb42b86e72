"""Per-requirement results, the verdict rule and the verdict document. Knows requirement levels, nothing
about HTTP.

Statuses (never blurred):

* ``passed`` — the product met the requirement on every generated example;
* ``failed`` — the product violated it (a shrunk counterexample shows how);
* ``broken`` — the harness or the environment could not evaluate it (never the product's fault);
* ``not_applicable`` — a rule of the profile says it does not apply to this product (``rule`` names it:
  an exempt lender type, or a capability outside the product's certified scope);
* ``not_evaluated`` — it applies, but this runner or this selection (``-k``, an interrupted run) did not
  evaluate it;
* ``waived`` — it failed, and a valid waiver the profile allows covers it.

The rule, in order: any MUST failed → NOT CERTIFIED; else any MUST broken or not evaluated, or nothing
evaluated at all → INCOMPLETE; else any SHOULD failed, broken or not evaluated → CERTIFIED WITH FINDINGS;
else CERTIFIED. Only CERTIFIED and CERTIFIED WITH FINDINGS may be signed.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

Status = Literal["passed", "failed", "broken", "not_applicable", "not_evaluated", "waived"]
Verdict = Literal["CERTIFIED", "CERTIFIED_WITH_FINDINGS", "NOT_CERTIFIED", "INCOMPLETE"]
STATUSES: tuple[Status, ...] = ("passed", "failed", "broken", "not_applicable", "not_evaluated", "waived")
EVALUATED: tuple[Status, ...] = ("passed", "failed", "waived")
SIGNABLE: tuple[Verdict, ...] = ("CERTIFIED", "CERTIFIED_WITH_FINDINGS")

# Exit codes of `sandbox certify` (and of the pytest plugin's session), one per verdict.
EXIT_CODES: dict[Verdict, int] = {"CERTIFIED": 0, "CERTIFIED_WITH_FINDINGS": 0, "NOT_CERTIFIED": 1, "INCOMPLETE": 4}


class RequirementResult(BaseModel):
    """The outcome of one requirement in one run (an entry of ``verdict.json``'s ``requirements``)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    level: Literal["MUST", "SHOULD"]
    capability: str
    check: str
    severity: str
    status: Status
    message: str = ""
    counterexample: Any = None
    rule: str | None = Field(None, description="For not_applicable: the profile rule that allows it")
    source: dict[str, Any] = Field(default_factory=dict)
    examples: int = 0
    duration_s: float = 0.0
    statistics: dict[str, Any] | None = Field(
        None, description="For a decision on a sample: estimate, confidence interval, decision rule, error rate")
    evidence: dict[str, Any] = Field(default_factory=dict, exclude=True)  # goes to Allure and the bundle
    waiver: dict[str, Any] | None = None

    @field_serializer("counterexample", "source", "statistics", "waiver")
    def _json_ready(self, value: Any) -> Any:
        return json.loads(json.dumps(value, default=str))

    def as_json(self) -> dict[str, Any]:
        """JSON-ready: evidence stays out (it goes to Allure and the bundle); odd values become strings."""
        return self.model_dump(mode="json")


def decide(results: list[RequirementResult]) -> Verdict:
    """The verdict rule (module docstring). ``results`` must cover every requirement of the profile."""
    if any(r.level == "MUST" and r.status == "failed" for r in results):
        return "NOT_CERTIFIED"
    if not any(r.status in EVALUATED for r in results):
        return "INCOMPLETE"
    if any(r.level == "MUST" and r.status in ("broken", "not_evaluated") for r in results):
        return "INCOMPLETE"
    if any(r.level == "SHOULD" and r.status in ("failed", "broken", "not_evaluated") for r in results):
        return "CERTIFIED_WITH_FINDINGS"
    return "CERTIFIED"


def reasons(results: list[RequirementResult]) -> list[str]:
    """Why the verdict is what it is: one line per requirement that kept it from CERTIFIED."""
    lines = []
    for r in results:
        if r.status in ("failed", "broken", "not_evaluated"):
            lines.append(f"{r.id} [{r.level}] {r.status}: {r.message}".rstrip(": "))
    if not any(r.status in EVALUATED for r in results):
        lines.append("no requirement was evaluated")
    return lines


def exit_code(verdict: Verdict) -> int:
    return EXIT_CODES[verdict]


def counts(results: list[RequirementResult]) -> dict[str, int]:
    return {s: sum(1 for r in results if r.status == s) for s in STATUSES}
