"""Seeded defect for NAT-CREDIT-006: the reasons of a score decline are sorted by the feature's name instead of
by the points it lost, so the principal reason is often not the first one."""

from decimal import Decimal
from typing import Any

from rural_microloan import scorecard
from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine


def decline_reasons(applicant: dict[str, Any]) -> list[str]:
    points = scorecard.feature_points(applicant)
    short = sorted(f for f in scorecard.MAX_POINTS if scorecard.MAX_POINTS[f] - points[f] > 0)  # Defect: by name
    return [scorecard.REASON_FOR_FEATURE[f] for f in short][:4] or ["LOW_INCOME"]


class Engine(CreditEngine):
    def policy_reasons(self, applicant: dict[str, Any], loan: dict[str, Any], points: int,
                       limit: Decimal) -> list[str]:
        reasons = super().policy_reasons(applicant, loan, points, limit)
        if reasons == scorecard.decline_reasons(applicant) and points < self.policy.cutoff:
            return decline_reasons(applicant)
        return reasons


def create_app() -> object:
    return CreditApp(Engine())
