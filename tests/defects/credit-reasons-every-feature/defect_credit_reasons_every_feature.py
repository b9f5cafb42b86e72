"""Seeded defect for NAT-CREDIT-006: a score decline names income, credit history and employment whatever their
values (ranked by points lost, delinquencies added when there are any), so an applicant with 60 years of
credit history is told it is too short: the reasons are not specific."""

from typing import Any

from rural_microloan import scorecard
from score_reasons import app_with


def decline_reasons(applicant: dict[str, Any]) -> list[str]:
    points = scorecard.feature_points(applicant)
    lost = {f: scorecard.MAX_POINTS[f] - points[f] for f in scorecard.MAX_POINTS}
    named = [f for f in lost if f != "delinquencies_24m" or lost[f] > 0]  # Defect: every feature, lost or not
    ranked = sorted(named, key=lambda f: (-lost[f], f))
    return [scorecard.REASON_FOR_FEATURE[f] for f in ranked][:4]


def create_app() -> object:
    return app_with(decline_reasons)
