"""WSGI application: the receivables contract v1 on top of the chain-ledger's ledger contract v1."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from chain_ledger.api import LedgerApp, problem
from chain_ledger.ledger import Refused

from receivables_platform import __version__
from receivables_platform.platform import CURRENCIES, Platform


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise Refused(422, "invalid", "body must be a JSON object")
    return body


# the request fields of each operation (the contract's additionalProperties: false)
FIELDS = {"register": frozenset({"debtor", "creditor", "invoice_number", "face_value", "currency", "due_date"}),
          "confirm": frozenset({"party"}), "request": frozenset({"party", "at"}),
          "finance": frozenset({"receivable_id", "financier", "amount"}), "repay": frozenset({"amount"})}


def _fields(body: Any, operation: str) -> dict[str, Any]:
    obj = _object(body)
    unknown = sorted(set(obj) - FIELDS[operation])
    if unknown:
        raise Refused(422, "invalid", f"unknown field(s) {', '.join(unknown)}")
    return obj


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(400, "invalid", f"day {text!r} is not YYYY-MM-DD") from None


class ReceivablesApp(LedgerApp):
    """Serves the ledger routes of :class:`LedgerApp` plus the receivables routes."""

    product = "receivables-platform"
    platform_class: type[Platform] = Platform

    def __init__(self, data_dir: Path | None = None) -> None:
        root = data_dir or Path(os.environ.get("SANDBOX_DATA_DIR") or "./data")
        super().__init__(root)
        book = self.platform = self.platform_class(root / "receivables", self.ledger)
        self.route("GET", "/v1/receivables/info", lambda: (200, self.receivables_info()))
        self.route("POST", "/v1/receivables", lambda body: (201, book.register(_fields(body, "register"))))
        self.route("GET", "/v1/receivables/(?P<rid>[^/]+)", lambda rid: (200, book.view(rid)))
        self.route("POST", "/v1/receivables/(?P<rid>[^/]+)/confirmation",
                   lambda body, rid: (200, book.confirm(rid, _fields(body, "confirm"))))
        self.route("POST", "/v1/receivables/(?P<rid>[^/]+)/confirmation-request",
                   lambda body, rid: (200, book.request_confirmation(rid, _fields(body, "request"))))
        self.route("GET", "/v1/overdue-confirmations/(?P<day>[^/]+)", lambda day: (200, book.overdue(_day(day))))
        self.route("POST", "/v1/financings", lambda body: (201, book.finance(_fields(body, "finance"))))
        self.route("GET", "/v1/financings/(?P<fid>[^/]+)", lambda fid: (200, book.financing(fid)))
        self.route("POST", "/v1/financings/(?P<fid>[^/]+)/repayment",
                   lambda body, fid: (200, book.repay(fid, _fields(body, "repay"))))

    def receivables_info(self) -> dict[str, Any]:
        return {"product": self.product, "version": __version__, "currencies": list(CURRENCIES),
                "ledger_anchored": True}

    def dispatch(self, environ: dict[str, Any]) -> tuple[int, Any]:
        """As :meth:`LedgerApp.dispatch`, but POST handlers also receive the path parameters."""
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        for route_method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match is None or route_method != method:
                continue
            try:
                if method == "POST":
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                    body = json.loads(environ["wsgi.input"].read(length) or b"null")
                    return handler(body, **match.groupdict())
                return handler(**match.groupdict())
            except (ValueError, UnicodeDecodeError):
                return problem(400, "invalid", "body is not JSON")
            except Refused as exc:
                return problem(exc.status, exc.code, exc.detail)
        return problem(404, "not_found", f"no operation {method} {path}")


def create_app() -> ReceivablesApp:
    return ReceivablesApp()
