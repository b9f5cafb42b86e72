"""benchmarks/mutation.py refuses options that would silently do something else than asked."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.unit

sys.path.insert(0, str(ROOT / "benchmarks"))


def test_survivors_of_an_unknown_digest_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """Before, a digest with no cached results made every mutant 'to run': a 35-minute full run instead of the
    few survivors asked for."""
    import mutation

    with pytest.raises(SystemExit) as raised:
        mutation.main(["--products", "chain-ledger", "--survivors-of", "0123456789abcdef", "--report-only"])
    assert raised.value.code == 2
    assert "--survivors-of 0123456789abcdef: no mutant of this plan has a result" in capsys.readouterr().err
