"""Request generation for the generic contract conformance check (``harness/checks/conformance.py``): a
contract's request schemas as Hypothesis strategies, their simplest valid instances, the values to cover
deterministically for each field, and schema-breaking mutations. Only the subset of JSON Schema 2020-12 the
contracts use (no hypothesis-jsonschema)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from jsonschema import FormatChecker

from harness.contracts.base import Contract
from harness.contracts.ecma import ReferenceValidator, python_pattern

BEIJING = timezone(timedelta(hours=8))
WRONG_TYPE: dict[str, Any] = {"string": 12345, "integer": "not-a-number", "number": "not-a-number",
                              "boolean": "yes", "object": ["not", "an", "object"], "array": {"not": "an array"},
                              "null": "not-null"}
PATTERN_EDGES = ("0", "0.00", "0.01", "1", "999999999999999.99")
WIDE_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DATE_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
FORMAT_BREAKERS = {"date": "2026-02-30", "date-time": "2026-12-01T25:00:00+08:00"}
"""A well-formed-looking value each asserted format rejects (a day that does not exist, an hour past 23)."""


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True  # a format constrains strings only (JSON Schema 2020-12 §7.1); ``type`` judges the rest
    if not DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


FORMAT_FUNCTIONS = {"date": _is_date, "date-time": _is_date_time}
FORMATS = FormatChecker(formats=())
for _name, _function in FORMAT_FUNCTIONS.items():
    FORMATS.checks(_name)(_function)
"""Requests are judged valid or invalid with ``date`` and ``date-time`` asserted (RFC 3339), responses as
the contract client judges them (formats annotate only)."""
"""Edges tried in every field with a pattern (kept where the pattern takes them): for the contracts' amounts,
zero, the smallest positive amount, a whole unit and the largest amount the format allows."""


class Schemas:
    """The contract's request schemas as Hypothesis strategies, simplest instances and mutations."""

    def __init__(self, contract: Contract, as_of: date, history_days: int) -> None:
        self.contract = contract
        self.doc = contract.document
        self.as_of = as_of
        self.first = as_of - timedelta(days=history_days)
        self._validators: dict[str, Any] = {}
        self._strategies: dict[str, st.SearchStrategy[Any]] = {}

    # -- schema helpers ---------------------------------------------------------------------------------
    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            node: Any = self.doc
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def errors(self, schema: dict[str, Any], value: Any, *, formats: bool = False) -> list[str]:
        """Schema errors of ``value``; ``formats`` also asserts ``date`` and ``date-time`` (requests)."""
        if set(schema) == {"$ref"} and self.contract.surely_valid(schema["$ref"], value,
                                                                  FORMAT_FUNCTIONS if formats else None):
            return []  # jsonschema-rs says "valid" fast; the reference validator writes the messages otherwise
        key = json.dumps([schema, formats], sort_keys=True)
        if key not in self._validators:
            wrapped = {"$ref": f"{self.contract.uri}{schema['$ref']}"} if "$ref" in schema else schema
            if "$ref" in schema and not formats:  # the contract's own validator, which prefixes its URI itself
                self._validators[key] = self.contract.validator(schema["$ref"])
            else:
                self._validators[key] = ReferenceValidator(wrapped, registry=self.contract._registry,
                                                           format_checker=FORMATS if formats else None)
        return [e.message for e in self._validators[key].iter_errors(value)]

    def valid(self, schema: dict[str, Any], value: Any) -> bool:
        """Is ``value`` a valid request for ``schema`` (formats asserted)? jsonschema-rs answers where it can
        (most generated requests are mutations, invalid by design, which the reference validator took ten
        times as long to judge); the reference validator where it cannot."""
        if set(schema) == {"$ref"}:
            verdict = self.contract.fast_verdict(schema["$ref"], value, FORMAT_FUNCTIONS)
            if verdict is not None:
                return verdict
        return not self.errors(schema, value, formats=True)

    def boundary_days(self) -> list[date]:
        """The as-of day, the day before, the first of its month and year, the last Saturday and Sunday."""
        d = self.as_of
        saturday = d - timedelta(days=(d.weekday() - 5) % 7)
        days = [d, d - timedelta(days=1), d.replace(day=1), d.replace(month=1, day=1), saturday,
                saturday + timedelta(days=1) if saturday + timedelta(days=1) <= d else saturday - timedelta(days=6)]
        return list(dict.fromkeys(x for x in days if self.first <= x <= d))

    def base_days(self) -> list[date]:
        """Days to try, in order, for a simplest valid request that the product may refuse for a reason
        outside the request's schema (no reference rate for that day): the boundary days, then the first of
        every earlier month back to the history's start."""
        days = self.boundary_days()
        month = self.as_of.replace(day=1)
        while month > self.first:
            month = (month - timedelta(days=1)).replace(day=1)
            if month >= self.first:
                days.append(month)
        return list(dict.fromkeys(days))

    def boundary_moments(self) -> list[str]:
        out = []
        for day in self.boundary_days():
            for moment in (time(10), time(0), time(23, 59, 59)):
                out.append(datetime.combine(day, moment, BEIJING).isoformat())
        return out

    # -- valid values -----------------------------------------------------------------------------------
    def strategy(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        """Valid values of ``schema``; one strategy object per schema, built once (a strategy built afresh at
        every draw re-validated its whole tree, regexes included: half of a conformance run's time)."""
        key = json.dumps(schema, sort_keys=True, default=str)
        if key not in self._strategies:
            self._strategies[key] = self._build(schema)
        return self._strategies[key]

    def _build(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
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
            low, high = bounds(s, -(10**6), 10**6)
            edges = [v for v in (low, high, 0, 1) if low <= v <= high]
            return st.one_of(st.sampled_from(edges), st.integers(low, high))
        if kind == "number":
            low, high = bounds(s, -(10**6), 10**6)
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
    def simplest(self, schema: dict[str, Any], counters: dict[str, int] | None = None,
                 day: date | None = None) -> Any:
        """A deterministic valid instance: required fields only, the first enum value or example (the k-th
        use of one named schema takes its k-th example), the as-of date (or ``day``), else Hypothesis'
        minimal value."""
        counters = {} if counters is None else counters
        day = self.as_of if day is None else day
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
                return self.simplest(s[key][0], counters, day)
        kind = s.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
            s = {**s, "type": kind}
        if kind == "object" or (kind is None and "properties" in s):
            props = s.get("properties", {})
            return {k: self.simplest(props[k], counters, day) for k in s.get("required", []) if k in props}
        if kind == "string" and s.get("format") == "date":
            return day.isoformat()
        if kind == "string" and s.get("format") == "date-time":
            return datetime.combine(day, time(10), BEIJING).isoformat()
        key = json.dumps([s, self.as_of.isoformat(), self.first.isoformat()], sort_keys=True)
        if key not in _MINIMAL:  # deterministic, and a search costs about 20 ms
            _MINIMAL[key] = _minimal(self._strategy(s))
        return _copy(_MINIMAL[key])

    def with_optional_objects(self, schema: dict[str, Any], value: Any) -> Any:
        """``value`` plus every optional property whose schema is an object, at its simplest."""
        if not isinstance(value, dict):
            return value
        out = dict(value)
        for key, sub in self.resolve(schema).get("properties", {}).items():
            target = self.resolve(sub)
            if key not in out and (target.get("type") == "object" or "properties" in target):
                out[key] = self.simplest(sub)
        return out

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
        integer bounds, the longest string a free-text field allows, the :data:`PATTERN_EDGES` its pattern
        takes."""
        s = self.resolve(schema)
        out: list[Any] = list(s.get("enum", [])) + list(s.get("examples", []))
        for key in ("oneOf", "anyOf"):
            for alt in s.get(key, []):
                out.extend(self.alternatives(alt))
        kinds: list[Any] = s["type"] if isinstance(s.get("type"), list) else [s.get("type")]
        if "string" in kinds and "pattern" in s:
            out.extend(v for v in PATTERN_EDGES if python_pattern(s["pattern"]).search(v))
        elif "string" in kinds and "maxLength" in s and not s.get("format"):
            out.append("x" * int(s["maxLength"]))  # the longest value the contract allows
        if "string" in kinds and s.get("format") == "date":
            out.extend(d.isoformat() for d in self.boundary_days())
        if "string" in kinds and s.get("format") == "date-time":
            out.extend(self.boundary_moments())
        if "integer" in kinds:
            low, high = bounds(s, None, None)
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
                valid = self.simplest(schema)
                if isinstance(valid, str):  # ECMA-262's ``$`` is the end of the string; Python's ``$`` takes "\n"
                    out.append(("a valid value and a line break", valid + "\n"))
                if isinstance(valid, str) and valid != valid.translate(WIDE_DIGITS):
                    # [0-9] is ASCII; Python's \d, int() and Decimal() also take other digits ("１２.５０" is 12.50)
                    out.append(("a valid value in full-width digits", valid.translate(WIDE_DIGITS)))
                # the amount edges the pattern refuses (zero, where amounts must be positive)
                takes = python_pattern(s["pattern"]).search
                out.extend((f"pattern refuses {v!r}", v) for v in PATTERN_EDGES
                           if not takes(v) and any(takes(e) for e in PATTERN_EDGES))
            if s.get("format") in FORMAT_BREAKERS:
                out.append((f"not a {s['format']}", FORMAT_BREAKERS[s["format"]]))
        if "integer" in kinds or "number" in kinds:
            low, high = bounds(s, None, None)
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


def bounds(s: dict[str, Any], low: Any, high: Any) -> tuple[Any, Any]:
    if "minimum" in s:
        low = s["minimum"]
    if "exclusiveMinimum" in s:
        low = s["exclusiveMinimum"] + 1
    if "maximum" in s:
        high = s["maximum"]
    if "exclusiveMaximum" in s:
        high = s["exclusiveMaximum"] - 1
    return low, high


_MINIMAL: dict[str, Any] = {}  # (schema, as-of, first day) as JSON → its minimal instance


def _minimal(strategy: st.SearchStrategy[Any]) -> Any:
    # the first draw is the all-simplest choice sequence: nothing to shrink (see harness.checks.context.minimal)
    return find(strategy, lambda _: True,
                settings=settings(database=None, max_examples=1, derandomize=True, phases=(Phase.generate,),
                                  suppress_health_check=list(HealthCheck)))


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


def set_path(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
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


