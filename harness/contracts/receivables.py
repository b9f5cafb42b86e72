"""Typed client for the receivables (supply-chain) finance contract v1 (``receivables.yaml``)."""

from __future__ import annotations

from typing import Any

from harness.contracts.base import ContractClient


class ReceivablesClient(ContractClient):
    contract_name = "receivables"

    def info(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("receivables_info")
        return result

    def register(self, body: dict[str, Any]) -> tuple[int, Any]:
        return self.attempt("register_receivable", body)

    def register_ok(self, body: dict[str, Any]) -> dict[str, Any]:
        """Register a receivable the harness knows is new: a refusal is a failure."""
        result: dict[str, Any] = self.call("register_receivable", body)
        return result

    def receivable(self, receivable_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("get_receivable", receivable_id=receivable_id)
        return result

    def confirm(self, receivable_id: str, party: str) -> tuple[int, Any]:
        return self.attempt("confirm_receivable", {"party": party}, receivable_id=receivable_id)

    def confirm_ok(self, receivable_id: str, debtor: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("confirm_receivable", {"party": debtor}, receivable_id=receivable_id)
        return result

    def request_confirmation(self, receivable_id: str, party: str, at: str) -> tuple[int, Any]:
        return self.attempt("request_confirmation", {"party": party, "at": at}, receivable_id=receivable_id)

    def overdue(self, day: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("overdue_confirmations", day=day)["overdue"]
        return result

    def finance(self, receivable_id: str, financier: str, amount: str) -> tuple[int, Any]:
        return self.attempt("request_financing",
                            {"receivable_id": receivable_id, "financier": financier, "amount": amount})

    def financing(self, financing_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("get_financing", financing_id=financing_id)
        return result

    def repay(self, financing_id: str, amount: str) -> tuple[int, Any]:
        return self.attempt("repay_financing", {"amount": amount}, financing_id=financing_id)
