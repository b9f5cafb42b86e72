"""The layers stay apart: checks and contracts never import a runner (a check reaches the product only
through its contract client and ``ctx.control``), and the verdict knows nothing of HTTP."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.unit


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(("layer", "forbidden"), [
    ("checks", ("harness.runners",)),
    ("contracts", ("harness.runners", "harness.checks")),
])
def test_a_layer_never_imports_the_ones_it_must_not_know(layer: str, forbidden: tuple[str, ...]) -> None:
    offenders = {f"{path.relative_to(ROOT)} imports {name}"
                 for path in (ROOT / "harness" / layer).glob("*.py") for name in imported(path)
                 if name.startswith(forbidden)}
    assert not offenders, sorted(offenders)


def test_the_verdict_rule_knows_nothing_of_http() -> None:
    assert not {n for n in imported(ROOT / "harness" / "verdict.py") if n.startswith(("httpx", "harness.runners"))}
