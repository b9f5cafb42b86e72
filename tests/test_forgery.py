"""Nothing a product does can forge, hide or break a verdict: every way a product once obtained a certificate
that `sandbox verify` accepted, each shown closed.

1. in-process forgery: the product rewrites the run's results and reseals the bundle from inside the harness
   process (tests/hostile/inprocess-forger); in-process runs cannot be signed, and in a container the same
   product is judged as it is;
2. an empty scope (``capabilities: {}``) written into a resealed bundle;
3. a compiled file planted outside what the digest covered (a ``.pyc`` under ``__pycache__``);
4. the profile changed after signing under the same id and version;
5. manifest paths that reach outside the product folder (Dockerfile, sources, links).
"""

from __future__ import annotations

import json
import py_compile
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINI, ROOT, product_copy

import harness.evidence.bundle as bundle_module
from harness.api import certify, statuses
from harness.cli import main
from harness.evidence.bundle import open_bundle, write_archive, write_manifest
from harness.manifests import load_manifest

FORGER = ROOT / "tests" / "hostile" / "inprocess-forger"


def cli(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def sign(capsys: pytest.CaptureFixture[str], bundle: Path, key: Path, *extra: Any) -> tuple[int, str]:
    code, _, err = cli(capsys, "sign", bundle, "--key", key, "--signer", "Li Wei", "--role", "officer",
                       "--out", bundle.with_name("cert.json"), *extra)
    return code, err


def copy_bundle(signed: dict[str, Path], tmp_path: Path) -> Path:
    shutil.copytree(signed["bundle"], tmp_path / "bundle")
    return tmp_path / "bundle"


def reseal(bundle: Path, name: str, change: Any) -> None:
    """Edit one JSON file of a bundle and recompute MANIFEST.sha256 and the archive, as a careful forger would."""
    data = json.loads((bundle / name).read_text())
    change(data)
    (bundle / name).write_text(json.dumps(data))
    write_manifest(bundle)
    write_archive(bundle)


# -- 1. in-process forgery ---------------------------------------------------------------------------
def test_a_product_that_forges_its_verdict_in_process_cannot_be_signed(tmp_path, capsys, monkeypatch) -> None:
    product = product_copy(FORGER, tmp_path / "forger")
    out = tmp_path / "bundle"
    monkeypatch.setattr(bundle_module, "write_bundle", bundle_module.write_bundle)  # undo the product's patch after
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as on a machine without PYTHONDONTWRITEBYTECODE
    verdict = certify(product, MINI, out=out)
    with open_bundle(out) as bundle:  # the forgery worked: a consistent, sealed CERTIFIED bundle ...
        assert bundle.problems() == [] and bundle.manifest().verdict == "CERTIFIED"
    assert verdict["verdict"] == "CERTIFIED" and set(statuses(verdict).values()) == {"passed"}
    assert verdict["runner"]["grade"] == "development"
    assert not list(product.rglob("__pycache__")), "the in-process run wrote bytecode into the product folder"
    assert sys.dont_write_bytecode is False  # restored when the product was unloaded
    assert main(["keygen", str(tmp_path / "key")]) == 0
    code, err = sign(capsys, out, tmp_path / "key")  # ... which sign refuses: in-process runs prove nothing
    assert code == 1 and "development run of the inprocess runner" in err and "certify with --runner docker" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "cert.json").exists()


@pytest.mark.container
def test_the_same_product_in_a_container_is_judged_as_it_is(tmp_path) -> None:
    doc = certify(product_copy(FORGER, tmp_path / "forger"), MINI, runner="docker", out=tmp_path / "bundle")
    assert doc["verdict"] == "NOT_CERTIFIED" and statuses(doc)["EV-CREDIT-003"] == "failed"
    assert doc["runner"]["grade"] == "certification"


# -- 2. an empty scope -------------------------------------------------------------------------------
@pytest.mark.container
def test_a_bundle_with_an_empty_scope_is_not_signed(docker_signed, tmp_path, capsys) -> None:
    bundle = copy_bundle(docker_signed, tmp_path)
    reseal(bundle, "verdict.json", lambda d: d["scope"].update(capabilities=[]))
    code, err = sign(capsys, bundle, docker_signed["key"])
    assert code == 1 and "certified no capability (empty scope)" in err


