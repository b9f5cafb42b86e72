"""Generic contract conformance, for every capability: requests generated from the capability's OpenAPI
contract (its request schemas), valid and schema-invalid, and four assertions on every answer:

* never a 5xx (nor a hang, nor a body that is not JSON);
* the status is one the operation declares;
* the body validates against the schema declared for that status;
* an error (4xx) is RFC 9457 ``application/problem+json``, and a schema-invalid request gets a 4xx.

Deterministic phase first: for every operation a simplest valid request (the schemas' ``examples`` first,
distinct fields of one schema taking distinct examples), then every enum value, every ``examples`` entry and
every date boundary (the run's as-of day, the day before, the first of its month and year, the last weekend)
substituted one field at a time, then every schema-breaking mutation of it (drop a required field, null,
wrong type, out of bounds, an unknown field, a body that is not JSON). Then a generated phase through
``ctx.given`` (shrinking, the deterministic example budget). Dates are drawn up to and including the run's
as-of date, never past ``ctx.now()``.

Only GET operations and those the requirement names as ``stateless`` receive generated *valid* requests;
the others receive only invalid ones (a product refuses them, so the run changes no state that the domain
checks of the same session rely on). Generation is our own (no hypothesis-jsonschema): the subset of
JSON Schema 2020-12 the contracts use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, assume, find, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import Field

from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.base import PROBLEM_JSON, Contract, ContractClient, load_contract
from harness.errors import CertificationFailure, ProductError, ProfileError

CAPABILITIES = ("credit", "resilience", "ledger", "ai_model", "cross_border", "receivables")
BEIJING = timezone(timedelta(hours=8))
RAW_BODIES = (b"{not json", b"[]", b"")
WRONG_TYPE: dict[str, Any] = {"string": 12345, "integer": "not-a-number", "number": "not-a-number",
                              "boolean": "yes", "object": ["not", "an", "object"], "array": {"not": "an array"},
                              "null": "not-null"}
PATH_TEXT = st.from_regex(r"[A-Za-z0-9_-]{1,16}", fullmatch=True)


class ConformanceParams(Params):
    stateless: list[str] = Field(default_factory=list, description="Operations (operationId) that change no "
                                 "state: they receive generated valid requests too (GET operations always do)")
    skip: list[str] = Field(default_factory=list, description="Operations not probed (each with a reason in "
                            "the profile's note)")
    max_deterministic: int = Field(600, ge=0, le=5000, description="Cap on the deterministic phase's requests")
    history_days: int = Field(3 * 366, ge=1, le=36_600, description="Generated dates reach this far before the "
                              "as-of date (and up to it, inclusive)")


@dataclass(frozen=True)
class Op:
    operation_id: str
    method: str
    path: str
    parameters: tuple[dict[str, Any], ...]
    body: dict[str, Any] | None  # request body schema
    responses: dict[str, dict[str, Any]]  # status key → {media type: schema or {}}

    @property
    def safe(self) -> bool:
        return self.method == "GET"


class Schemas:
    """The contract's request schemas as Hypothesis strategies, simplest instances and mutations."""

    def __init__(self, contract: Contract, as_of: date, history_days: int) -> None:
        self.contract = contract
        self.doc = contract.document
        self.as_of = as_of
        self.first = as_of - timedelta(days=history_days)
        self._validators: dict[str, Draft202012Validator] = {}

    # -- schema helpers ---------------------------------------------------------------------------------
    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            node: Any = self.doc
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def errors(self, schema: dict[str, Any], value: Any) -> list[str]:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            wrapped = {"$ref": schema["$ref"]} if "$ref" in schema else schema
            if "$ref" in wrapped:
                self._validators[key] = self.contract.validator(wrapped["$ref"])
            else:
                self._validators[key] = Draft202012Validator(wrapped, registry=self.contract._registry)
        return [e.message for e in self._validators[key].iter_errors(value)]

    def valid(self, schema: dict[str, Any], value: Any) -> bool:
        return not self.errors(schema, value)

    def boundary_days(self) -> list[date]:
        """The as-of day, the day before, the first of its month and year, the last Saturday and Sunday."""
        d = self.as_of
        saturday = d - timedelta(days=(d.weekday() - 5) % 7)
        days = [d, d - timedelta(days=1), d.replace(day=1), d.replace(month=1, day=1), saturday,
                saturday + timedelta(days=1) if saturday + timedelta(days=1) <= d else saturday - timedelta(days=6)]
        return list(dict.fromkeys(x for x in days if self.first <= x <= d))

    def boundary_moments(self) -> list[str]:
        out = []
        for day in self.boundary_days():
            for moment in (time(10), time(0), time(23, 59, 59)):
                out.append(datetime.combine(day, moment, BEIJING).isoformat())
        return out

    # -- valid values -----------------------------------------------------------------------------------
    def strategy(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        target = self.resolve(schema)
        base = self._strategy(target)
        if target.get("examples"):
            return st.one_of(st.sampled_from(target["examples"]), base)
        return base

    def _strategy(self, s: dict[str, Any]) -> st.SearchStrategy[Any]:
        if "const" in s:
            return st.just(s["const"])
        if "enum" in s:
            return st.sampled_from(s["enum"])
        for key in ("oneOf", "anyOf"):
            if key in s:
                return st.one_of([self.strategy(alt) for alt in s[key]])
        kind = s.get("type")
        if isinstance(kind, list):
            return st.one_of([self._strategy({**s, "type": k}) for k in kind])
        if kind is None:
            kind = "object" if "properties" in s else None
        if kind == "object":
            props = s.get("properties", {})
            required = [k for k in s.get("required", []) if k in props]
            optional = {k: self.strategy(v) for k, v in props.items() if k not in required}
            return st.fixed_dictionaries({k: self.strategy(props[k]) for k in required}, optional=optional)
        if kind == "array":
            low = int(s.get("minItems", 0))
            high = int(s.get("maxItems", low + 3))
            return st.lists(self.strategy(s.get("items", {})), min_size=low, max_size=min(high, low + 3))
        if kind == "string":
            return self._string(s)
        if kind == "integer":
            low, high = _bounds(s, -(10**6), 10**6)
            edges = [v for v in (low, high, 0, 1) if low <= v <= high]
            return st.one_of(st.sampled_from(edges), st.integers(low, high))
        if kind == "number":
            low, high = _bounds(s, -(10**6), 10**6)
            return st.one_of(st.integers(int(low), int(high)),
                             st.floats(low, high, allow_nan=False, allow_infinity=False))
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.text(max_size=5))

    def _string(self, s: dict[str, Any]) -> st.SearchStrategy[str]:
        if s.get("format") == "date":
            return self.days().map(date.isoformat)
        if s.get("format") == "date-time":
            return st.one_of(st.sampled_from(self.boundary_moments()),
                             st.builds(lambda d, sec: (datetime.combine(d, time(), BEIJING)
                                                       + timedelta(seconds=sec)).isoformat(),
                                       self.days(), st.integers(0, 86_399)))
        low = int(s.get("minLength", 0))
        if "pattern" in s:
            most = s.get("maxLength")
            return st.from_regex(s["pattern"], fullmatch=True).filter(
                lambda v: low <= len(v) and (most is None or len(v) <= most))
        high = int(s.get("maxLength", max(low, 24)))
        chars = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
        return st.text(chars, min_size=low, max_size=min(high, low + 24))

    def days(self) -> st.SearchStrategy[date]:
        return st.one_of(st.sampled_from(self.boundary_days()), st.dates(self.first, self.as_of))

    # -- the simplest valid instance --------------------------------------------------------------------
    def simplest(self, schema: dict[str, Any], counters: dict[str, int] | None = None) -> Any:
        """A deterministic valid instance: required fields only, the first enum value or example (the k-th
        use of one named schema takes its k-th example), the as-of date, else Hypothesis' minimal value."""
        counters = {} if counters is None else counters
        name = schema.get("$ref", "")
        s = self.resolve(schema)
        if s.get("examples"):
            k = counters.get(name, 0)
            counters[name] = k + 1
            return s["examples"][k % len(s["examples"])]
        if "const" in s:
            return s["const"]
        if "enum" in s:
            return s["enum"][0]
        for key in ("oneOf", "anyOf"):
            if key in s:
                return self.simplest(s[key][0], counters)
        kind = s.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
            s = {**s, "type": kind}
        if kind == "object" or (kind is None and "properties" in s):
            props = s.get("properties", {})
            return {k: self.simplest(props[k], counters) for k in s.get("required", []) if k in props}
        if kind == "string" and s.get("format") == "date":
            return self.as_of.isoformat()
        if kind == "string" and s.get("format") == "date-time":
            return self.boundary_moments()[0]
        return _minimal(self._strategy(s))

    # -- what to substitute and mutate ------------------------------------------------------------------
    def fields(self, schema: dict[str, Any], value: Any, prefix: tuple[Any, ...] = ()
               ) -> Iterator[tuple[tuple[Any, ...], dict[str, Any], bool]]:
        """(path, schema, required) for every property of an object value, depth first (objects and the
        first item of arrays)."""
        s = self.resolve(schema)
        if isinstance(value, dict):
            props = s.get("properties", {})
            for key, sub in props.items():
                yield (*prefix, key), sub, key in s.get("required", [])
                if key in value:
                    yield from self.fields(sub, value[key], (*prefix, key))
        elif isinstance(value, list) and value and "items" in s:
            yield from self.fields(s["items"], value[0], (*prefix, 0))

    def alternatives(self, schema: dict[str, Any]) -> list[Any]:
        """Values to cover deterministically for one field: enum values, examples, date boundaries,
        integer bounds."""
        s = self.resolve(schema)
        out: list[Any] = list(s.get("enum", [])) + list(s.get("examples", []))
        for key in ("oneOf", "anyOf"):
            for alt in s.get(key, []):
                out.extend(self.alternatives(alt))
        kinds: list[Any] = s["type"] if isinstance(s.get("type"), list) else [s.get("type")]
        if "string" in kinds and s.get("format") == "date":
            out.extend(d.isoformat() for d in self.boundary_days())
        if "string" in kinds and s.get("format") == "date-time":
            out.extend(self.boundary_moments())
        if "integer" in kinds:
            low, high = _bounds(s, None, None)
            out.extend(v for v in (low, high) if v is not None)
        if "null" in kinds:
            out.append(None)
        return out

    def breakers(self, schema: dict[str, Any], required: bool) -> list[tuple[str, Any]]:
        """Schema-breaking replacements for one field: (how, value); value ``DROP`` removes the field."""
        s = self.resolve(schema)
        kinds: list[Any] = s["type"] if isinstance(s.get("type"), list) else [s.get("type")]
        out: list[tuple[str, Any]] = []
        if required:
            out.append(("drop", DROP))
        out.append(("null", None))
        for kind in kinds:
            if kind in WRONG_TYPE:
                out.append((f"wrong type (not {kind})", WRONG_TYPE[kind]))
        if "enum" in s:
            out.append(("not one of the enum values", "not-an-enum-value"))
        if "string" in kinds:
            if "maxLength" in s:
                out.append(("longer than maxLength", "x" * (int(s["maxLength"]) + 1)))
            if s.get("minLength", 0) > 0:
                out.append(("shorter than minLength", ""))
            if "pattern" in s:
                out.append(("breaks the pattern", "!?"))
        if "integer" in kinds or "number" in kinds:
            low, high = _bounds(s, None, None)
            if low is not None:
                out.append(("below minimum", low - 1))
            if high is not None:
                out.append(("above maximum", high + 1))
        if s.get("additionalProperties") is False or (kinds == ["object"] and s.get("additionalProperties") is False):
            out.append(("an unknown field", EXTRA))
        return out


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


