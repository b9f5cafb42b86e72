"""WSGI application serving the AI credit-model contract v1 (stdlib HTTP handling)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

import pandas as pd

from ai_credit_model import __version__
from ai_credit_model.model import REASON_CODES, CreditModel

StartResponse = Callable[..., Any]
MAX_BATCH = 5000


class Invalid(ValueError):
    """The request breaks the contract (answered 422)."""


def _problem(status: int, title: str, detail: str) -> tuple[int, dict[str, Any]]:
    return status, {"type": "about:blank", "title": title, "status": status, "detail": detail}


class ModelApp:
    product = "ai-credit-model"

    def __init__(self, model: CreditModel | None = None) -> None:
        self.model = model or CreditModel()
        self.types = {f.name: f.type for f in self.model.features}

    def routes(self, method: str, path: str) -> Callable[[Any], tuple[int, Any]] | None:
        table: dict[tuple[str, str], Callable[[Any], tuple[int, Any]]] = {
            ("GET", "/v1/health"): lambda _: (200, {"status": "ok", "product": self.product, "version": __version__}),
            ("GET", "/v1/model-card"): lambda _: (200, self.model.card()),
            ("GET", "/v1/features"): lambda _: (200, {"features": [asdict(f) for f in self.model.features]}),
            ("POST", "/v1/scores"): self.score,
        }
        return table.get((method, path))

    def score(self, body: Any) -> tuple[int, Any]:
        ids, frame = self.parse(body)
        scores = [{"id": i, "pd": round(p, 6), "decision": "decline" if d else "approve",
                   "reason_codes": [{"code": REASON_CODES[r], "feature": r} for r in reasons]}
                  for i, (p, d, reasons) in zip(ids, self.model.score(frame), strict=True)]
        return 200, {"scores": scores}

    def parse(self, body: Any) -> tuple[list[str], pd.DataFrame]:
        if not isinstance(body, dict) or set(body) != {"applicants"} or not isinstance(body["applicants"], list):
            raise Invalid("body must be an object with one field, 'applicants' (a list)")
        applicants = body["applicants"]
        if not 1 <= len(applicants) <= MAX_BATCH:
            raise Invalid(f"applicants: between 1 and {MAX_BATCH} per request")
        ids, rows = [], []
        for n, a in enumerate(applicants):
            if not isinstance(a, dict) or set(a) != {"id", "features"} or not isinstance(a["features"], dict):
                raise Invalid(f"applicants[{n}]: needs exactly 'id' and 'features' (an object)")
            if not isinstance(a["id"], str) or not 1 <= len(a["id"]) <= 64:
                raise Invalid(f"applicants[{n}].id: a string of 1-64 characters")
            rows.append(self.row(n, a["features"]))
            ids.append(a["id"])
        return ids, pd.DataFrame(rows)

    def row(self, n: int, features: dict[str, Any]) -> dict[str, float]:
        out = {}
        for name in self.model.columns:
            value = features.get(name)
            kind = self.types[name]
            if kind == "boolean" and isinstance(value, bool):
                out[name] = float(value)
            elif kind != "boolean" and isinstance(value, int | float) and not isinstance(value, bool):
                if value != value or abs(value) > 1e9:
                    raise Invalid(f"applicants[{n}].features.{name}: not a finite number")
                out[name] = float(value)
            else:
                raise Invalid(f"applicants[{n}].features.{name}: missing or not a {kind}")
        return out

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        status, payload = self.dispatch(environ)
        body = json.dumps(payload).encode()
        ctype = "application/problem+json" if status >= 400 else "application/json"
        start_response(f"{status} {'OK' if status < 400 else 'Error'}",
                       [("Content-Type", ctype), ("Content-Length", str(len(body)))])
        return [body]

    def dispatch(self, environ: dict[str, Any]) -> tuple[int, Any]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        handler = self.routes(method, path)
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
        except Invalid as exc:
            return _problem(422, "Unprocessable Content", str(exc))


def create_app() -> ModelApp:
    return ModelApp()
