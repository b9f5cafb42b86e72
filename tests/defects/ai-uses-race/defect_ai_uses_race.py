"""Race (afam) is a training feature: flipping it alone changes decisions (breaks BJ-AI-003)."""

from __future__ import annotations

from dataclasses import replace

from ai_credit_model.api import ModelApp
from ai_credit_model.model import FEATURES, CreditModel


class RaceAwareModel(CreditModel):
    features = tuple(replace(f, used=True) if f.name == "afam" else f for f in FEATURES)


def create_app() -> ModelApp:
    return ModelApp(RaceAwareModel())
