"""`sandbox campaign`: pairs by capability, parallel runs, one bundle per pair, matrix, --rerun-failed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from harness.campaign import plan
from harness.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = str(ROOT / "tests" / "profiles" / "evidence-mini.yaml")
REFERENCE = str(ROOT / "products" / "rural-microloan")
DEFECT_CODE = """
from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def policy_reasons(self, applicant, loan, points, limit):
        reasons = super().policy_reasons(applicant, loan, points, limit)
        return ["GENERAL_POLICY"] if points < self.policy.cutoff else reasons  # defect: undeclared catch-all


def create_app():
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
"""


def make_defect(base: Path) -> str:
    folder = base / "credit-generic-reason"
    folder.mkdir()
    (folder / "defect_campaign_generic_reason.py").write_text(DEFECT_CODE)
    (folder / "product.yaml").write_text(
        "id: credit-generic-reason\nname: Defect\nvendor: self-test\nversion: 1.0.0-defect\n"
        "lender_type: rural_commercial_bank\ncapabilities: {credit: {contract: '1'}}\n"
        f"sources: ['.', '{REFERENCE}']\ninprocess: {{app: 'defect_campaign_generic_reason:create_app'}}\n")
    return str(folder)


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
    capsys.readouterr()
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
