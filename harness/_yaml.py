"""Loading YAML documents and turning pydantic errors into one clear line."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from harness.errors import HarnessError


def load_mapping(path: Path, error: type[HarnessError], what: str) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; any problem becomes ``error`` naming the file."""
    if not path.is_file():
        raise error(f"{path}: {what} file not found; check the path or name")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{path}:{where}: not valid YAML ({problem}); fix the syntax") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not UTF-8 text; save the {what} as UTF-8") from None
    if not isinstance(data, dict):
        raise error(f"{path}: expected a mapping of fields at the top level, got {type(data).__name__}")
    return data


def describe_validation_error(path: Path, exc: ValidationError, data: Any = None) -> str:
    """The first pydantic error as ``file: field.path: problem (got value); fix``."""
    err = exc.errors()[0]
    loc = _format_loc(err.get("loc", ()), data)
    msg = err.get("msg", "invalid value")
    got = err.get("input")
    kind = err.get("type", "")
    if kind == "missing":
        return f"{path}: {loc}: required field is missing; add it"
    if kind == "extra_forbidden":
        return f"{path}: {loc}: unknown field; remove it or check its spelling"
    shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
    more = f" (and {len(exc.errors()) - 1} more problems)" if len(exc.errors()) > 1 else ""
    return f"{path}: {loc}: {msg} (got {shown}){more}"


def _format_loc(loc: Iterable[Any], data: Any) -> str:
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = ""
            if isinstance(node, list) and 0 <= item < len(node) and isinstance(node[item], dict):
                ident = node[item].get("id")
                label = f" ({ident})" if ident else ""
            parts.append(f"[{item}]{label}")
            node = node[item] if isinstance(node, list) and 0 <= item < len(node) else None
        else:
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``did you mean`` hint, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
