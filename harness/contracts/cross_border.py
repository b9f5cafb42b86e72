"""Typed client for the cross-border payments contract v1 (``cross_border.yaml``)."""

from __future__ import annotations

from typing import Any

from harness.contracts.base import ContractClient


class CrossBorderClient(ContractClient):
    contract_name = "cross_border"

    def _dict(self, operation_id: str, body: Any = None, **path_params: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call(operation_id, body, **path_params)
        return result

    def info(self) -> dict[str, Any]:
        return self._dict("info")

    def quote(self, request: dict[str, Any]) -> dict[str, Any]:
        return self._dict("quote", request)

    def convert(self, quote_id: str, at: str) -> dict[str, Any]:
        return self._dict("convert", {"quote_id": quote_id, "at": at})

    def fx_purchase(self, request: dict[str, Any]) -> dict[str, Any]:
        return self._dict("fx_purchase", request)

    def fx_usage(self, person_id: str, year: int) -> dict[str, Any]:
        return self._dict("fx_usage", person_id=person_id, year=year)

    def pay(self, request: dict[str, Any]) -> dict[str, Any]:
        return self._dict("pay", request)

    def message(self, payment_id: str) -> dict[str, Any]:
        return self._dict("message", payment_id=payment_id)

    def reports(self, day: str) -> list[dict[str, Any]]:
        reports: list[dict[str, Any]] = self._dict("reports", day=day)["reports"]
        return reports

    def sanctions_reports(self, day: str) -> list[dict[str, Any]]:
        reports: list[dict[str, Any]] = self._dict("sanctions_reports", day=day)["reports"]
        return reports

    def load_list(self, list_id: str, entries: list[dict[str, str]]) -> dict[str, Any]:
        return self._dict("load_list", {"list_id": list_id, "entries": entries})

    def screen(self, name: str) -> dict[str, Any]:
        return self._dict("screen", {"name": name})
