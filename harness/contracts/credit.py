"""Typed client for the credit-decisioning contract v1 (``credit.yaml``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.contracts.base import ContractClient
from harness.errors import CertificationFailure

BATCH_LIMIT = 100  # ApplicationBatch.applications maxItems


class CreditClient(ContractClient):
    contract_name = "credit"

    def decide(self, application: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.call("decide", application)
        return result

    def decide_many(self, applications: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """The decision for each application, in order: through the optional batch operation when the
        product implements it and there is more than one (a request per 100 applications; NAT-IFACE-003
        checks that a batch decides as single requests do), else one request each."""
        if "decide_batch" not in self.implemented or len(applications) == 1:
            return [self.decide(app) for app in applications]
        decisions: list[dict[str, Any]] = []
        for start in range(0, len(applications), BATCH_LIMIT):
            chunk = list(applications[start:start + BATCH_LIMIT])
            answer: list[dict[str, Any]] = self.call("decide_batch", {"applications": chunk})["decisions"]
            ids = [d.get("application_id") for d in answer]
            if ids != [app["application_id"] for app in chunk]:
                assert self.last is not None
                raise CertificationFailure(
                    f"POST /v1/decisions/batch answered {len(answer)} decisions for {len(chunk)} applications, "
                    "not one per application in order", evidence={"exchange": self.last.as_dict()})
            decisions += answer
        return decisions

    def schedule(self, request: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.call("schedule", request)
        return result

    def reason_codes(self) -> list[dict[str, Any]]:
        codes: list[dict[str, Any]] = self.call("reason_codes")["codes"]
        return codes

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("health")
        return result