# -- 3. files outside the digest ---------------------------------------------------------------------
@pytest.mark.container
def test_a_planted_pyc_changes_the_product_digest(docker_signed, tmp_path, capsys) -> None:
    product = tmp_path / "rural-microloan"
    shutil.copytree(docker_signed["product"], product)
    verify = ["verify", docker_signed["cert"], "--key", docker_signed["pub"], "--product", product]
    code, _, err = cli(capsys, *verify)
    assert code == 0, err
    engine = product / "rural_microloan" / "engine.py"  # a changed engine, compiled where Python looks first
    changed = tmp_path / "engine.py"
    changed.write_text(engine.read_text() + "\nAPPROVE_EVERYTHING = True\n")
    py_compile.compile(str(changed), cfile=str(product / "rural_microloan" / "__pycache__" /
                                                f"engine.{sys.implementation.cache_tag}.pyc"),
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    code, _, err = cli(capsys, *verify)
    assert code == 1 and "INVALID" in err and "product changed: digest today" in err
    code, err = sign(capsys, copy_bundle(docker_signed, tmp_path), docker_signed["key"], "--product", product)
    assert code == 1 and "product changed: digest today" in err


# -- 4. the profile changed after signing ------------------------------------------------------------
@pytest.mark.container
def test_a_profile_changed_after_signing_is_caught_by_verify_and_sign(docker_signed, tmp_path, capsys) -> None:
    verify = ["verify", docker_signed["cert"], "--key", docker_signed["pub"]]
    code, out, _ = cli(capsys, *verify)
    assert code == 0 and "profile not checked (pass --profile)" in out
    code, out, err = cli(capsys, *verify, "--profile", MINI)
    assert code == 0 and "profile digest checked" in out, err
    halved = tmp_path / "evidence-mini.yaml"  # same id and version, the reason-code cap halved
    halved.write_text(Path(MINI).read_text().replace("max_codes: 4", "max_codes: 2"))
    code, _, err = cli(capsys, *verify, "--profile", halved)
    assert code == 1 and "profile changed" in err and "same id and version" in err
    bundle = copy_bundle(docker_signed, tmp_path)  # and a profile.json changed after the run is not signed

    def halve(profile: dict[str, Any]) -> None:
        profile["requirements"][0]["parameters"]["max_codes"] = 2

    reseal(bundle, "profile.json", halve)
    code, err = sign(capsys, bundle, docker_signed["key"])
    assert code == 1 and "profile.json has digest" in err and "changed after the run" in err


# -- 5. manifest paths -------------------------------------------------------------------------------
@pytest.mark.parametrize("field,change,needle", [
    ("container.dockerfile", {"container": {"dockerfile": "../../../../../../../../etc/hostname"}},
     "container.dockerfile: '../../../../../../../../etc/hostname' leaves the product folder"),
    ("container.dockerfile", {"container": {"dockerfile": "/etc/hostname"}}, "leaves the product folder"),
    ("sources", {"sources": [".", "/etc"]}, "sources: '/etc' is outside the product folder"),
    ("sources", {"sources": [".", "../../../../../../../../home"]}, "not another product's folder"),
])
@pytest.mark.unit
def test_manifest_paths_out_of_the_product_folder_are_refused(tmp_path, capsys, field, change, needle) -> None:
    product = product_copy(FORGER, tmp_path / "forger")
    manifest = {**yaml.safe_load((product / "product.yaml").read_text()), **change}
    (product / "product.yaml").write_text(yaml.safe_dump(manifest))
    code, _, err = cli(capsys, "certify", product, "--profile", MINI, "--out", tmp_path / "out")
    assert code == 2 and needle in err and field in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.unit
def test_a_link_in_the_sources_is_refused(tmp_path, capsys) -> None:
    product = product_copy(FORGER, tmp_path / "forger")
    (product / "hostname").symlink_to("/etc/hostname")
    code, _, err = cli(capsys, "certify", product, "--profile", MINI, "--out", tmp_path / "out")
    assert code == 2 and "hostname: sources: a symbolic link" in err


@pytest.mark.unit
def test_every_product_seeded_defect_and_copy_still_loads(tmp_path) -> None:
    folders = [p.parent for pattern in ("products/*/product.yaml", "tests/*/*/product.yaml")
               for p in ROOT.glob(pattern)]
    assert len(folders) > 50
    for folder in [*folders, product_copy(ROOT / "tests" / "defects" / "credit-purpose-gap", tmp_path / "copy")]:
        load_manifest(folder)
