"""Contract robustness, for any capability: malformed requests get a 4xx problem+json, never a 5xx,
a hang or a crash; every answer to a valid request conforms to the contract's response schema."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from harness.checks._conformance_schemas import Schemas
from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.base import PROBLEM_JSON
from harness.contracts.credit import CreditClient
from harness.strategies.credit import applications

JUNK: tuple[Any, ...] = (None, "", "x" * 300, -1, 10**20, 1.5, True, [], {}, "NaN", "１２３")


@dataclass(frozen=True)
class Mutation:
    """One schema-breaking change to a valid document: drop a field, null it, give it junk, or add one."""

    field: int
    how: str
    junk: int

    def apply(self, valid: dict[str, Any]) -> tuple[str, Any]:
        doc = json.loads(json.dumps(valid))
        paths = _paths(doc)
        path = paths[self.field % len(paths)]
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        last, name = path[-1], ".".join(map(str, path))
        if self.how == "drop" and isinstance(parent, dict):
            del parent[last]
            return f"drop {name}", doc
        if self.how == "extra" and isinstance(parent, dict):
            parent["unexpected_field"] = 1
            return f"add an unknown field next to {name}", doc
        choices = [j for j in JUNK if j != parent[last] and not _still_valid(path, j)]
        value = None if self.how == "null" else choices[self.junk % len(choices)]
        parent[last] = value
        return f"set {name} = {value!r}", doc


mutations = st.builds(Mutation, field=st.integers(0, 200), how=st.sampled_from(["drop", "null", "replace", "extra"]),
                      junk=st.integers(0, len(JUNK)))


def _still_valid(path: tuple[Any, ...], junk: Any) -> bool:
    return path[-1] == "application_id" and isinstance(junk, str) and 0 < len(junk) <= 64


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    for key, value in items:
        out.append((*prefix, key))
        if isinstance(value, dict | list):
            out.extend(_paths(value, (*prefix, key)))
    return out


@check("credit.interface_robustness")
def credit_interface_robustness(ctx: CheckContext, p: Params) -> None:
    """Malformed applications get 4xx problem+json; valid ones get a schema-conforming decision."""
    credit = ctx.client(CreditClient)
    op = credit.contract.operations["decide"]
    schemas = Schemas(credit.contract, ctx.as_of, 400)
    application = {"$ref": "#/components/schemas/Application"}

    @ctx.given(app=applications(), mutation=mutations, raw=st.sampled_from([None, b"{not json", b"", b"[]"]))
    def prop(app: dict[str, Any], mutation: Mutation, raw: bytes | None) -> None:
        credit.decide(app)  # valid: schema-checked by the client
        what, bad = mutation.apply(app)
        # the contract decides what is invalid (formats asserted): junk can still be valid, e.g. True for a
        # co_lending that was False (seed 3 of the chongqing seed benchmark failed the reference on that)
        assume(not schemas.valid(application, bad))
        response, exchange = credit.send(op.method, op.path, bad)
        _expect_problem(ctx, credit, response.status_code, response.headers.get("content-type", ""), exchange, what)
        if raw is not None:
            response, exchange = credit.send(op.method, op.path, raw=raw)
            _expect_problem(ctx, credit, response.status_code, response.headers.get("content-type", ""),
                            exchange, f"raw body {raw!r}")

    prop()


def _expect_problem(ctx: CheckContext, client: CreditClient, status: int, ctype: str, exchange: Any,
                    what: str) -> None:
    if not 400 <= status < 500:
        ctx.fail(f"invalid request ({what}) answered {status}, expected a 4xx", exchange=exchange.as_dict())
    if not ctype.startswith(PROBLEM_JSON):
        ctx.fail(f"invalid request ({what}) answered content-type {ctype!r}, expected {PROBLEM_JSON}",
                 exchange=exchange.as_dict())
    errors = client.contract.schema_errors("#/components/schemas/Problem", exchange.response)
    if errors:
        ctx.fail(f"problem body for ({what}) breaks RFC 9457: {'; '.join(errors)}", exchange=exchange.as_dict())
