"""Typed client for the AI credit-model contract v1 (``ai_model.yaml``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.contracts.base import ContractClient
from harness.errors import CertificationFailure

BATCH = 5000


class AiModelClient(ContractClient):
    contract_name = "ai_model"

    def score(self, applicants: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Score applicants (in batches the contract allows); one score per applicant, same order."""
        out: list[dict[str, Any]] = []
        for start in range(0, len(applicants), BATCH):
            batch = list(applicants[start:start + BATCH])
            scores: list[dict[str, Any]] = self.call("score", {"applicants": batch})["scores"]
            if [s["id"] for s in scores] != [a["id"] for a in batch]:
                raise CertificationFailure("scores do not answer the applicants one by one, in request order",
                                           evidence={"sent_ids": [a["id"] for a in batch][:50],
                                                     "got_ids": [s["id"] for s in scores][:50]})
            out.extend(scores)
        return out

    def model_card(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("model_card")
        return result

    def features(self) -> list[dict[str, Any]]:
        features: list[dict[str, Any]] = self.call("features")["features"]
        return features

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("health")
        return result
