"""The reference JSON Schema validator, with ``pattern`` read as JSON Schema reads it (ECMA-262).

JSON Schema 2020-12 (§6.4 of the core specification) says a ``pattern`` is an ECMA-262 regular expression.
The ``jsonschema`` package searches it with Python's ``re``, where ``$`` also matches just before a final
newline: ``"CNY\\n"`` matches ``^[A-Z]{3}$`` there, and not in ECMA-262 (the JSON-Schema-Test-Suite's
optional ``ecmascript-regex`` tests; python-jsonschema issue #576 is that behaviour, kept on purpose).
jsonschema-rs, the fast validator, follows ECMA-262. So that the two give one answer, the reference
validator here reads an unescaped ``$`` outside a character class as ``\\Z`` (the end of the string only).
No other difference matters for the contracts: their patterns use ``[0-9]``-style classes, never ``\\d``,
``\\w`` or ``\\s``, whose Unicode ranges also differ between the dialects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators


@cache
def python_pattern(pattern: str) -> re.Pattern[str]:
    """``pattern`` (ECMA-262) compiled for ``re``, its end anchors ``$`` made ``\\Z``."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append(r"\Z")
            continue
        out.append(char)
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not python_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


ReferenceValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})
"""Draft 2020-12 as ``jsonschema`` implements it, ``pattern`` as ECMA-262 anchors it."""
