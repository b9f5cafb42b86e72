"""The mutator of benchmarks/mutation.py: a small stdlib ``ast`` mutator that edits only the source span of the
mutated node, so everything else in the file stays byte for byte (comparison flips, arithmetic swaps, constant
tweaks, ``and``/``or``, a dropped ``not``, an element removed from a set or tuple literal)."""

from __future__ import annotations

import ast
import copy
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

# -- the mutator ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mutant:
    product: str
    file: str  # relative to the product folder
    line: int
    col: int
    end_line: int
    end_col: int
    kind: str  # compare, binop, augassign, number, decimal, bool, boolop, not, drop-element
    change: str  # human-readable "old -> new"
    replacement: str  # source text that replaces [line:col, end_line:end_col)

    @property
    def id(self) -> str:
        digest = hashlib.sha256(self.replacement.encode()).hexdigest()[:8]
        return f"{self.file}:{self.line}:{self.col}:{self.kind}:{digest}"


COMPARE_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
BINOP_SWAP: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
}
SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
          ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
          ast.Div: "/", ast.And: "and", ast.Or: "or"}
DECIMAL_NAMES = {"D", "Decimal"}


def _skipped_spans(tree: ast.AST) -> set[int]:
    """ids of nodes never mutated: annotations, docstrings, f-strings (their inner positions are unreliable)."""
    skip: set[int] = set()

    def under(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            under(node.returns)
            for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs, node.args.vararg,
                      node.args.kwarg]:
                if a is not None:
                    under(a.annotation)
        elif isinstance(node, ast.AnnAssign):
            under(node.annotation)
        elif isinstance(node, ast.JoinedStr):
            under(node)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                under(first)
    return skip


def _decimal_literal_args(tree: ast.AST) -> set[int]:
    """ids of the string constants that are the argument of ``Decimal("...")`` / ``D("...")``."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in DECIMAL_NAMES
                and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            found.add(id(node.args[0]))
    return found


def _last_digit_changed(text: str) -> str | None:
    for i in range(len(text) - 1, -1, -1):
        if text[i].isdigit():
            digit = int(text[i])
            return text[:i] + str(digit + 1 if digit < 9 else 8) + text[i + 1:]
    return None


def _variants(node: ast.AST, decimal_args: set[int]) -> Iterator[tuple[str, str, ast.AST]]:
    """(kind, change, mutated copy of node) for every mutation of this node itself."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            new_op = COMPARE_SWAP.get(type(op))
            if new_op is not None:
                new = copy.deepcopy(node)
                new.ops[i] = new_op()
                yield "compare", f"{SYMBOL[type(op)]} -> {SYMBOL[new_op]}", new
    elif isinstance(node, (ast.BinOp, ast.AugAssign)):
        new_bin = BINOP_SWAP.get(type(node.op))
        if new_bin is not None:
            arith = copy.deepcopy(node)
            arith.op = new_bin()
            suffix = "=" if isinstance(node, ast.AugAssign) else ""
            yield ("augassign" if suffix else "binop",
                   f"{SYMBOL[type(node.op)]}{suffix} -> {SYMBOL[new_bin]}{suffix}", arith)
    elif isinstance(node, ast.BoolOp):
        logic = copy.deepcopy(node)
        logic.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield "boolop", f"{SYMBOL[type(node.op)]} -> {SYMBOL[type(logic.op)]}", logic
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not", "not x -> x", copy.deepcopy(node.operand)
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield "bool", f"{value} -> {not value}", ast.Constant(not value)
        elif isinstance(value, int):
            for new_value in dict.fromkeys((value + 1, value - 1)):
                yield "number", f"{value} -> {new_value}", ast.Constant(new_value)
        elif isinstance(value, float):  # 0.0 * 10 is 0.0 again: a mutant that changes nothing
            new_float = value * 10 if value * 10 != value else value + 1.0
            yield "number", f"{value} -> {new_float}", ast.Constant(new_float)
        elif isinstance(value, str) and id(node) in decimal_args:
            changed = _last_digit_changed(value)
            if changed is not None:
                yield "decimal", f"Decimal('{value}') -> Decimal('{changed}')", ast.Constant(changed)
    elif isinstance(node, (ast.Set, ast.Tuple)) and len(node.elts) >= 2:
        if isinstance(node, ast.Tuple) and not isinstance(node.ctx, ast.Load):
            return
        for i, elt in enumerate(node.elts):
            thinned = copy.deepcopy(node)
            del thinned.elts[i]
            shown = ast.unparse(elt)
            yield "drop-element", f"drop {shown if len(shown) <= 40 else shown[:37] + '...'} from literal", thinned


def mutants_of(product: str, rel: str, source: str) -> list[Mutant]:
    """Every mutant of one decision module, in source order (deterministic)."""
    tree = ast.parse(source)
    skip = _skipped_spans(tree)
    decimal_args = _decimal_literal_args(tree)
    # a Tuple that is the slice of a subscript (x[a, b]) or an unpacking target is not a literal to thin out
    slices = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}
    # not thinned out either: the right side of a tuple unpacking (a, b = x, y: a crash, not a defect) and the
    # records inside a table literal (dropping half of a (date, rate) pair only crashes)
    slices |= {id(n.value) for n in ast.walk(tree)
               if isinstance(n, ast.Assign) and any(isinstance(t, ast.Tuple) for t in n.targets)}
    slices |= {id(e) for n in ast.walk(tree) if isinstance(n, (ast.Tuple, ast.List, ast.Set)) for e in n.elts
               if isinstance(e, ast.Tuple)}
    # in date(y, m, d) literals only the day moves (a rate table's effective day off by one)
    slices |= {id(a) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
               and n.func.id == "date" and len(n.args) == 3 for a in n.args[:2]}
    out: list[Mutant] = []
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in slices or not isinstance(node, (ast.expr, ast.stmt)):
            continue
        if node.end_lineno is None or node.end_col_offset is None:
            continue
        for kind, change, new in _variants(node, decimal_args):
            text = ast.unparse(new)
            replacement = text if isinstance(node, ast.stmt) else f"({text})"
            out.append(Mutant(product, rel, node.lineno, node.col_offset, node.end_lineno, node.end_col_offset,
                              kind, change, replacement))
    out.sort(key=lambda m: (m.line, m.col, m.kind, m.change))
    return out


def apply(source: str, m: Mutant) -> str:
    """The source with the mutated node's span replaced (columns are UTF-8 byte offsets, as ast gives them)."""
    lines = source.splitlines(keepends=True)
    start = sum(len(x.encode()) for x in lines[:m.line - 1]) + m.col
    end = sum(len(x.encode()) for x in lines[:m.end_line - 1]) + m.end_col
    raw = source.encode()
    return (raw[:start] + m.replacement.encode() + raw[end:]).decode()
