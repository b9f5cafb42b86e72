"""The feature list flags afam (race) as an ordinary feature: a metadata slip. The model still never reads
it, so every behaviour check passes; only comparing the flag with the evaluation data's protected
attributes shows it (breaks BJ-AI-007)."""

from __future__ import annotations

from dataclasses import replace

from ai_credit_model.api import ModelApp
from ai_credit_model.model import CreditModel


class UnflaggedModel(CreditModel):
    features = tuple(replace(f, protected=False) if f.name == "afam" else f for f in CreditModel.features)


def create_app() -> ModelApp:
    return ModelApp(UnflaggedModel())
