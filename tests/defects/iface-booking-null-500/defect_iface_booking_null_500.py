"""Seeded defect for NAT-IFACE-002: A null field in a /v1/bookings request body crashes the handler:
500 instead of a 4xx problem+json
(the generic conformance fuzz finds it; the domain checks send only complete requests)."""

import json
from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any

from rural_microloan.api import create_app as reference_app

PREFIX = "/v1/bookings"


class NullCrash:
    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:  # the runner may use the reference app's attributes
        return getattr(self.app, name)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") in ("POST", "PUT") and environ.get("PATH_INFO", "").startswith(PREFIX):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = BytesIO(raw)
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                body = None
            # Defect: fields are normalised (.strip()) before validation, so a null crashes the handler.
            if isinstance(body, dict) and any(value is None for value in body.values()):
                message = b"Internal Server Error: 'NoneType' object has no attribute 'strip'"
                start_response("500 Internal Server Error",
                               [("Content-Type", "text/plain"), ("Content-Length", str(len(message)))])
                return [message]
        return self.app(environ, start_response)


def create_app(*args: Any, **kwargs: Any) -> Any:
    return NullCrash(reference_app(*args, **kwargs))
