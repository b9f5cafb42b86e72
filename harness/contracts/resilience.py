"""Typed client for the resilience contract v1 (``resilience.yaml``): durable loan bookings."""

from __future__ import annotations

import json
from typing import Any

import httpx

from harness.contracts.base import JSON_BODY, PROBLEM_JSON, ContractClient, encode_json
from harness.errors import CertificationFailure, ProductError
from harness.limits import check_cut, cut


class ResilienceClient(ContractClient):
    contract_name = "resilience"

    def book(self, booking: dict[str, Any]) -> dict[str, Any]:
        """Book; return the acknowledged booking (201, schema-checked). Anything else is a failure."""
        result: dict[str, Any] = self.call("book", booking)
        return result

    def bookings(self) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = self.call("bookings")["bookings"]
        return listed

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("health")
        return result

    def try_book(self, booking: dict[str, Any] | None = None, *, raw: bytes | None = None) -> tuple[int, Any]:
        """Book under pressure: a 201, or a clean refusal (4xx or 503 problem+json) is returned as
        (status, body); a crash, a hang, another 5xx or a malformed refusal is a failure."""
        op = self.contract.operations["book"]
        try:
            response = self.http.request("POST", op.path, content=raw if raw is not None else encode_json(booking),
                                         headers=JSON_BODY)
        except httpx.HTTPError as exc:
            raise ProductError(f"POST {op.path}: connection to the product failed under pressure "
                               f"({type(exc).__name__}: {exc})") from None
        status = response.status_code
        if cut(response) is not None:
            check_cut(response, f"POST {op.path}", {"response": response.text[:2000]})
        clean = (400 <= status < 500 or status == 503) and response.headers.get("content-type", "").startswith(
            PROBLEM_JSON)
        if status != 201 and not clean:
            raise CertificationFailure(
                f"POST {op.path} under pressure answered {status} ({response.headers.get('content-type')}), "
                "expected 201 or a clean 4xx/503 problem+json refusal",
                evidence={"response": response.text[:2000]})
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ProductError(f"POST {op.path} under pressure answered {status} with a body that is not JSON: "
                               f"{response.text[:200]!r}", evidence={"response": response.text[:2000]}) from None
        if status == 201:
            errors = self.contract.schema_errors("#/components/schemas/Booking", body)
            if errors:
                raise CertificationFailure(f"POST {op.path} acknowledged a booking that breaks the contract: "
                                           f"{'; '.join(errors)}", evidence={"response": body})
        return status, body
