"""Generic contract conformance, for every capability: requests generated from the capability's OpenAPI
contract (its request schemas), valid and schema-invalid, and these assertions on every answer:

* never a 5xx (nor a hang, nor a body that is not JSON);
* the status is one the operation declares;
* the body validates against the schema declared for that status;
* an error (4xx) is RFC 9457 ``application/problem+json``, and a schema-invalid request gets a 4xx;
* a valid request to an operation the requirement names in ``accepts`` gets a 2xx.

Where the contract lets a valid request be refused for a reason outside its schema (``refusals``: problem
types such as "no reference rate for that day"), the simplest valid request of each operation sent valid
requests is first tried on earlier days until the product accepts it (:func:`settle_bases`), and every
schema-invalid variant is built on that accepted request: otherwise a product that ignores a field's bound
would still answer the invalid variant with a 4xx, for the other reason, and pass.

Deterministic phase first: for every operation a simplest valid request (the schemas' ``examples`` first,
distinct fields of one schema taking distinct examples), then every enum value, every ``examples`` entry,
every integer bound, every amount edge a pattern takes (zero, one fen, one, the largest) and every date
boundary (the run's as-of day, the day before, the first of its month and year, the last weekend)
substituted one field at a time, then every schema-breaking mutation of it (drop a required field, null,
wrong type, out of bounds, an unknown field, a body that is not JSON; for a field with a pattern, a valid
value with a final line break and the same value in full-width digits, which the pattern refuses as
ECMA-262 reads it, and which a product checking with Python's ``re.match``/``$``, ``\\d`` or ``Decimal()``
takes). Then a generated phase through
``ctx.given`` (shrinking, the deterministic example budget). Dates are drawn up to and including the run's
as-of date, never past ``ctx.now()``.

Only GET operations and those the requirement names as ``stateless`` or ``accepts`` receive *valid*
requests; the others receive only invalid ones (a product refuses them, so the run changes no state that
the domain checks of the same session rely on). An ``accepts`` operation creates state, so each of its
valid requests carries fresh identifiers in the ``fresh`` fields (``iface-<seed>-<n>``: never one a domain
check uses). Request generation (``harness/checks/_conformance_schemas.py``) is our own (no
hypothesis-jsonschema): the subset of JSON Schema 2020-12 the contracts use.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn

from hypothesis import assume
from hypothesis import strategies as st
from pydantic import Field

from harness.checks._conformance_schemas import Schemas, bounds, set_path
from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.base import PROBLEM_JSON, Contract, ContractClient, load_contract
from harness.errors import CertificationFailure, ProductError, ProfileError

CAPABILITIES = ("credit", "resilience", "ledger", "ai_model", "cross_border", "receivables")
RAW_BODIES = (b"{not json", b"[]", b"")
PATH_TEXT = st.from_regex(r"[A-Za-z0-9_-]{1,16}", fullmatch=True)


class ConformanceParams(Params):
    stateless: list[str] = Field(default_factory=list, description="Operations (operationId) that change no "
                                 "state: they receive generated valid requests too (GET operations always do)")
    skip: list[str] = Field(default_factory=list, description="Operations not probed (each with a reason in "
                            "the profile's note)")
    accepts: list[str] = Field(default_factory=list, description="Operations that must accept every valid "
                               "request (a 2xx): they receive valid requests too, each with fresh values in the "
                               "`fresh` fields, so the state they create never collides")
    fresh: list[str] = Field(default_factory=list, description="Top-level request fields (identifiers) given a "
                             "value unique within the run in every request to an `accepts` operation")
    refusals: list[str] = Field(default_factory=list, description="Problem types (RFC 9457 `type`) with which "
                                "the contract lets a valid request be refused for a reason outside its schema "
                                "(e.g. no reference rate for that day). A valid request to an `accepts` "
                                "operation may get one; the simplest valid request of every operation sent valid "
                                "requests is then tried on earlier days until the product accepts it, and the "
                                "schema-invalid variants are built on that accepted request")
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


def operations(contract: Contract, skip: list[str], implemented: frozenset[str] = frozenset()) -> list[Op]:
    """The contract's operations minus ``skip`` and the optional ones the product does not implement."""
    ops = []
    for path, item in contract.document.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method, raw in item.items():
            if method == "parameters" or raw.get("operationId") in skip:
                continue
            if raw.get("x-sandbox-optional") and raw.get("operationId") not in implemented:
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
        low, high = bounds(s, 0, 10_000)
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


def _simplest_path(schemas: Schemas, op: Op) -> dict[str, Any]:
    return {q["name"]: _path_simplest(schemas, q) for q in op.parameters if q.get("in") == "path"}


