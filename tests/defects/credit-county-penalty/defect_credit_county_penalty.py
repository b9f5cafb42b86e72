"""Seeded defect for NAT-CREDIT-010: Penalises the ethnic autonomous counties (a proxy for ethnicity)."""

from typing import Any

from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine

HIGH_RISK_COUNTIES = {"500240", "500241", "500242", "500243"}  # Shizhu, Xiushan, Youyang, Pengshui


class Engine(CreditEngine):
    def points(self, applicant: dict[str, Any]) -> int:
        # Defect: a "regional risk" overlay learned from history; in effect a proxy for Tujia and Miao applicants.
        penalty = 60 if applicant["region_code"] in HIGH_RISK_COUNTIES else 0
        return super().points(applicant) - penalty


def create_app() -> object:
    return CreditApp(Engine())
