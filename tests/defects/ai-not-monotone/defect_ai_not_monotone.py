"""No monotone constraints, and applicants whose payments are a very small share of income are treated as
suspicious: more income can raise the PD although the feature list declares it cannot (breaks BJ-AI-006)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from ai_credit_model.api import ModelApp
from ai_credit_model.model import CreditModel
from sklearn.ensemble import HistGradientBoostingClassifier


class UnconstrainedModel(CreditModel):
    def build_estimator(self) -> Any:
        return HistGradientBoostingClassifier(**self.params)  # monotonic_cst forgotten

    def pd(self, x: pd.DataFrame) -> np.ndarray:
        suspicious = x["pirat"].to_numpy(dtype=float) < 0.15  # "income too good to be true"
        return np.asarray(np.clip(super().pd(x) + 0.1 * suspicious, 0, 1))


def create_app() -> ModelApp:
    return ModelApp(UnconstrainedModel())
