"""`sandbox certify --runner docker` shows the build and start steps as they happen."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import QUICK, REFERENCE_CREDIT

from harness.cli import main

pytestmark = pytest.mark.container


def test_progress_shows_build_and_start_steps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["certify", str(REFERENCE_CREDIT), "--profile", QUICK, "--runner", "docker", "--out",
                 str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 0
    steps = ["assembling the build context", "building the product image", "starting container", "product ready in"]
    positions = [out.index(step) for step in steps]
    assert positions == sorted(positions) and positions[-1] < out.index("NAT-CREDIT-001")
