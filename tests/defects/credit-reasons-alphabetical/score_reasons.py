"""Shared by the NAT-CREDIT-006 reason defects (credit-reasons-alphabetical, credit-reasons-every-feature,
which reaches this file through its ``sources``): the reference engine, except that a score decline's
reasons come from the defect's own ``decline_reasons``."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rural_microloan import scorecard
from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine

Reasons = Callable[[dict[str, Any]], list[str]]


def app_with(decline_reasons: Reasons) -> object:
    class Engine(CreditEngine):
        def policy_reasons(self, applicant: dict[str, Any], loan: dict[str, Any], points: int,
                           limit: Decimal) -> list[str]:
            reasons = super().policy_reasons(applicant, loan, points, limit)
            if reasons == scorecard.decline_reasons(applicant) and points < self.policy.cutoff:
                return decline_reasons(applicant)
            return reasons

    return CreditApp(Engine())
