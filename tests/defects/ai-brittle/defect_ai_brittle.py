"""A "look-alike" overlay blends in the outcome of the single nearest past applicant (1-nearest neighbour on
two payment ratios): a 1 % change in an input picks another neighbour and flips the decision (about 12 % of
the hold-out decisions; breaks BJ-AI-005)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ai_credit_model.api import ModelApp
from ai_credit_model.model import CreditModel
from sklearn.neighbors import KNeighborsClassifier

RATIOS = ["pirat", "hirat"]  # look-alikes on two ratios: dense enough that a 1 % move picks another twin


class LookalikeModel(CreditModel):
    weight = 0.3

    def fit(self, x: pd.DataFrame, y: np.ndarray) -> None:
        super().fit(x, y)
        self.scale = x[RATIOS].std().to_numpy()
        self.lookalike = KNeighborsClassifier(n_neighbors=1).fit(x[RATIOS].to_numpy() / self.scale, y)

    def pd(self, x: pd.DataFrame) -> np.ndarray:
        twin = self.lookalike.predict(x[RATIOS].to_numpy(dtype=float) / self.scale)
        return np.asarray((1 - self.weight) * super().pd(x) + self.weight * twin)


def create_app() -> ModelApp:
    return ModelApp(LookalikeModel())
