"""Typed client for the ledger contract v1 (``ledger.yaml``)."""

from __future__ import annotations

from typing import Any

from harness.contracts.base import ContractClient
from harness.errors import CertificationFailure


class LedgerClient(ContractClient):
    contract_name = "ledger"

    def info(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("ledger_info")
        return result

    def create_account(self, public_key: str) -> str:
        account: str = self.call("create_account", {"public_key": public_key})["account"]
        return account

    def account(self, account: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("get_account", account=account)
        return result

    def accounts(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("list_accounts")["accounts"]
        return result

    def mint(self, to: str, amount: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("mint", {"to": to, "amount": amount})
        return result

    def supply(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("supply")
        return result

    def seal(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("seal")
        return result

    def head(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("head")
        return result

    def block(self, height: int) -> dict[str, Any]:
        result: dict[str, Any] = self.call("block", height=height)
        return result

    def blocks(self, start: int = 0) -> list[dict[str, Any]]:
        """Every block from ``start`` to the head (after sealing what is pending)."""
        top = self.seal()["height"]
        return [self.block(h) for h in range(start, top + 1)]

    def transaction(self, tx_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("transaction", tx_id=tx_id)
        return result

    def audit(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("audit")
        return result

    def transfer(self, body: dict[str, Any]) -> tuple[int, Any]:
        return self.attempt("transfer", body)

    def proof(self, tx_id: str) -> tuple[int, Any]:
        return self.attempt("proof", tx_id=tx_id)

    def require_committed(self, body: dict[str, Any]) -> dict[str, Any]:
        """A transfer the harness knows is valid: refusing it is a failure."""
        status, answer = self.transfer(body)
        if status >= 300:
            raise CertificationFailure(f"a valid signed transfer was refused with {status}: {answer}",
                                       evidence={"exchange": self.last.as_dict() if self.last else None})
        result: dict[str, Any] = answer
        return result
