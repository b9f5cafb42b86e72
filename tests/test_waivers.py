"""Waivers: scoped to requirement + product + version; only where the profile allows; expiry respected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import product_copy

from harness.api import certify, statuses
from harness.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = str(ROOT / "tests" / "profiles" / "evidence-mini.yaml")

def make_defect(base: Path) -> Path:
    """The seeded defect of the reason-code check (an undeclared catch-all code), copied."""
    return product_copy(ROOT / "tests" / "defects" / "credit-generic-reason", base / "generic-reason")


def waivers(path: Path, *entries: dict[str, str]) -> Path:
    base = {"product": "credit-generic-reason", "version": "1.0.0-defect", "reason": "catalogue rewrite (RISK-118)",
            "approver": "Sandbox office, credit desk", "expires": "2099-12-31"}
    path.write_text(json.dumps({"waivers": [{**base, **e} for e in entries]}))  # JSON is YAML
    return path


@pytest.fixture(scope="module")
def defect(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_defect(tmp_path_factory.mktemp("waiver-defect"))


def test_the_defect_fails_its_requirement_without_a_waiver(defect: Path) -> None:
    doc = certify(defect, MINI)
    assert statuses(doc)["EV-CREDIT-001"] == "failed" and doc["verdict"] == "NOT_CERTIFIED"


def test_a_valid_waiver_turns_the_failure_into_a_conditional_pass(defect: Path, tmp_path: Path) -> None:
    file = waivers(tmp_path / "w.yaml", {"requirement": "EV-CREDIT-001"})
    out = tmp_path / "run"
    doc = certify(defect, MINI, out=out, allure=True, extra_args=[f"--sandbox-waivers={file}"])
    req = next(r for r in doc["requirements"] if r["id"] == "EV-CREDIT-001")
    assert req["status"] == "waived" and doc["verdict"] == "CERTIFIED"
    assert req["waiver"]["outcome"] == "failed" and req["waiver"]["approver"] == "Sandbox office, credit desk"
    assert "GENERAL_POLICY" in req["message"] and req["counterexample"] is not None  # the real outcome is kept
    assert [w["requirement"] for w in doc["waivers"]["active"]] == ["EV-CREDIT-001"]
    results = [json.loads(p.read_text()) for p in (out / "allure-results").glob("*-result.json")]
    waived = next(r for r in results if r["name"].startswith("EV-CREDIT-001"))
    assert {"name": "tag", "value": "waiver"} in waived["labels"]
    assert any(a["name"] == "waiver" for a in waived["attachments"])


@pytest.mark.container
def test_the_certificate_carries_the_waiver_and_lasts_no_longer(defect: Path, tmp_path: Path) -> None:
    file = waivers(tmp_path / "w.yaml", {"requirement": "EV-CREDIT-001"})
    out = tmp_path / "run"  # only a docker run can be signed
    doc = certify(defect, MINI, runner="docker", out=out, extra_args=[f"--sandbox-waivers={file}"])
    assert statuses(doc)["EV-CREDIT-001"] == "waived" and doc["verdict"] == "CERTIFIED"
    assert main(["keygen", str(tmp_path / "k")]) == 0
    assert main(["sign", str(out), "--key", str(tmp_path / "k"), "--signer", "A", "--role", "B",
                 "--out", str(tmp_path / "c.json")]) == 0
    from harness.evidence.certificate import payload_of

    predicate = payload_of(json.loads((tmp_path / "c.json").read_text()))["predicate"]
    assert predicate["waivers"][0]["requirement"] == "EV-CREDIT-001"
    assert {"id": "EV-CREDIT-001", "status": "waived"}.items() <= predicate["requirements"][0].items()
    assert predicate["validity"]["notAfter"] <= "2099-12-31T23:59:59+00:00"


def test_an_expired_waiver_is_ignored_with_a_warning(defect: Path, tmp_path: Path, capsys) -> None:
    file = waivers(tmp_path / "w.yaml", {"requirement": "EV-CREDIT-001", "expires": "2020-01-31"})
    code = main(["certify", str(defect), "--profile", MINI, "--out", str(tmp_path / "run"), "--waivers", str(file)])
    out = capsys.readouterr().out
    doc = json.loads((tmp_path / "run" / "verdict.json").read_text())
    assert code == 1 and doc["verdict"] == "NOT_CERTIFIED" and statuses(doc)["EV-CREDIT-001"] == "failed"
    assert "waiver expired on 2020-01-31: not applied" in " ".join(out.split())
    assert doc["waivers"]["ignored"][0]["ignored_because"] == "expired on 2020-01-31"


def test_waivers_for_other_products_versions_or_requirements_do_not_apply(defect: Path, tmp_path: Path) -> None:
    file = waivers(tmp_path / "w.yaml", {"requirement": "EV-CREDIT-001", "version": "0.9.0"},
                   {"requirement": "EV-CREDIT-001", "product": "another-product"},
                   {"requirement": "NAT-CREDIT-006"})
    doc = certify(defect, MINI, extra_args=[f"--sandbox-waivers={file}"])
    assert statuses(doc)["EV-CREDIT-001"] == "failed" and doc["verdict"] == "NOT_CERTIFIED"
    reasons = [w["ignored_because"] for w in doc["waivers"]["ignored"]]
    assert reasons == ["for version 0.9.0, not 1.0.0-defect", "for product another-product, not credit-generic-reason",
                       "profile evidence-mini has no requirement NAT-CREDIT-006"]


def test_a_waiver_on_a_passing_requirement_changes_nothing(tmp_path: Path) -> None:
    file = waivers(tmp_path / "w.yaml", {"requirement": "EV-CREDIT-002", "product": "rural-microloan",
                                         "version": "1.0.0"})
    doc = certify(ROOT / "products" / "rural-microloan", MINI, extra_args=[f"--sandbox-waivers={file}"])
    assert doc["verdict"] == "CERTIFIED" and set(statuses(doc).values()) == {"passed"}


@pytest.mark.parametrize("entry,needle", [
    ({"requirement": "EV-CREDIT-003"}, "waivers[0] (EV-CREDIT-003): requirement: profile evidence-mini does not "
                                       "mark EV-CREDIT-003 waivable"),
    ({"requirement": "EV-CREDIT-001", "approver": ""}, "waivers[0].approver: String should have at least 1"),
    ({"requirement": "EV-CREDIT-001", "expires": "next year"}, "waivers[0].expires: Input should be a valid date"),
    ({"requirement": "ev-1"}, "waivers[0].requirement: String should match pattern"),
    ({"requirement": "EV-CREDIT-001", "approved_by": "x"}, "waivers[0].approved_by: unknown field"),
])
def test_bad_waiver_files_are_one_line_exit_2(defect: Path, tmp_path: Path, capsys, entry, needle) -> None:
    file = waivers(tmp_path / "w.yaml", entry)
    code = main(["certify", str(defect), "--profile", MINI, "--waivers", str(file), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and needle in err and str(file) in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_a_missing_or_malformed_waivers_file_is_exit_2(defect: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "bad.yaml").write_text("waivers: [unclosed")
    for file, needle in ((tmp_path / "none.yaml", "waivers file not found"), (tmp_path / "bad.yaml", "not valid YAML")):
        code = main(["certify", str(defect), "--profile", MINI, "--waivers", str(file)])
        err = capsys.readouterr().err
        assert code == 2 and needle in err and "Traceback" not in err
