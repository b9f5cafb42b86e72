"""Seeded defect for NAT-CREDIT-006: a score decline names income, credit history and employment whatever their
values (ranked by points lost, delinquencies added when there are any), so an applicant with 60 years of
credit history is told it is too short: the reasons are not specific."""

from decimal import Decimal
from typing import Any

from rural_microloan import scorecard
from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine


def decline_reasons(applicant: dict[str, Any]) -> list[str]:
    points = scorecard.feature_points(applicant)
    lost = {f: scorecard.MAX_POINTS[f] - points[f] for f in scorecard.MAX_POINTS}
    named = [f for f in lost if f != "delinquencies_24m" or lost[f] > 0]  # Defect: every feature, lost or not
    ranked = sorted(named, key=lambda f: (-lost[f], f))
    return [scorecard.REASON_FOR_FEATURE[f] for f in ranked][:4]


class Engine(CreditEngine):
    def policy_reasons(self, applicant: dict[str, Any], loan: dict[str, Any], points: int,
                       limit: Decimal) -> list[str]:
        reasons = super().policy_reasons(applicant, loan, points, limit)
        if reasons == scorecard.decline_reasons(applicant) and points < self.policy.cutoff:
            return decline_reasons(applicant)
        return reasons


def create_app() -> object:
    return CreditApp(Engine())
