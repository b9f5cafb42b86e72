"""Shared helpers for the harness's own tests."""

from __future__ import annotations

import shutil
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


def product_copy(source: Path, dest: Path) -> Path:
    """A copy of a product folder (tests that edit a product, or need its digest fixed, use one); its relative
    ``sources`` are made absolute so the copy still finds the code it builds on."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__"))
    manifest = yaml.safe_load((dest / "product.yaml").read_text(encoding="utf-8"))
    manifest["sources"] = [str((source / s).resolve()) if s != "." else "." for s in manifest.get("sources", ["."])]
    (dest / "product.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return dest


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
