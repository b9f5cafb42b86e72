"""WSGI application serving the ledger contract v1 (stdlib only besides ``cryptography``)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from chain_ledger import __version__
from chain_ledger.ledger import DECIMALS, Ledger, Refused

StartResponse = Callable[..., Any]
Route = tuple[str, re.Pattern[str], Callable[..., tuple[int, Any]]]


def problem(status: int, code: str, detail: str) -> tuple[int, dict[str, Any]]:
    return status, {"type": "about:blank", "title": code.replace("_", " "), "status": status, "detail": detail,
                    "code": code}


class LedgerApp:
    """Routes contract operations to a :class:`Ledger`; subclasses add routes or swap the ledger."""

    product = "chain-ledger"
    ledger_class: type[Ledger] = Ledger

    def __init__(self, data_dir: Path | None = None) -> None:
        root = data_dir or Path(os.environ.get("SANDBOX_DATA_DIR") or "./data")
        self.ledger = self.ledger_class(root / "ledger")
        led = self.ledger
        self.routes: list[Route] = []
        self.route("GET", "/v1/ledger/info", lambda: (200, self.info()))
        self.route("GET", "/v1/ledger/accounts", lambda: (200, {"accounts": led.accounts()}))
        self.route("POST", "/v1/ledger/accounts",
                   lambda body: (201, led.create_account(_field(body, "public_key", ACCOUNT))))
        self.route("GET", "/v1/ledger/accounts/(?P<account>[^/]+)", lambda account: (200, led.account(account)))
        self.route("POST", "/v1/ledger/mint",
                   lambda body: (200, led.mint(_field(body, "to", MINT), _field(body, "amount", MINT))))
        self.route("POST", "/v1/ledger/burn",
                   lambda body: (200, led.burn(_field(body, "from", BURN), _field(body, "amount", BURN))))
        self.route("POST", "/v1/ledger/transfers", lambda body: (200, led.transfer(_only(body, TRANSFER))))
        self.route("POST", "/v1/ledger/seal", lambda body: (200, led.seal()))
        self.route("GET", "/v1/ledger/head", lambda: (200, led.head()))
        self.route("GET", "/v1/ledger/blocks/(?P<height>[0-9]{1,12})", lambda height: (200, led.block(int(height))))
        self.route("GET", "/v1/ledger/transactions/(?P<tx_id>[^/]+)", lambda tx_id: (200, led.transaction(tx_id)))
        self.route("GET", "/v1/ledger/proofs/(?P<tx_id>[^/]+)", lambda tx_id: (200, led.proof(tx_id)))
        self.route("GET", "/v1/ledger/supply", lambda: (200, led.supply()))
        self.route("GET", "/v1/ledger/audit", lambda: (200, led.audit()))

    def info(self) -> dict[str, Any]:
        return {"product": self.product, "version": __version__, "signature_algorithm": "ed25519",
                "proof_format": "merkle-sha256", "block_hash_format": "sha256-canonical-json",
                "decimals": DECIMALS, "symbol": "SBX", "supply_policy": "mint_burn"}

    def route(self, method: str, pattern: str, handler: Callable[..., tuple[int, Any]]) -> None:
        self.routes.append((method, re.compile(pattern + "$"), handler))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        status, payload = self.dispatch(environ)
        body = json.dumps(payload).encode()
        ctype = "application/problem+json" if status >= 400 else "application/json"
        start_response(f"{status} {'OK' if status < 400 else 'Error'}",
                       [("Content-Type", ctype), ("Content-Length", str(len(body)))])
        return [body]

    def dispatch(self, environ: dict[str, Any]) -> tuple[int, Any]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        for route_method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match is None or route_method != method:
                continue
            try:
                if method == "POST":
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                    body = json.loads(environ["wsgi.input"].read(length) or b"null")
                    return handler(body)
                return handler(**match.groupdict())
            except (ValueError, UnicodeDecodeError):
                return problem(400, "invalid", "body is not JSON")
            except Refused as exc:
                return problem(exc.status, exc.code, exc.detail)
        return problem(404, "not_found", f"no operation {method} {path}")


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise Refused(422, "invalid", "body must be a JSON object")
    return body


ACCOUNT = frozenset({"public_key"})
MINT = frozenset({"to", "amount"})
BURN = frozenset({"from", "amount"})
TRANSFER = frozenset({"from", "to", "amount", "nonce", "signature"})


def _only(body: Any, allowed: frozenset[str] | set[str]) -> dict[str, Any]:
    """The body as an object with no field the contract does not define (``additionalProperties: false``)."""
    obj = _object(body)
    unknown = sorted(set(obj) - set(allowed))
    if unknown:
        raise Refused(422, "invalid", f"unknown field(s) {', '.join(unknown)}")
    return obj


def _field(body: Any, name: str, allowed: frozenset[str] | set[str]) -> Any:
    return _only(body, allowed).get(name)


def create_app() -> LedgerApp:
    return LedgerApp()
