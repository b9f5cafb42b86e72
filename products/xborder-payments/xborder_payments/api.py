"""WSGI application serving the cross-border payments contract v1 (stdlib only, so it runs anywhere)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from xborder_payments import __version__, fx, validation
from xborder_payments.service import XBorderService

StartResponse = Callable[..., Any]
NO_RATE = "urn:sandbox:xb:no-rate-for-date"
UNSUPPORTED = "urn:sandbox:xb:unsupported-currency"
MINOR_UNITS = "urn:sandbox:xb:minor-units"
Handler = Callable[[Any, dict[str, str]], tuple[int, Any]]


def _problem(status: int, title: str, detail: str) -> tuple[int, dict[str, Any]]:
    return status, {"type": "about:blank", "title": title, "status": status, "detail": detail}


class XBorderApp:
    """Routes contract operations to a service; subclasses (and defects) may swap the service."""

    product = "xborder-payments"

    def __init__(self, service: XBorderService | None = None) -> None:
        self.service = service or XBorderService()
        s = self.service
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("GET", re.compile(r"^/v1/health$"),
             lambda _, __: (200, {"status": "ok", "product": self.product, "version": __version__})),
            ("GET", re.compile(r"^/v1/xb/info$"), lambda _, __: (200, s.info())),
            ("POST", re.compile(r"^/v1/xb/quotes$"), lambda b, _: (200, s.quote(b))),
            ("POST", re.compile(r"^/v1/xb/conversions$"), lambda b, _: (200, s.convert(b))),
            ("POST", re.compile(r"^/v1/xb/fx-purchases$"), lambda b, _: (200, s.fx_purchase(b))),
            ("GET", re.compile(r"^/v1/xb/fx-usage/(?P<person>[^/]+)/(?P<year>[0-9]{4})$"),
             lambda _, m: (200, s.fx_usage(m["person"], int(m["year"])))),
            ("POST", re.compile(r"^/v1/xb/payments$"), lambda b, _: (200, s.pay(b))),
            ("GET", re.compile(r"^/v1/xb/messages/(?P<payment>[^/]+)$"), self.message),
            ("GET", re.compile(r"^/v1/xb/reports/(?P<day>[^/]+)$"), self.reports),
            ("GET", re.compile(r"^/v1/xb/sanctions-reports/(?P<day>[^/]+)$"), self.sanctions_reports),
            ("PUT", re.compile(r"^/v1/xb/screening/list$"), lambda b, _: (200, s.load_list(b))),
            ("POST", re.compile(r"^/v1/xb/screening$"), lambda b, _: (200, s.screen(b))),
        ]

    def message(self, _: Any, match: dict[str, str]) -> tuple[int, Any]:
        found = self.service.message(match["payment"])
        return (200, found) if found else _problem(404, "Not Found", "no message for this payment")

    def reports(self, _: Any, match: dict[str, str]) -> tuple[int, Any]:
        try:
            day = date.fromisoformat(match["day"])
        except ValueError:
            return _problem(400, "Bad Request", "day: must be YYYY-MM-DD")
        return 200, self.service.reports(day)

    def sanctions_reports(self, _: Any, match: dict[str, str]) -> tuple[int, Any]:
        try:
            day = date.fromisoformat(match["day"])
        except ValueError:
            return _problem(400, "Bad Request", "day: must be YYYY-MM-DD")
        return 200, self.service.sanctions_reports(day)

    def route(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
        for verb, pattern, handler in self.routes:
            match = pattern.match(path)
            if match and verb == method:
                return handler, match.groupdict()
        return None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        status, payload = self.dispatch(environ)
        body = json.dumps(payload, ensure_ascii=False).encode()
        ctype = "application/problem+json" if status >= 400 else "application/json"
        start_response(f"{status} {'OK' if status < 400 else 'Error'}",
                       [("Content-Type", ctype), ("Content-Length", str(len(body)))])
        return [body]

    def dispatch(self, environ: dict[str, Any]) -> tuple[int, Any]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        found = self.route(method, path)
        if found is None:
            return _problem(404, "Not Found", f"no operation {method} {path}")
        handler, match = found
        body = None
        if method in ("POST", "PUT"):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                body = json.loads(environ["wsgi.input"].read(length) or b"null")
            except (ValueError, UnicodeDecodeError):
                return _problem(400, "Bad Request", "body is not JSON")
        try:
            return handler(body, match)
        except validation.Unsupported as exc:
            return 422, {"type": UNSUPPORTED, "title": "Currency not served", "status": 422, "detail": str(exc)}
        except validation.MinorUnits as exc:
            return 422, {"type": MINOR_UNITS, "title": "Amount finer than the currency's minor units", "status": 422,
                         "detail": str(exc)}
        except validation.Invalid as exc:
            return _problem(422, "Unprocessable Content", str(exc))
        except fx.NoRate as exc:
            return 422, {"type": NO_RATE, "title": "No reference rate for that date", "status": 422,
                         "detail": str(exc)}


def create_app() -> XBorderApp:
    return XBorderApp()
