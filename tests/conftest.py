"""Shared helpers for the harness's own tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings
from runs import SharedRun, shared_folder, shared_runner

# The harness's own property tests have no deadline: a deadline fails a test on a loaded machine (or on the
# first call that imports scipy), which says nothing about the code. Certifications use their profile's.
settings.register_profile("harness-self-tests", deadline=None)
settings.load_profile("harness-self-tests")

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_CREDIT = ROOT / "products" / "rural-microloan"
QUICK = str(ROOT / "tests" / "profiles" / "quick.yaml")
MINI = str(ROOT / "tests" / "profiles" / "evidence-mini.yaml")


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


@pytest.fixture(scope="session")
def docker_signed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A signed certification, made once per session (only docker runs can be signed): a copy of the reference
    product (its digest stays fixed) certified in a container against evidence-mini (CERTIFIED), two key pairs
    and the certificate ``officer`` signed with ``--product``. Tests copy whatever they change. Tests that use it
    are marked ``container``."""
    from harness.api import certify
    from harness.cli import main

    base = tmp_path_factory.mktemp("docker-signed")
    product = product_copy(REFERENCE_CREDIT, base / "rural-microloan")
    doc = certify(product, MINI, runner="docker", out=base / "bundle", allure=True)
    assert doc["verdict"] == "CERTIFIED", doc["reasons"]
    keys = base / "keys"
    assert main(["keygen", str(keys / "officer")]) == 0 and main(["keygen", str(keys / "other")]) == 0
    assert main(["sign", str(base / "bundle"), "--key", str(keys / "officer"), "--signer", "Li Wei", "--role",
                 "certification officer", "--product", str(product), "--out", str(base / "cert.json")]) == 0
    return {"base": base, "product": product, "bundle": base / "bundle", "tgz": base / "bundle.tar.gz",
            "cert": base / "cert.json", "pub": keys / "officer.pub", "key": keys / "officer",
            "other": keys / "other.pub"}


@pytest.fixture(scope="session")
def shared_run(tmp_path_factory: pytest.TempPathFactory) -> SharedRun:
    """``shared_run(product, profile, **certify_options) -> (document, out)``: one certification per inputs for
    the whole session and every worker (tests/runs.py). For tests that inspect a run, never for tests about
    making runs (reproducibility, interrupts, outputs written where asked)."""
    from harness.api import certify

    return shared_runner(shared_folder(tmp_path_factory, os.environ.get("PYTEST_XDIST_WORKER")), certify)


@pytest.fixture(autouse=True)
def _run_from_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
