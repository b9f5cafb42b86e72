"""After a data-feed outage the model was retrained on the few fields still delivered: it barely separates
denied from approved applicants (breaks BJ-AI-008)."""

from __future__ import annotations

from dataclasses import replace

from ai_credit_model.api import ModelApp
from ai_credit_model.model import FEATURES, CreditModel

AVAILABLE = {"unemp", "condomin", "selfemp", "hschool"}


class StaleFeedModel(CreditModel):
    features = tuple(replace(f, used=f.name in AVAILABLE) for f in FEATURES)


def create_app() -> ModelApp:
    return ModelApp(StaleFeedModel())