DROP = _Marker("DROP")
EXTRA = _Marker("EXTRA")


def _bounds(s: dict[str, Any], low: Any, high: Any) -> tuple[Any, Any]:
    if "minimum" in s:
        low = s["minimum"]
    if "exclusiveMinimum" in s:
        low = s["exclusiveMinimum"] + 1
    if "maximum" in s:
        high = s["maximum"]
    if "exclusiveMaximum" in s:
        high = s["exclusiveMaximum"] - 1
    return low, high


def _minimal(strategy: st.SearchStrategy[Any]) -> Any:
    return find(strategy, lambda _: True,
                settings=settings(database=None, max_examples=50, derandomize=True,
                                  suppress_health_check=list(HealthCheck)))


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``doc`` with ``path`` set to ``value`` (DROP removes it, EXTRA adds an unknown field)."""
    out = _copy(doc)
    parent = out
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if value is DROP:
        parent.pop(last, None)
    elif value is EXTRA:
        target = parent[last] if isinstance(parent.get(last) if isinstance(parent, dict) else None, dict) else None
        (target if target is not None else parent)["unexpected_field"] = 1
    else:
        parent[last] = value
    return out


def operations(contract: Contract, skip: list[str]) -> list[Op]:
    ops = []
    for path, item in contract.document.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method, raw in item.items():
            if method == "parameters" or raw.get("operationId") in skip:
                continue
            content = raw.get("requestBody", {}).get("content", {})
            first: dict[str, Any] = next(iter(content.values()), {}) if content else {}
            body = first.get("schema")
            responses = {str(code): {media: spec.get("schema", {}) for media, spec in r.get("content", {}).items()}
                         for code, r in raw.get("responses", {}).items()}
            ops.append(Op(raw["operationId"], method.upper(), path, tuple(shared + raw.get("parameters", [])),
                          body, responses))
    return ops


# -- cases ----------------------------------------------------------------------------------------------
def _path_strategy(schemas: Schemas, param: dict[str, Any]) -> st.SearchStrategy[Any]:
    s = schemas.resolve(param.get("schema", {}))
    if s.get("type") == "integer":
        low, high = _bounds(s, 0, 10_000)
        return st.integers(low, high)
    if s.get("format") == "date":
        return schemas.days().map(date.isoformat)
    return PATH_TEXT


def _path_simplest(schemas: Schemas, param: dict[str, Any]) -> Any:
    s = schemas.resolve(param.get("schema", {}))
    if s.get("type") == "integer":
        return s.get("minimum", schemas.as_of.year if param["name"] == "year" else 0)
    if s.get("format") == "date":
        return schemas.as_of.isoformat()
    return "x1"


def deterministic_cases(schemas: Schemas, ops: list[Op], p: ConformanceParams) -> Iterator[dict[str, Any]]:
    for op in ops:
        path_params = {q["name"]: _path_simplest(schemas, q) for q in op.parameters if q.get("in") == "path"}
        case: dict[str, Any] = {"operation": op.operation_id, "path": path_params}
        sends_valid = op.safe or op.operation_id in p.stateless
        if op.body is None:
            if sends_valid:
                yield {**case, "body": None, "change": "the simplest request", "invalid": False}
            continue
        base = schemas.simplest(op.body)
        if sends_valid:
            yield {**case, "body": base, "change": "the simplest valid request", "invalid": False}
            for path, sub, _ in list(schemas.fields(op.body, base)):
                for value in schemas.alternatives(sub):
                    doc = _set(base, path, value)
                    if doc != base and schemas.valid(op.body, doc):
                        yield {**case, "body": doc, "change": f"{_name(path)} = {value!r}", "invalid": False}
        for path, sub, required in list(schemas.fields(op.body, base)):
            for how, value in schemas.breakers(sub, required):
                doc = _set(base, path, value)
                if not schemas.valid(op.body, doc):
                    yield {**case, "body": doc, "change": f"{_name(path)}: {how}", "invalid": True}
        doc = _set(base, ("unexpected_field",), 1) if isinstance(base, dict) else None
        if doc is not None and not schemas.valid(op.body, doc):
            yield {**case, "body": doc, "change": "an unknown top-level field", "invalid": True}
        for raw in RAW_BODIES:
            yield {**case, "body": None, "raw": raw.decode(), "change": f"raw body {raw!r}", "invalid": True}


def generated_cases(schemas: Schemas, ops: list[Op], p: ConformanceParams) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def draw(d: st.DrawFn) -> dict[str, Any]:
        op = d(st.sampled_from(ops))
        path = {q["name"]: d(_path_strategy(schemas, q)) for q in op.parameters if q.get("in") == "path"}
        case: dict[str, Any] = {"operation": op.operation_id, "path": path}
        sends_valid = op.safe or op.operation_id in p.stateless
        if op.body is None:
            assume(sends_valid)
            return {**case, "body": None, "change": "generated", "invalid": False}
        body = d(schemas.strategy(op.body))
        assume(schemas.valid(op.body, body))  # our generator covers the contracts' subset; never send junk as valid
        choices = [(path_, how, value) for path_, sub, req in schemas.fields(op.body, body)
                   for how, value in schemas.breakers(sub, req)]
        if not sends_valid or d(st.booleans()):
            assume(choices)
            where, how, value = d(st.sampled_from(choices))
            bad = _set(body, where, value)
            assume(not schemas.valid(op.body, bad))
            return {**case, "body": bad, "change": f"{_name(where)}: {how}", "invalid": True}
        return {**case, "body": body, "change": "generated valid request", "invalid": False}

    return draw()


def _name(path: tuple[Any, ...]) -> str:
    return ".".join(map(str, path))


# -- the assertions -------------------------------------------------------------------------------------
def probe(ctx: CheckContext, client: ContractClient, schemas: Schemas, ops: dict[str, Op], case: dict[str, Any]
          ) -> None:
    op = ops[case["operation"]]
    url = op.path.format(**case["path"])
    raw = case.get("raw")
    what = f"{op.method} {url} ({case['change']})"
    try:
        response, exchange = client.send(op.method, url, case["body"],
                                         raw=raw.encode() if raw is not None else None)
    except ProductError as exc:
        raise CertificationFailure(f"{what}: {exc.message if hasattr(exc, 'message') else exc}",
                                   counterexample=case, evidence=exc.evidence) from None
    status = response.status_code
    evidence = {"exchange": exchange.as_dict()}
    declared = op.responses.get(str(status)) or op.responses.get(f"{str(status)[0]}XX") \
        or op.responses.get("default")
    if declared is None:
        ctx.fail(f"{what} answered {status}, a status the contract does not declare for {op.operation_id} "
                 f"(declared: {', '.join(sorted(op.responses))})", counterexample=case, **evidence)
    if case["invalid"] and status < 400:
        ctx.fail(f"{what}: a schema-invalid request was accepted with {status}; expected a 4xx problem+json",
                 counterexample=case, **evidence)
    ctype = response.headers.get("content-type", "").split(";")[0].strip()
    if status >= 400 and ctype != PROBLEM_JSON:
        ctx.fail(f"{what} answered {status} with content-type {ctype!r}; errors are {PROBLEM_JSON} (RFC 9457)",
                 counterexample=case, **evidence)
    if declared:
        if ctype not in declared:
            ctx.fail(f"{what} answered {status} as {ctype!r}; the contract declares {', '.join(declared)}",
                     counterexample=case, **evidence)
        schema = declared[ctype]
        errors = schemas.errors(schema, exchange.response) if schema else []
        if errors:
            ctx.fail(f"{what} answered {status} with a body that breaks the contract: {'; '.join(errors[:3])}",
                     counterexample=case, **evidence)


def run_conformance(ctx: CheckContext, p: ConformanceParams, capability: str) -> None:
    contract = load_contract(capability)
    client = ctx.client(CLIENTS[capability])
    schemas = Schemas(contract, ctx.as_of, p.history_days)
    ops = operations(contract, p.skip)
    unknown = sorted(set(p.stateless) - {o.operation_id for o in ops})
    if unknown:
        raise ProfileError(f"{ctx.requirement.id}: parameters.stateless: {unknown} are not operations of the "
                           f"{capability} contract (operations: {', '.join(o.operation_id for o in ops)})")
    by_id = {o.operation_id: o for o in ops}
    counts = {"deterministic": 0, "invalid": 0}
    for n, case in enumerate(deterministic_cases(schemas, ops, p)):
        if n >= p.max_deterministic:
            break
        ctx.interrupt.check()
        ctx.examples += 1
        counts["deterministic"] += 1
        counts["invalid"] += case["invalid"]
        probe(ctx, client, schemas, by_id, case)
    ctx.attach("conformance", {"operations": sorted(by_id), "deterministic_requests": counts["deterministic"],
                               "deterministic_invalid": counts["invalid"], "as_of": ctx.as_of.isoformat()})

    @ctx.given(case=generated_cases(schemas, ops, p))
    def prop(case: dict[str, Any]) -> None:
        probe(ctx, client, schemas, by_id, case)

    prop()


def _client(capability: str) -> type[ContractClient]:
    return type(f"{capability.title().replace('_', '')}ConformanceClient", (ContractClient,),
                {"contract_name": capability})


CLIENTS = {capability: _client(capability) for capability in CAPABILITIES}


def _register(capability: str) -> None:
    def conformance(ctx: CheckContext, p: ConformanceParams) -> None:
        run_conformance(ctx, p, capability)

    conformance.__doc__ = (f"Every answer of the {capability} contract's operations to generated valid and "
                           "schema-invalid requests: never 5xx, a declared status, a conforming body, "
                           "problem+json errors.")
    conformance.__name__ = f"{capability}_conformance"
    check(f"{capability}.conformance", params=ConformanceParams)(conformance)


for _capability in CAPABILITIES:
    _register(_capability)
