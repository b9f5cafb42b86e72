"""Contract documents and the client every check uses.

:class:`Contract` reads one OpenAPI 3.1 document and validates bodies against its schemas (JSON Schema
2020-12). :class:`ContractClient` sends requests over whatever transport the runner gave and turns
every way a product can misbehave (timeout, dead connection, 5xx, non-JSON, a body that breaks the
schema, a valid request refused) into a :class:`ProductError` / :class:`CertificationFailure` that
carries the exchange as evidence. It never lets a product crash the harness.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import httpx
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from harness.contracts.ecma import ReferenceValidator
from harness.errors import CertificationFailure, ContractError, ProductError
from harness.limits import check_cut, cut
from harness.wire import ProductHttp, Reply

PROBLEM_JSON = "application/problem+json"
Formats = Mapping[str, Callable[[Any], bool]]  # format name → the function that asserts it
JSON_BODY = {"content-type": "application/json"}


@dataclass
class Exchange:
    """One request/response pair, kept as evidence."""

    method: str
    path: str
    request: Any
    status: int | None
    response: Any
    sent: bytes | None = field(default=None, repr=False)  # the JSON body as sent; decoded only for evidence

    def as_dict(self) -> dict[str, Any]:
        request = json.loads(self.sent) if self.request is None and self.sent is not None else self.request
        return {"method": self.method, "path": self.path, "request": request, "status": self.status,
                "response": self.response}


def encode_json(body: Any) -> bytes:
    """``to_json(body)`` encoded as httpx encodes a ``json=`` body, in one pass (a JSON-ready copy first cost
    as much as the rest of the request)."""
    return json.dumps(body, default=to_json, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    responses: dict[str, str]  # status code ("200", "4XX") → schema $ref URI
    optional: bool = False  # ``x-sandbox-optional``: only products that declare it implement it


class Contract:
    """An OpenAPI document with a validator per schema."""

    def __init__(self, name: str, document: dict[str, Any]) -> None:
        self.name = name
        self.document = document
        self.uri = f"urn:sandbox:contract:{name}"
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self._registry: Registry = Registry().with_resource(self.uri, resource)
        self._validators: dict[str, Any] = {}
        self._fast: dict[tuple[str, tuple[str, ...]], Any] = {}
        self.operations = self._index_operations()

    @property
    def version(self) -> str:
        return str(self.document["info"]["version"])

    def _index_operations(self) -> dict[str, Operation]:
        ops: dict[str, Operation] = {}
        for path, item in self.document.get("paths", {}).items():
            for method, op in item.items():
                responses = {}
                for status, resp in op.get("responses", {}).items():
                    for media in resp.get("content", {}).values():
                        ref = media.get("schema", {}).get("$ref")
                        if ref:
                            responses[str(status)] = ref
                ops[op["operationId"]] = Operation(op["operationId"], method.upper(), path, responses,
                                                   bool(op.get("x-sandbox-optional", False)))
        return ops

    @property
    def optional_operations(self) -> list[str]:
        """Operations a product implements only when its manifest lists them (``capabilities.<c>.operations``)."""
        return sorted(o.operation_id for o in self.operations.values() if o.optional)

    def validator(self, ref: str) -> Any:
        """The reference validator of one schema (``jsonschema``, ``pattern`` as ECMA-262 reads it: see
        :mod:`harness.contracts.ecma`), built once (building one costs more than validating a body)."""
        if ref not in self._validators:
            self._validators[ref] = ReferenceValidator({"$ref": f"{self.uri}{ref}"}, registry=self._registry)
        return self._validators[ref]

    def fast_validator(self, ref: str, formats: Formats | None = None) -> Any:
        """jsonschema-rs over the same document (2020-12), built once; ``None`` where it cannot be built.
        Formats are not asserted (as :meth:`validator`), or, with ``formats``, exactly those, by the same
        functions the reference validator's format checker calls (and none at all if the document uses a
        format not given). Its answer decides validity where it can give one; the reference validator's
        messages are the evidence (tests/test_contract_validation.py checks the two agree both ways)."""
        key = (ref, tuple(sorted(formats)) if formats else ())
        if key not in self._fast:
            try:
                import jsonschema_rs

                if formats and not self.formats_used() <= set(formats):
                    raise ValueError("a format the fast path would not assert as the reference does")
                registry = jsonschema_rs.Registry([(self.uri, self.document)])
                self._fast[key] = jsonschema_rs.Draft202012Validator(
                    {"$ref": f"{self.uri}{ref}"}, registry=registry, validate_formats=bool(formats),
                    formats=dict(formats) if formats else None)
            except Exception:  # a missing or unusable fast path is only slower
                self._fast[key] = None
        return self._fast[key]

    def formats_used(self) -> set[str]:
        """Every ``format`` keyword value in the document's schemas."""
        found: set[str] = set()

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if isinstance(node.get("format"), str):
                    found.add(node["format"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(self.document.get("components", {}))
        walk(self.document.get("paths", {}))
        return found

    def fast_verdict(self, ref: str, body: Any, formats: Formats | None = None) -> bool | None:
        """jsonschema-rs's answer (valid or not), or ``None`` where it cannot give one (no fast validator, or
        a value it cannot read, such as an integer beyond 64 bits): then the reference decides."""
        fast = self.fast_validator(ref, formats)
        try:
            return None if fast is None else bool(fast.is_valid(body))
        except Exception:
            return None

    def surely_valid(self, ref: str, body: Any, formats: Formats | None = None) -> bool:
        """True when jsonschema-rs calls the body valid."""
        return self.fast_verdict(ref, body, formats) is True

    def schema_errors(self, ref: str, body: Any) -> list[str]:
        """At most five messages of what in ``body`` breaks the schema; none when it is valid. jsonschema-rs
        decides where it can (both validators read the schema alike: tests/test_contract_validation.py), the
        reference validator writes the messages; should it find nothing where jsonschema-rs found a fault,
        jsonschema-rs's own messages are given."""
        verdict = self.fast_verdict(ref, body)
        if verdict is True:
            return []
        errors = sorted(self.validator(ref).iter_errors(body), key=lambda e: list(e.absolute_path))
        found = [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}" for e in errors[:5]]
        if found or verdict is None:
            return found
        fast = self.fast_validator(ref)
        return [f"{'/'.join(map(str, e.instance_path)) or '(body)'}: {e.message}"
                for e in list(fast.iter_errors(body))[:5]] or ["(body): does not conform (jsonschema-rs)"]

    def schema(self, name: str) -> dict[str, Any]:
        return dict(self.document["components"]["schemas"][name])


@cache
def load_contract(name: str) -> Contract:
    """Load ``harness/contracts/<name>.yaml`` shipped with the package."""
    try:
        text = resources.files("harness.contracts").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContractError(f"no contract document {name}.yaml in harness/contracts") from None
    return Contract(name, yaml.safe_load(text))


def to_json(obj: Any) -> Any:
    """JSON-ready copy: Decimal → str (money never travels as a float)."""
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_json(v) for v in obj]
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, bytes):
        return obj.decode("utf-8", "replace")
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return to_json(dataclasses.asdict(obj))
    return repr(obj)  # e.g. Hypothesis' data object: its draws are recorded separately


