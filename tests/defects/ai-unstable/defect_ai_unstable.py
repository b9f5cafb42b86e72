"""A macro overlay multiplies the PD by exp(2.5 × industry unemployment), normalised to keep the average PD
of the training book: a half-point rise in unemployment moves the whole score distribution (breaks
BJ-AI-011)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ai_credit_model.api import ModelApp
from ai_credit_model.model import CreditModel


class MacroOverlayModel(CreditModel):
    norm = 1.0

    def fit(self, x: pd.DataFrame, y: np.ndarray) -> None:
        super().fit(x, y)
        self.norm = float(np.mean(self.pd(x)) / np.mean(super().pd(x)))

    def pd(self, x: pd.DataFrame) -> np.ndarray:
        factor = np.exp(2.5 * (x["unemp"].to_numpy(dtype=float) - 3.2))
        return np.asarray(np.clip(super().pd(x) * factor / self.norm, 0, 1))


def create_app() -> ModelApp:
    return ModelApp(MacroOverlayModel())
