"""WSGI application serving the credit contract v1 (stdlib only, so it runs anywhere)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

from rural_microloan import __version__, bookings, validation
from rural_microloan.engine import CreditEngine, reason_code_list

StartResponse = Callable[..., Any]
Handler = Callable[[Any], tuple[int, Any]]


def _problem(status: int, title: str, detail: str) -> tuple[int, dict[str, Any]]:
    return status, {"type": "about:blank", "title": title, "status": status, "detail": detail}


class CreditApp:
    """Routes contract operations to an engine; subclasses may swap the engine."""

    product = "rural-microloan"
    store_class = bookings.BookingStore

    def __init__(self, engine: CreditEngine | None = None) -> None:
        self.engine = engine or CreditEngine()
        data_dir = os.environ.get("SANDBOX_DATA_DIR")
        self.store = self.store_class(data_dir) if data_dir else None
        self.routes: dict[tuple[str, str], Handler] = {
            ("GET", "/v1/health"): lambda _: (200, {"status": "ok", "product": self.product, "version": __version__}),
            ("GET", "/v1/reason-codes"): lambda _: (200, {"codes": reason_code_list()}),
            ("POST", "/v1/decisions"): self.decide,
            ("POST", "/v1/decisions/batch"): self.decide_batch,
            ("POST", "/v1/schedules"): self.schedule,
            ("POST", "/v1/bookings"): self.book,
            ("GET", "/v1/bookings"): self.list_bookings,
        }

    def validate(self, body: Any) -> dict[str, Any]:
        return validation.application(body)

    def decide(self, body: Any) -> tuple[int, Any]:
        return 200, self.engine.decide(self.validate(body))

    def decide_batch(self, body: Any) -> tuple[int, Any]:
        """Every application validated first (one invalid item refuses the batch), then each decided as
        :meth:`decide` would."""
        if not isinstance(body, dict) or set(body) != {"applications"}:
            raise validation.Invalid("body: an object with exactly one field, applications")
        items = body["applications"]
        if not isinstance(items, list) or not 1 <= len(items) <= 100:
            raise validation.Invalid("applications: a list of 1 to 100 applications")
        apps = []
        for n, item in enumerate(items):
            try:
                apps.append(self.validate(item))
            except validation.Invalid as exc:
                raise validation.Invalid(f"applications/{n}: {exc}") from None
        return 200, {"decisions": [self.engine.decide(app) for app in apps]}

    def schedule(self, body: Any) -> tuple[int, Any]:
        return 200, self.engine.schedule(validation.schedule_request(body))

    def book(self, body: Any) -> tuple[int, Any]:
        if self.store is None:
            return _problem(503, "Service Unavailable", "no data folder (SANDBOX_DATA_DIR) configured")
        try:
            return 201, self.store.add(bookings.booking(body))
        except bookings.Conflict as exc:
            return _problem(409, "Conflict", str(exc))

    def list_bookings(self, _: Any) -> tuple[int, Any]:
        return 200, {"bookings": self.store.all() if self.store is not None else []}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        status, payload = self.dispatch(environ)
        body = json.dumps(payload).encode()
        ctype = "application/problem+json" if status >= 400 else "application/json"
        start_response(f"{status} {'OK' if status < 400 else 'Error'}",
                       [("Content-Type", ctype), ("Content-Length", str(len(body)))])
        return [body]

    def dispatch(self, environ: dict[str, Any]) -> tuple[int, Any]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        handler = self.routes.get((method, path))
        if handler is None:
            return _problem(404, "Not Found", f"no operation {method} {path}")
        body = None
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                body = json.loads(environ["wsgi.input"].read(length) or b"null")
            except (ValueError, UnicodeDecodeError):
                return _problem(400, "Bad Request", "body is not JSON")
        try:
            return handler(body)
        except validation.Invalid as exc:
            return _problem(422, "Unprocessable Content", str(exc))


def create_app() -> CreditApp:
    return CreditApp()
