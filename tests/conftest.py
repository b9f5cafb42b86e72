"""Shared helpers for the harness's own tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_CREDIT = ROOT / "products" / "rural-microloan"
QUICK = str(ROOT / "tests" / "profiles" / "quick.yaml")


def defect_products(prefix: str) -> list[Any]:
    """``pytest.param(path, requirement_ids)`` for every seeded-defect product whose folder starts with prefix."""
    params = []
    for folder in sorted((ROOT / "tests" / "defects").glob(f"{prefix}*")):
        manifest = yaml.safe_load((folder / "product.yaml").read_text(encoding="utf-8"))
        params.append(pytest.param(folder, manifest["seeded_defect"]["requirements"], id=folder.name))
    return params


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
