"""Answers decisions with an HTML error page and status 200, and schedules with a body missing fields."""

from collections.abc import Iterable
from typing import Any

from rural_microloan.api import CreditApp


class App(CreditApp):
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/v1/decisions":
            start_response("200 OK", [("Content-Type", "text/html")])
            return [b"<html><body>Gateway says hello</body></html>"]
        if environ.get("PATH_INFO") == "/v1/schedules":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"instalments": []}']
        return super().__call__(environ, start_response)


def create_app() -> object:
    return App()
