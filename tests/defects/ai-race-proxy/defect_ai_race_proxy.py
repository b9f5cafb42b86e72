"""A "segment" risk overlay learnt from the historical book raises the PD of applicants who look like the
segment; the segment likeness is a model fitted to *race* on the legitimate features (redlining by proxy;
breaks BJ-AI-004). Race itself is never read at scoring time, so flipping it changes nothing (BJ-AI-003
passes). HMDA's features predict race only moderately (AUC about 0.75), so the overlay has to be heavy to
matter, and it then also widens the approval gap between groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ai_credit_model.api import ModelApp
from ai_credit_model.model import CreditModel
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class SegmentOverlayModel(CreditModel):
    overlay = 0.8  # PD points added per unit of segment likeness

    def fit(self, x: pd.DataFrame, y: np.ndarray) -> None:
        super().fit(x, y)
        self.segment = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        self.segment.fit(x, self.data.features["afam"].astype(int))  # the "segment" is race

    def pd(self, x: pd.DataFrame) -> np.ndarray:
        base = super().pd(x)
        likeness = self.segment.predict_proba(x[self.columns].astype(float))[:, 1]
        return np.asarray(np.clip(base + self.overlay * likeness, 0, 1))


def create_app() -> ModelApp:
    return ModelApp(SegmentOverlayModel())
