"""Typed client for the credit-decisioning contract v1 (``credit.yaml``)."""

from __future__ import annotations

from typing import Any

from harness.contracts.base import ContractClient


class CreditClient(ContractClient):
    contract_name = "credit"

    def decide(self, application: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.call("decide", application)
        return result

    def schedule(self, request: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.call("schedule", request)
        return result

    def reason_codes(self) -> list[dict[str, Any]]:
        codes: list[dict[str, Any]] = self.call("reason_codes")["codes"]
        return codes

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("health")
        return result
