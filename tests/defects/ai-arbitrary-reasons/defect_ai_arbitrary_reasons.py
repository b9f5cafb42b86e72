"""Reason codes come from a static template (schooling first), not from the applicant's score: for almost
every decline the named feature is already favourable, so changing it cannot move the PD (breaks BJ-AI-007)."""

from __future__ import annotations

import pandas as pd
from ai_credit_model.api import ModelApp
from ai_credit_model.model import CreditModel

TEMPLATE = ["hschool", "condomin", "selfemp"]


class TemplateReasonModel(CreditModel):
    def reasons(self, x: pd.DataFrame, pd_: object) -> list[list[str]]:
        return [list(TEMPLATE) for _ in range(len(x))]


def create_app() -> ModelApp:
    return ModelApp(TemplateReasonModel())
