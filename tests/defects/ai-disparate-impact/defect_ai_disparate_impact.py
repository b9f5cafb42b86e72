"""The same model with a much stricter cut-off and a "segment" decline rule added without a fairness
review: applicants who resemble the book's high-denial segment (a model of race fitted on the legitimate
features) are declined outright. The selection-rate ratio by race falls to about 0.44, far below
four-fifths (breaks BJ-AI-002), although the model never reads race and its PD ranking is the reference
model's (BJ-AI-003 and BJ-AI-004 are not what this defect breaks)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ai_credit_model.api import ModelApp
from ai_credit_model.model import CreditModel
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class StrictModel(CreditModel):
    threshold = 0.12
    segment_cutoff = 0.15  # decline when the segment likeness is at least this

    def fit(self, x: pd.DataFrame, y: np.ndarray) -> None:
        super().fit(x, y)
        self.segment = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        self.segment.fit(x, self.data.features["afam"].astype(int))  # the "segment" is race

    def decide(self, x: pd.DataFrame, pd_: np.ndarray) -> np.ndarray:
        likeness = self.segment.predict_proba(x[self.columns].astype(float))[:, 1]
        return np.asarray((pd_ >= self.threshold) | (likeness >= self.segment_cutoff))


def create_app() -> ModelApp:
    return ModelApp(StrictModel())
