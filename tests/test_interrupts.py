"""Interruption is a state: SIGINT or SIGTERM at any point of a run gives exit 130 and, once the run has
started, a verdict.json that says INCOMPLETE with ``selection.interrupted`` and cannot be signed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REFERENCE_CREDIT, ROOT

from harness.cli import main

# Seconds after the run announced itself, spread over it: product start-up, the first requirements, the
# middle and late ones (the whole run takes ~15 s on an idle machine, longer on a loaded one, so every
# point still lands inside it); SIGTERM as well as Ctrl-C.
POINTS = [(0.0, signal.SIGINT), (1.0, signal.SIGTERM), (2.5, signal.SIGINT), (4.0, signal.SIGINT),
          (5.5, signal.SIGTERM), (7.0, signal.SIGINT)]


def _interrupt(out: Path, delay: float, sig: signal.Signals) -> int:
    proc = subprocess.Popen([sys.executable, "-m", "harness.cli", "certify", str(REFERENCE_CREDIT), "--profile",
                             "chongqing", "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    for line in proc.stdout:  # measured from the run's start, not the interpreter's: load-independent
        if line.startswith("Certifying"):
            break
    time.sleep(delay)
    proc.send_signal(sig)
    proc.stdout.read()
    return proc.wait(timeout=120)


@pytest.mark.parametrize(("delay", "sig"), POINTS, ids=[f"{d}s-{s.name}" for d, s in POINTS])
def test_an_interrupted_run_is_incomplete_exits_130_and_cannot_be_signed(
        tmp_path: Path, delay: float, sig: signal.Signals) -> None:
    out = tmp_path / "run"
    code = _interrupt(out, delay, sig)
    assert code == 130
    verdict_file = out / "verdict.json"
    if not verdict_file.exists():
        return  # interrupted before the run started: nothing recorded, nothing to sign
    doc = json.loads(verdict_file.read_text())
    assert doc["verdict"] == "INCOMPLETE" and doc["selection"]["interrupted"] is True
    assert not doc["selection"]["complete"]
    assert any(r["status"] == "not_evaluated" and "interrupted" in r["message"] for r in doc["requirements"])
    assert main(["keygen", str(tmp_path / "key")]) == 0
    assert main(["sign", str(out), "--key", str(tmp_path / "key"), "--signer", "Li Wei", "--role", "officer"]) == 1
