"""Loading YAML documents and turning pydantic errors into one clear line.

:func:`load_mapping` reads every profile, manifest and waivers file through :class:`StrictLoader`, a
``SafeLoader`` that refuses what PyYAML would otherwise accept silently or turn into a traceback: duplicate
keys (the second silently wins), impossible dates such as an unquoted ``2027-02-30`` (a ``ValueError`` from
the timestamp constructor), nesting deeper than :data:`MAX_DEPTH` (a ``RecursionError``), and alias bombs
("billion laughs": more than :data:`MAX_ALIASES` aliases, or a document that expands to more than
:data:`MAX_NODES` nodes). Each becomes the caller's error class naming the file, the line and the fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from harness.errors import HarnessError

MAX_BYTES = 4 * 1024 * 1024
"""Largest file read (a profile is a few kilobytes)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted."""
MAX_ALIASES = 1_000
"""Most aliases (``*name``) in one document."""
MAX_NODES = 200_000
"""Most nodes a document may have once every alias is expanded (what a consumer walks)."""
_MERGE = "tag:yaml.org,2002:merge"


class YamlRejected(yaml.MarkedYAMLError):
    """Valid YAML syntax that the harness refuses; ``problem`` says what, ``fix`` how to repair it."""

    def __init__(self, problem: str, mark: Any, fix: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.fix = fix


class StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` without duplicate keys, impossible dates, deep nesting or alias bombs."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    # -- composing: nesting, aliases, duplicate keys ------------------------------------------------
    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise YamlRejected(f"more than {MAX_ALIASES} aliases", self.peek_event().start_mark,
                                   "write the values out instead of repeating aliases")
        if self._depth >= MAX_DEPTH:
            raise YamlRejected(f"nested deeper than {MAX_DEPTH} levels", self.peek_event().start_mark,
                               "flatten the document")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        node: MappingNode = super().compose_mapping_node(anchor)
        first: dict[tuple[str, str], Node] = {}
        for key, _ in node.value:
            if not isinstance(key, ScalarNode) or key.tag == _MERGE:
                continue  # keys merged in with '<<' may be overridden: that is what a merge is for
            seen = first.setdefault((key.tag, key.value), key)
            if seen is not key:
                raise YamlRejected(f"duplicate key {_short(key.value)} (first at line {seen.start_mark.line + 1})",
                                   key.start_mark, "keep one of them (YAML would silently use the last)")
        return node

    def get_single_node(self) -> Node | None:
        node: Node | None = super().get_single_node()
        if node is not None:
            _check_expansion(node)
        return node

    # -- constructing: values Python refuses ------------------------------------------------------
    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError, ArithmeticError) as exc:
            shown = f" {_short(node.value)}" if isinstance(node, ScalarNode) else ""
            why = _first_line(exc).split("; use sys.set_int_max_str_digits", 1)[0]  # not advice for a profile author
            raise YamlRejected(f"cannot read the value{shown} ({why})", node.start_mark,
                               "quote it or write a valid value") from None

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise YamlRejected(f"{_short(node.value)} is not a real date ({_first_line(exc)})", node.start_mark,
                               "write an existing date as YYYY-MM-DD") from None


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_timestamp)


def _check_expansion(root: Node) -> None:
    """Refuse a recursive alias, and a document whose expanded size (aliases followed) exceeds MAX_NODES.
    Iterative, memoised by node: cheap however the aliases nest."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        ident = id(node)
        children = _children(node)
        if done:
            on_path.discard(ident)
            size[ident] = 1 + sum(size[id(c)] for c in children)
            if size[ident] > MAX_NODES:
                raise YamlRejected(f"expands to more than {MAX_NODES:,} values through its aliases (an alias bomb?)",
                                   node.start_mark, "write the values out instead of nesting aliases")
            continue
        if ident in size:
            continue
        if ident in on_path:
            raise YamlRejected("an alias refers to the value that contains it (a recursive document)",
                               node.start_mark, "remove the recursive alias")
        on_path.add(ident)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 5] + "…" + text[-4:]


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def load_mapping(path: Path, error: type[HarnessError], what: str) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping; any problem becomes ``error`` naming the file (one line:
    the file, the line when there is one, the problem and the fix)."""
    try:
        if path.is_dir():
            raise error(f"{path}: is a folder, not a {what} file; pass the YAML file")
        if not path.is_file():
            raise error(f"{path}: {what} file not found; check the path or name")
        if path.stat().st_size > MAX_BYTES:
            raise error(f"{path}: {path.stat().st_size:,} bytes, larger than a {what} can be ({MAX_BYTES:,}); "
                        "pass the right file")
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text (byte {exc.start}); save the {what} as UTF-8") from None
    except (OSError, ValueError) as exc:  # unreadable, name too long, NUL in the name
        why = getattr(exc, "strerror", None) or _first_line(exc)
        raise error(f"{path}: cannot read the {what} file ({why}); check the path") from None
    try:
        data = yaml.load(text, Loader=StrictLoader)  # a SafeLoader subclass
    except YamlRejected as exc:
        raise error(f"{_at(path, exc.problem_mark)}: {exc.problem}; {exc.fix}") from None
    except yaml.MarkedYAMLError as exc:
        raise error(f"{_at(path, exc.problem_mark)}: not valid YAML ({_problem(exc)}); fix the syntax") from None
    except yaml.reader.ReaderError as exc:
        raise error(f"{path}: character {exc.position}: not valid YAML (unacceptable character "
                    f"#x{exc.character:04x}); remove it or save the {what} as plain UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML ({_first_line(exc)}); fix the syntax") from None
    except RecursionError:
        raise error(f"{path}: nested too deeply to read; flatten the document") from None
    if data is None:
        raise error(f"{path}: the {what} file is empty; write its fields")
    if not isinstance(data, dict):
        raise error(f"{path}: expected a mapping of fields at the top level, got {type(data).__name__}")
    return data


def _at(path: Path, mark: Any) -> str:
    """``file: line L column C`` (just ``file`` without a mark)."""
    return f"{path}: line {mark.line + 1} column {mark.column + 1}" if mark is not None else str(path)


def _problem(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's context and problem as one phrase ("found duplicate anchor 'a'; first occurrence (line 3),
    second occurrence"), without its multi-line marks."""
    problem = exc.problem or _first_line(exc)
    if not exc.context:
        return problem
    mark = exc.context_mark
    at = f" (line {mark.line + 1})" if mark is not None and exc.problem_mark is not None and \
        mark.line != exc.problem_mark.line else ""
    return f"{exc.context}{at}, {problem}"


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
    shown = _short(got, 80) if not isinstance(got, dict | list) else type(got).__name__
    more = f" (and {len(exc.errors()) - 1} more problems)" if len(exc.errors()) > 1 else ""
    return f"{path}: {loc}: {' '.join(str(msg).split())} (got {shown}){more}"


def _format_loc(loc: Iterable[Any], data: Any) -> str:
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = ""
            if isinstance(node, list) and 0 <= item < len(node) and isinstance(node[item], dict):
                ident = node[item].get("id")
                label = f" ({printable(ident)})" if ident else ""
            parts.append(f"[{item}]{label}")
            node = node[item] if isinstance(node, list) and 0 <= item < len(node) else None
        else:
            parts.append(("." if parts else "") + printable(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def printable(value: Any) -> str:
    """A field name or ID as written, unless it would break the line (control characters) or run on."""
    text = str(value)
    return text if text.isprintable() and len(text) <= 60 else _short(value)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``did you mean`` hint, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
