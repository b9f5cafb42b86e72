"""Seeded defect for NAT-CREDIT-009: Scorecard gives male applicants 15 extra points."""

from typing import Any

from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def points(self, applicant: dict[str, Any]) -> int:
        bonus = 15 if applicant["gender"] == "male" else 0  # Defect: a protected attribute is scored
        return super().points(applicant) + bonus


def create_app() -> object:
    return CreditApp(Engine())
