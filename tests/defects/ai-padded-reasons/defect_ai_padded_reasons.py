"""Every decline gets four reason codes, "so the letter always looks the same": after the reference's real
reasons come stock credit-history reasons, whatever the applicant's record. The first reason is still the
true main reason (breaks BJ-AI-007's at-best rule only)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ai_credit_model.api import ModelApp
from ai_credit_model.model import CreditModel

STOCK = ("chist", "mhist", "phist", "insurance")  # credit history, public record, mortgage insurance


class PaddedReasonModel(CreditModel):
    def reasons(self, x: pd.DataFrame, pd_: np.ndarray) -> list[list[str]]:
        return [(real + [name for name in STOCK if name not in real])[:4] for real in super().reasons(x, pd_)]


def create_app() -> ModelApp:
    return ModelApp(PaddedReasonModel())
