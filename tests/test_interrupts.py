"""Interruption is a state: SIGINT or SIGTERM at any point of a run gives exit 130 and, once the run has
started, a verdict.json that says INCOMPLETE with ``selection.interrupted`` and cannot be signed."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REFERENCE_CREDIT, ROOT

from harness.cli import main

# Where to interrupt, counted in requirements the run has reported (the console prints each as it ends), plus
# a short delay into the next one: product start-up, the first requirements, the middle (inside the
# fairness sample, the longest credit requirement) and late ones (inside the conformance check, and the last
# requirements). Counted, not timed from the start, so every point lands inside the run on an idle machine
# (the whole run takes about 5 s) and on a loaded one alike; SIGTERM as well as Ctrl-C.
POINTS = [(0, 0.0, signal.SIGINT), (0, 0.1, signal.SIGTERM), (3, 0.0, signal.SIGINT), (9, 0.3, signal.SIGINT),
          (15, 0.2, signal.SIGTERM), (20, 0.0, signal.SIGINT)]
REPORTED = re.compile(r"^\s+(PASSED|FAILED|BROKEN|NOT_EVALUATED|NOT_APPLICABLE|WAIVED)\s")


def _interrupt(out: Path, after: int, delay: float, sig: signal.Signals) -> int:
    proc = subprocess.Popen([sys.executable, "-m", "harness.cli", "certify", str(REFERENCE_CREDIT), "--profile",
                             "chongqing", "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    started, reported = False, 0
    for line in proc.stdout:
        started = started or line.startswith("Certifying")
        reported += bool(started and REPORTED.match(line))
        if started and reported >= after:
            break
    time.sleep(delay)
    assert proc.poll() is None, "the run ended before the interrupt point"
    proc.send_signal(sig)
    proc.stdout.read()
    return proc.wait(timeout=120)


@pytest.mark.parametrize(("after", "delay", "sig"), POINTS, ids=[f"{a}+{d}s-{s.name}" for a, d, s in POINTS])
def test_an_interrupted_run_is_incomplete_exits_130_and_cannot_be_signed(
        tmp_path: Path, after: int, delay: float, sig: signal.Signals) -> None:
    out = tmp_path / "run"
    code = _interrupt(out, after, delay, sig)
    assert code == 130
    verdict_file = out / "verdict.json"
    assert verdict_file.exists()  # every point is after the run announced itself: what it did is recorded
    doc = json.loads(verdict_file.read_text())
    assert doc["verdict"] == "INCOMPLETE" and doc["selection"]["interrupted"] is True
    assert not doc["selection"]["complete"]
    assert any(r["status"] == "not_evaluated" and "interrupted" in r["message"] for r in doc["requirements"])
    assert main(["keygen", str(tmp_path / "key")]) == 0
    assert main(["sign", str(out), "--key", str(tmp_path / "key"), "--signer", "Li Wei", "--role", "officer"]) == 1
