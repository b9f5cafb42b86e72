"""The defect shared by the iface-*-null-500 seeded defects: a null field in a request body under one path
prefix crashes the handler (500 instead of a 4xx problem+json). Each defect wraps its reference app."""

import json
from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any


class NullCrash:
    def __init__(self, app: Callable[..., Iterable[bytes]], prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    def __getattr__(self, name: str) -> Any:  # the runner may use the reference app's attributes
        return getattr(self.app, name)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") in ("POST", "PUT") and environ.get("PATH_INFO", "").startswith(self.prefix):
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
