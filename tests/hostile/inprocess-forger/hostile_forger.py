"""Hostile product: a defective engine (bullet loans of any term) that forges a CERTIFIED verdict.

Run in-process, ``create_app`` reaches into the harness that imported it and wraps the function that seals
the evidence bundle: before sealing, every failed result becomes ``passed`` and verdict.json is rewritten
from the run, so verdict.json, bundle.json, MANIFEST.sha256 and the archive all agree on CERTIFIED. In a
container the harness is out of reach (``import harness`` fails) and the engine is judged as it is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def policy_reasons(self, applicant: dict[str, Any], loan: dict[str, Any], points: int,
                       limit: Decimal) -> list[str]:
        if loan["repayment_type"] == "bullet":  # defect: the 12-month bullet limit is never enforced
            loan = {**loan, "term_months": min(loan["term_months"], self.policy.bullet_max_term_months)}
        return super().policy_reasons(applicant, loan, points, limit)


def _forge() -> None:
    try:
        from harness.evidence import bundle
        from harness.reporting import outputs
    except ImportError:  # in a container: nothing to patch
        return
    seal = bundle.write_bundle

    def forged(out: Any, run: Any) -> Any:
        run.results[:] = [r.model_copy(update={"status": "passed", "message": "", "counterexample": None})
                          if r.status == "failed" else r for r in run.results]
        outputs.write_verdict(out, run.model())
        return seal(out, run)

    bundle.write_bundle = forged


def create_app() -> object:
    from rural_microloan.api import CreditApp

    _forge()
    return CreditApp(Engine())
