"""Seeded defect for NAT-CREDIT-006: the reasons of a score decline are sorted by the feature's name instead of
by the points it lost, so the principal reason is often not the first one."""

from typing import Any

from rural_microloan import scorecard
from score_reasons import app_with


def decline_reasons(applicant: dict[str, Any]) -> list[str]:
    points = scorecard.feature_points(applicant)
    short = sorted(f for f in scorecard.MAX_POINTS if scorecard.MAX_POINTS[f] - points[f] > 0)  # Defect: by name
    return [scorecard.REASON_FOR_FEATURE[f] for f in short][:4] or ["LOW_INCOME"]


def create_app() -> object:
    return app_with(decline_reasons)
