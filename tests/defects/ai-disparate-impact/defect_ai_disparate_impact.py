"""The same model with a much stricter cut-off: the selection-rate ratio by race falls well below
four-fifths (breaks BJ-AI-002), although the model itself never reads race."""

from __future__ import annotations

from ai_credit_model.api import ModelApp
from ai_credit_model.model import CreditModel


class StrictModel(CreditModel):
    threshold = 0.12


def create_app() -> ModelApp:
    return ModelApp(StrictModel())