def deterministic_cases(schemas: Schemas, ops: list[Op], p: ConformanceParams,
                        bases: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """The deterministic phase; ``bases`` holds, per operation, a simplest valid request the product was
    seen to accept (see :func:`settle_bases`), else the simplest request on the as-of date is the base."""
    bases = bases or {}
    for op in ops:
        case: dict[str, Any] = {"operation": op.operation_id, "path": _simplest_path(schemas, op)}
        sends_valid = op.safe or op.operation_id in p.stateless or op.operation_id in p.accepts
        if op.body is None:
            if sends_valid:
                yield {**case, "body": None, "change": "the simplest request", "invalid": False}
            continue
        base = bases.get(op.operation_id) or schemas.simplest(op.body)
        # optional objects (a card, say) at their simplest, so their own fields are covered and broken too
        full = schemas.with_optional_objects(op.body, base)
        if full == base or not schemas.valid(op.body, full):
            full = base
        targets = [(base, path, sub, req) for path, sub, req in schemas.fields(op.body, base)]
        targets += [(full, path, sub, req) for path, sub, req in schemas.fields(op.body, full)
                    if len(path) > 1 and path[0] not in base]
        if sends_valid:
            yield {**case, "body": base, "change": "the simplest valid request", "invalid": False}
            if full is not base:
                yield {**case, "body": full, "change": "with every optional object", "invalid": False}
            for start, path, sub, _ in targets:
                for value in schemas.alternatives(sub):
                    doc = set_path(start, path, value)
                    if doc != start and schemas.valid(op.body, doc):
                        yield {**case, "body": doc, "change": f"{_name(path)} = {value!r}", "invalid": False}
        for start, path, sub, required in targets:
            for how, value in schemas.breakers(sub, required):
                doc = set_path(start, path, value)
                if not schemas.valid(op.body, doc):
                    yield {**case, "body": doc, "change": f"{_name(path)}: {how}", "invalid": True}
        doc = set_path(base, ("unexpected_field",), 1) if isinstance(base, dict) else None
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
        sends_valid = op.safe or op.operation_id in p.stateless or op.operation_id in p.accepts
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
            bad = set_path(body, where, value)
            assume(not schemas.valid(op.body, bad))
            return {**case, "body": bad, "change": f"{_name(where)}: {how}", "invalid": True}
        return {**case, "body": body, "change": "generated valid request", "invalid": False}

    return draw()


def _name(path: tuple[Any, ...]) -> str:
    return ".".join(map(str, path))


# -- the assertions -------------------------------------------------------------------------------------
class Fresh:
    """Identifiers unique within the run (``iface-<seed>-<n>``) for the ``fresh`` fields of an ``accepts``
    operation: a replayed or shrunk example never collides with a booking the run already made."""

    def __init__(self, seed: int, fields: list[str]) -> None:
        self.prefix, self.fields, self.count = f"iface-{seed}-", fields, 0

    def next(self) -> str:
        self.count += 1
        return f"{self.prefix}{self.count}"


def refusal_type(status: int, body: Any, refusals: frozenset[str]) -> str | None:
    """The problem type of a 4xx answer when it is one of the contract's allowed refusals, else None."""
    if 400 <= status < 500 and isinstance(body, dict) and body.get("type") in refusals:
        return str(body["type"])
    return None


def settle_bases(ctx: CheckContext, client: ContractClient, schemas: Schemas, ops: list[Op],
                 p: ConformanceParams, fresh: Fresh) -> dict[str, Any]:
    """Per operation sent valid requests, the simplest valid request on the first of
    :meth:`Schemas.base_days` that the product accepts (a 2xx), so that every schema-invalid variant differs
    from an accepted request only by what makes it invalid. Only with ``refusals``: a day is skipped only
    for an allowed refusal; any other answer is probed (and judged) as it is. An ``accepts`` operation that
    refuses its simplest request on every day fails."""
    refusals, accepts, bases = frozenset(p.refusals), frozenset(p.accepts), {}
    if not refusals:
        return {}
    by_id = {o.operation_id: o for o in ops}
    for op in ops:
        if op.body is None or not (op.safe or op.operation_id in p.stateless or op.operation_id in accepts):
            continue
        tried: list[str] = []
        for day in schemas.base_days():
            ctx.interrupt.check()
            base = schemas.simplest(op.body, day=day)
            case = {"operation": op.operation_id, "path": _simplest_path(schemas, op), "body": base,
                    "invalid": False, "change": f"the simplest valid request on {day.isoformat()}"}
            ctx.examples += 1
            response, exchange = probe(ctx, client, schemas, by_id, case, accepts, fresh, refusals)
            if refusal_type(response.status_code, exchange.response, refusals) is None:
                bases[op.operation_id] = base
                break
            tried.append(day.isoformat())
        else:
            if op.operation_id in accepts:
                ctx.fail(f"{op.method} {op.path}: the simplest valid request was refused on every day tried "
                         f"({', '.join(tried)}) with an allowed refusal; {op.operation_id} must accept a valid "
                         "request on some day", counterexample={"operation": op.operation_id, "days": tried})
    return bases


def probe(ctx: CheckContext, client: ContractClient, schemas: Schemas, ops: dict[str, Op], case: dict[str, Any],
          accepts: frozenset[str] = frozenset(), fresh: Fresh | None = None,
          refusals: frozenset[str] = frozenset()) -> tuple[Any, Any]:
    op = ops[case["operation"]]
    url = op.path.format(**case["path"])
    raw = case.get("raw")
    what = f"{op.method} {url} ({case['change']})"
    body = case["body"]
    if fresh is not None and op.operation_id in accepts and not case["invalid"] and isinstance(body, dict):
        body = {**body, **{name: fresh.next() for name in fresh.fields if name in body}}
    try:
        response, exchange = client.send(op.method, url, body, raw=raw.encode() if raw is not None else None)
    except ProductError as exc:
        raise CertificationFailure(f"{what}: {exc.message if hasattr(exc, 'message') else exc}",
                                   counterexample=case, evidence=exc.evidence) from None
    status = response.status_code

    def fail(message: str) -> NoReturn:  # the exchange's evidence copy is made only for a failure
        ctx.fail(message, counterexample=case, exchange=exchange.as_dict())

    declared = op.responses.get(str(status)) or op.responses.get(f"{str(status)[0]}XX") \
        or op.responses.get("default")
    if declared is None:
        fail(f"{what} answered {status}, a status the contract does not declare for {op.operation_id} "
             f"(declared: {', '.join(sorted(op.responses))})")
    if not case["invalid"] and op.operation_id in accepts and not 200 <= status < 300 \
            and refusal_type(status, exchange.response, refusals) is None:
        fail(f"{what}: a valid request was refused with {status}; {op.operation_id} must accept every "
             "valid request")
    if case["invalid"] and status < 400:
        fail(f"{what}: a schema-invalid request was accepted with {status}; expected a 4xx problem+json")
    ctype = response.headers.get("content-type", "").split(";")[0].strip()
    if status >= 400 and ctype != PROBLEM_JSON:
        fail(f"{what} answered {status} with content-type {ctype!r}; errors are {PROBLEM_JSON} (RFC 9457)")
    if declared:
        if ctype not in declared:
            fail(f"{what} answered {status} as {ctype!r}; the contract declares {', '.join(declared)}")
        schema = declared[ctype]
        errors = schemas.errors(schema, exchange.response) if schema else []
        if errors:
            fail(f"{what} answered {status} with a body that breaks the contract: {'; '.join(errors[:3])}")
    return response, exchange


def run_conformance(ctx: CheckContext, p: ConformanceParams, capability: str) -> None:
    contract = load_contract(capability)
    client = ctx.client(CLIENTS[capability])
    schemas = Schemas(contract, ctx.as_of, p.history_days)
    everything = operations(contract, p.skip, frozenset(contract.optional_operations))
    for name, listed in (("stateless", p.stateless), ("accepts", p.accepts)):
        unknown = sorted(set(listed) - {o.operation_id for o in everything})
        if unknown:
            raise ProfileError(f"{ctx.requirement.id}: parameters.{name}: {unknown} are not operations of the "
                               f"{capability} contract (operations: "
                               f"{', '.join(o.operation_id for o in everything)})")
    ops = operations(contract, p.skip, ctx.manifest.implemented(capability))  # optional ones only if declared
    accepts, fresh, refusals = frozenset(p.accepts), Fresh(ctx.seed, p.fresh), frozenset(p.refusals)
    by_id = {o.operation_id: o for o in ops}
    bases = settle_bases(ctx, client, schemas, ops, p, fresh)
    counts = {"deterministic": 0, "invalid": 0}
    for n, case in enumerate(deterministic_cases(schemas, ops, p, bases)):
        if n >= p.max_deterministic:
            break
        ctx.interrupt.check()
        ctx.examples += 1
        counts["deterministic"] += 1
        counts["invalid"] += case["invalid"]
        probe(ctx, client, schemas, by_id, case, accepts, fresh, refusals)
    ctx.attach("conformance", {"operations": sorted(by_id), "deterministic_requests": counts["deterministic"],
                               "bases": {k: v for k, v in sorted(bases.items())},
                               "deterministic_invalid": counts["invalid"], "as_of": ctx.as_of.isoformat()})

    @ctx.given(case=generated_cases(schemas, ops, p))
    def prop(case: dict[str, Any]) -> None:
        probe(ctx, client, schemas, by_id, case, accepts, fresh, refusals)

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
