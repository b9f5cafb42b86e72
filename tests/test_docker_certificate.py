"""Only a run that evaluated every MUST can be signed: an in-process Chongqing run (resilience needs a
container) is refused with the reason; the same product certified in a container is signed and verified,
including the product check, which recomputes the image's build-context digest."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REFERENCE_CREDIT
from runs import SharedRun

from harness.cli import main

pytestmark = pytest.mark.container


def test_in_process_run_with_container_only_musts_is_not_signable(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  shared_run: SharedRun) -> None:
    doc, bundle = shared_run(REFERENCE_CREDIT, "chongqing")  # the run tests/test_credit_checks.py inspects
    assert doc["verdict"] == "INCOMPLETE" and set(doc["not_evaluated"]) == {f"NAT-RES-00{i}" for i in range(1, 5)}
    assert "--runner docker" in doc["next_step"]
    assert main(["keygen", str(tmp_path / "key")]) == 0
    code = main(["sign", str(bundle), "--key", str(tmp_path / "key"), "--signer", "Li Wei",
                 "--role", "certification officer", "--out", str(tmp_path / "cert.json")])
    err = capsys.readouterr().err
    assert not (tmp_path / "cert.json").exists()  # refused: nothing written
    assert code == 1 and "verdict is INCOMPLETE" in err and "NAT-RES-001 not_evaluated" in err
    assert "--runner docker" in err


def test_container_run_is_signed_and_verified_against_the_product(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  shared_run: SharedRun) -> None:
    doc, bundle = shared_run(REFERENCE_CREDIT, "chongqing", runner="docker")  # also tests/test_docker_parity.py's
    assert doc["verdict"] == "CERTIFIED" and doc["not_evaluated"] == []
    assert doc["product"]["digest"].startswith("sha256:") and doc["runner"]["image"]["id"].startswith("sha256:")
    assert main(["keygen", str(tmp_path / "key")]) == 0
    assert main(["sign", str(bundle), "--key", str(tmp_path / "key"), "--signer", "Li Wei",
                 "--role", "certification officer", "--out", str(tmp_path / "cert.json")]) == 0
    capsys.readouterr()
    code = main(["verify", str(tmp_path / "cert.json"), "--key", str(tmp_path / "key.pub"),
                 "--bundle", f"{bundle}.tar.gz", "--product", str(REFERENCE_CREDIT)])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("VALID rural-microloan 1.0.0 × chongqing")
