"""Every decline gets four reason codes, "so the letter always looks the same": after the features whose
favourable move lowers the PD come the next ones by rank, even when moving them would raise it. The first
reason is still the true main reason (breaks BJ-AI-007's later-reason rule only)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ai_credit_model.api import ModelApp
from ai_credit_model.model import CreditModel


class PaddedReasonModel(CreditModel):
    def reasons(self, x: pd.DataFrame, pd_: np.ndarray) -> list[list[str]]:
        explained = [f for f in self.used if not f.protected]
        copies = []
        for f in explained:
            moved = x.copy()
            moved[f.name] = self.favourable[f.name]
            copies.append(moved)
        after = self.pd(pd.concat(copies, ignore_index=True)).reshape(len(explained), len(x)).T
        drops = pd_[:, None] - after
        return [[explained[j].name for j in np.argsort(-row, kind="stable")[:4]] for row in drops]


def create_app() -> ModelApp:
    return ModelApp(PaddedReasonModel())
