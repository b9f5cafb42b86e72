"""The evidence bundle written by every certify run, and `sandbox replay` of a recorded failure."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tarfile
from pathlib import Path

import pytest

from harness.api import certify
from harness.cli import main
from harness.evidence.bundle import open_bundle

ROOT = Path(__file__).resolve().parent.parent
MINI = str(ROOT / "tests" / "profiles" / "evidence-mini.yaml")

DEFECT = '''
from rural_microloan.engine import CreditEngine


class Engine(CreditEngine):
    def policy_reasons(self, applicant, loan, points, limit):
        reasons = super().policy_reasons(applicant, loan, points, limit)
        return {codes} if points < self.policy.cutoff else reasons


def create_app():
    from rural_microloan.api import CreditApp

    return CreditApp(Engine())
'''


def product(base: Path, codes: str) -> Path:
    folder = base / f"generic-reason-{len(codes)}"
    folder.mkdir()
    (folder / "defect_evidence_generic_reason.py").write_text(DEFECT.format(codes=codes))
    (folder / "product.yaml").write_text(
        "id: generic-reason\nname: Defect\nvendor: self-test\nversion: 1.0.0-defect\n"
        "lender_type: rural_commercial_bank\ncapabilities: {credit: {contract: '1'}}\n"
        f"sources: ['.', '{ROOT / 'products' / 'rural-microloan'}']\n"
        "inprocess: {app: 'defect_evidence_generic_reason:create_app'}\n")
    return folder


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("evidence")
    defect = product(base, '["GENERAL_POLICY"]')
    doc = certify(defect, MINI, out=base / "bundle", allure=True)
    assert doc["verdict"] == "NOT_CERTIFIED" and doc["requirements"][0]["status"] == "failed"
    return defect, base / "bundle"


def test_bundle_holds_everything_with_a_manifest_of_every_file(failing) -> None:
    _, bundle = failing
    for name in ("verdict.json", "junit.xml", "profile.json", "product.yaml", "environment.json", "bundle.json",
                 "replay/EV-CREDIT-001.json", "MANIFEST.sha256"):
        assert (bundle / name).is_file(), name
    assert list((bundle / "allure-results").glob("*-result.json"))
    info = json.loads((bundle / "bundle.json").read_text())
    verdict = json.loads((bundle / "verdict.json").read_text())
    assert info["profile"] == {k: verdict["profile"][k] for k in ("id", "version", "digest")}
    assert info["product"]["digest"] == verdict["product"]["digest"] and info["seed"] == verdict["seed"] == 20201
    env = json.loads((bundle / "environment.json").read_text())
    assert env["harness"] == verdict["harness"]["version"] and "hypothesis" in env["libraries"]
    files = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file())
    listed = [line.split("  ", 1)[1] for line in (bundle / "MANIFEST.sha256").read_text().splitlines()]
    assert listed == [f for f in files if f != "MANIFEST.sha256"]
    assert subprocess.run(["sha256sum", "--quiet", "-c", "MANIFEST.sha256"], cwd=bundle, check=False).returncode == 0


def test_archive_is_reproducible_and_holds_the_same_files(failing) -> None:
    _, bundle = failing
    archive = bundle.with_name("bundle.tar.gz")
    with tarfile.open(archive) as tar:
        names = sorted(m.name for m in tar.getmembers())
        assert all(m.mtime == 0 for m in tar.getmembers())
    assert names == sorted(f"bundle/{p.relative_to(bundle).as_posix()}" for p in bundle.rglob("*") if p.is_file())
    with open_bundle(archive) as opened:
        assert opened.problems() == []
        assert opened.digest == "sha256:" + hashlib.sha256((bundle / "MANIFEST.sha256").read_bytes()).hexdigest()


def test_replay_file_has_the_counterexample_and_the_requests(failing) -> None:
    _, bundle = failing
    replay = json.loads((bundle / "replay" / "EV-CREDIT-001.json").read_text())
    assert replay["counterexample"] and "GENERAL_POLICY" in replay["message"]
    assert replay["requests"] and replay["requests"][-1]["method"] == "POST"
    assert "GENERAL_POLICY" in replay["requests"][-1]["response"]


def test_replay_resends_the_failing_case(failing, tmp_path, capsys) -> None:
    defect, bundle = failing
    assert main(["replay", str(bundle), "--product", str(defect)]) == 0
    assert "reproduced: every answer is the recorded one" in capsys.readouterr().out
    fixed = product(tmp_path, "reasons")  # same product id, the defect removed
    assert main(["replay", str(bundle.with_name("bundle.tar.gz")), "--product", str(fixed)]) == 1
    assert "DIFFERS" in capsys.readouterr().out
    assert main(["replay", str(bundle), "--product", str(defect), "--requirement", "EV-CREDIT-002"]) == 2
    assert "no recorded failure for EV-CREDIT-002" in capsys.readouterr().err


def test_certify_without_out_leaves_no_files(tmp_path, monkeypatch) -> None:
    """Only the document is returned: neither the output folder nor its bundle archive stays behind (a
    mutation or seed benchmark certifies hundreds of times)."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    doc = certify(Path("products/rural-microloan"), "chongqing", only=["NAT-CREDIT-007"])
    assert doc["requirements"]
    assert sorted(p.name for p in tmp_path.iterdir()) == []