class ContractClient:
    """Sends contract operations and checks what comes back."""

    contract_name = ""

    def __init__(self, http: ProductHttp, implemented: frozenset[str] = frozenset()) -> None:
        self.http = http
        self.contract = load_contract(self.contract_name)
        self.implemented = implemented  # the optional operations the product declares
        self.last: Exchange | None = None

    def call(self, operation_id: str, body: Any = None, **path_params: Any) -> Any:
        """Send a valid request; return the 2xx JSON body, schema-checked. Anything else is a failure."""
        op = self.contract.operations[operation_id]
        response, exchange = self.send(op.method, op.path.format(**path_params), body)
        status = response.status_code
        if status >= 300:
            raise CertificationFailure(
                f"{op.method} {op.path} refused a valid request with {status}: {_short(exchange.response)}",
                evidence={"exchange": exchange.as_dict()},
            )
        self.check_response(op, status, exchange)
        return exchange.response

    def attempt(self, operation_id: str, body: Any = None, **path_params: Any) -> tuple[int, Any]:
        """Send an operation that may be refused: return (status, body); 2xx and 4xx bodies are
        schema-checked, 5xx/garbage are product errors."""
        op = self.contract.operations[operation_id]
        response, exchange = self.send(op.method, op.path.format(**path_params), body)
        self.check_response(op, response.status_code, exchange)
        return response.status_code, exchange.response

    def check_response(self, op: Operation, status: int, exchange: Exchange) -> None:
        ref = op.responses.get(str(status)) or op.responses.get(f"{str(status)[0]}XX")
        if ref is None:
            raise CertificationFailure(
                f"{op.method} {op.path} answered {status}, which the contract does not allow",
                evidence={"exchange": exchange.as_dict()},
            )
        errors = self.contract.schema_errors(ref, exchange.response)
        if errors:
            raise CertificationFailure(
                f"{op.method} {op.path} answered a body that breaks the contract: {'; '.join(errors)}",
                evidence={"exchange": exchange.as_dict()},
            )

    def send(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None
             ) -> tuple[Reply, Exchange]:
        """Low level: one request; transport trouble, 5xx and non-JSON become ProductError."""
        if raw is None and body is not None:
            raw = encode_json(body)
            exchange = Exchange(method, path, None, None, None, sent=raw)
        else:
            exchange = Exchange(method, path, raw.decode("utf-8", "replace") if raw is not None else None, None, None)
        try:
            if raw is not None:
                response = self.http.request(method, path, content=raw, headers=JSON_BODY)
            else:
                response = self.http.request(method, path)
        except httpx.TimeoutException as exc:
            raise ProductError(f"{method} {path}: the product did not answer ({exc})",
                               evidence={"exchange": exchange.as_dict()}) from None
        except httpx.RequestError as exc:  # dead connection, invalid HTTP, a body that does not decode
            raise ProductError(f"{method} {path}: connection to the product failed ({type(exc).__name__}: {exc})",
                               evidence={"exchange": exchange.as_dict()}) from None
        exchange.status = response.status_code
        exchange.response = response.text[:4000]
        self.last = exchange
        if cut(response) is not None:  # the evidence copy is built only when needed (it costs ~0.3 ms)
            check_cut(response, f"{method} {path}", {"exchange": exchange.as_dict()})
        if response.status_code >= 500:
            raise ProductError(f"{method} {path} answered {response.status_code}: {_short(response.text)}",
                               evidence={"exchange": exchange.as_dict()})
        try:
            exchange.response = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ProductError(f"{method} {path} answered {response.status_code} with a body that is not JSON: "
                               f"{_short(response.text)}", evidence={"exchange": exchange.as_dict()}) from None
        return response, exchange


def _short(value: Any, limit: int = 200) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + "…"
