"""`sandbox campaign`: pairs by capability, parallel runs, one bundle per pair, matrix, --rerun-failed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from conftest import product_copy

from harness.campaign import plan
from harness.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = str(ROOT / "tests" / "profiles" / "evidence-mini.yaml")
REFERENCE = str(ROOT / "products" / "rural-microloan")
def make_defect(base: Path) -> str:
    """The seeded defect of NAT-CREDIT-006 (undeclared catch-all reason code), copied."""
    return str(product_copy(ROOT / "tests" / "defects" / "credit-generic-reason", base / "credit-generic-reason"))


def test_pairs_need_every_capability_of_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "ledger-only.yaml"
    text = (ROOT / "tests" / "profiles" / "evidence-mini.yaml").read_text()
    profile.write_text(text.replace("id: evidence-mini", "id: ledger-only").replace("capability: credit",
                                                                                    "capability: ledger"))
    pairs, skipped = plan([REFERENCE], [MINI, str(profile)])
    assert [(p.product_id, p.profile_id) for p in pairs] == [("rural-microloan", "evidence-mini")]
    assert skipped == [{"product": "rural-microloan", "profile": "ledger-only", "missing_capabilities": ["ledger"]}]


def test_campaign_matrix_bundles_and_rerun_failed(tmp_path: Path, capsys) -> None:
    out = tmp_path / "campaign"
    argv = ["campaign", "--profiles", MINI, "--products", REFERENCE, make_defect(tmp_path), "--out", str(out),
            "--workers", "2"]
    assert main(argv) == 1  # the defect is NOT_CERTIFIED
    doc = json.loads((out / "campaign.json").read_text())
    assert doc["workers"] == 2
    verdicts = {e["product_id"]: e["verdict"] for e in doc["pairs"]}
    assert verdicts == {"rural-microloan": "CERTIFIED", "credit-generic-reason": "NOT_CERTIFIED"}
    for e in doc["pairs"]:
        assert (Path(e["bundle"]) / "MANIFEST.sha256").is_file() and Path(e["archive"]).is_file()
    table = pd.read_csv(out / "matrix.csv", index_col=[0, 1, 2], keep_default_na=False)
    assert table.loc[("evidence-mini", "EV-CREDIT-001", "MUST"), "credit-generic-reason"] == "failed"
    assert table.loc[("evidence-mini", "EV-CREDIT-001", "MUST"), "rural-microloan"] == "passed"
    assert table.loc[("evidence-mini", "VERDICT", ""), "rural-microloan"] == "CERTIFIED"
    assert "background-color" in (out / "matrix.html").read_text()
    progress = capsys.readouterr().err  # one line per pair as it starts and ends: a campaign runs for minutes
    assert progress.count("campaign: started ") == 2 and progress.count("campaign: finished ") == 2
    assert "(2/2)" in progress and "NOT_CERTIFIED in" in progress
    assert main([*argv, "--rerun-failed"]) == 1
    again = json.loads((out / "campaign.json").read_text())
    assert {e["product_id"]: e["rerun"] for e in again["pairs"]} == {"rural-microloan": False,
                                                                     "credit-generic-reason": True}
    assert "kept" in capsys.readouterr().out


def test_campaign_bad_input_is_exit_2(tmp_path: Path, capsys) -> None:
    argv = ["campaign", "--profiles", MINI, "--products", REFERENCE, "--out", str(tmp_path), "--rerun-failed"]
    assert main(argv) == 2
    assert "--rerun-failed needs the results of an earlier campaign" in capsys.readouterr().err
    assert main(["campaign", "--profiles", "no-such-profile", "--products", REFERENCE]) == 2
    assert main(["campaign", "--profiles", MINI, "--products", REFERENCE, "--workers", "0"]) == 2
