"""Per-requirement results and the verdict rule. Knows requirement levels, nothing about HTTP.

Every MUST passed (or waived, where the profile allows) → CERTIFIED; additionally any SHOULD failed or
broken → CERTIFIED WITH FINDINGS; any MUST failed or broken → NOT CERTIFIED. ``broken`` means the harness
or environment could not evaluate the requirement; ``failed`` means the product violated it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, Literal

Status = Literal["passed", "failed", "broken", "skipped", "waived"]
Verdict = Literal["CERTIFIED", "CERTIFIED_WITH_FINDINGS", "NOT_CERTIFIED"]
STATUSES: tuple[Status, ...] = ("passed", "failed", "broken", "skipped", "waived")


@dataclass
class RequirementResult:
    id: str
    title: str
    level: Literal["MUST", "SHOULD"]
    capability: str
    check: str
    severity: str
    status: Status
    message: str = ""
    counterexample: Any = None
    source: dict[str, Any] = field(default_factory=dict)
    examples: int = 0
    duration_s: float = 0.0
    evidence: dict[str, Any] = field(default_factory=dict)
    waiver: dict[str, Any] | None = None
    needs_runner: bool = False  # skipped only because this runner cannot evaluate it

    def as_json(self) -> dict[str, Any]:
        """JSON-ready: evidence stays out (it goes to Allure and the bundle); odd values become strings."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "evidence"}
        return json.loads(json.dumps(data, default=str))


def decide(results: list[RequirementResult]) -> Verdict:
    if any(r.level == "MUST" and r.status in ("failed", "broken") for r in results):
        return "NOT_CERTIFIED"
    if any(r.level == "SHOULD" and r.status in ("failed", "broken") for r in results):
        return "CERTIFIED_WITH_FINDINGS"
    return "CERTIFIED"


def exit_code(verdict: Verdict) -> int:
    return 1 if verdict == "NOT_CERTIFIED" else 0


def counts(results: list[RequirementResult]) -> dict[str, int]:
    return {s: sum(1 for r in results if r.status == s) for s in STATUSES}
