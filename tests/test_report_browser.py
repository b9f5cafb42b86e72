"""The one-file Allure report opened from disk in real headless chromium, as a person's browser opens a file they
were sent: no server, no --allow-file-access-from-files (the browser's own command line is checked). Asserts on the
page's text: the verdict first, one entry per requirement, a failure in plain words with its exchanges, and the
citation. A screenshot of the first screen is kept in each report's output folder (first-screen.png).

Needs the tools of scripts/allure-install.sh (Allure command line, playwright-core, Debian chromium).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINI, REFERENCE_CREDIT, ROOT, product_copy

from harness.api import certify
from harness.cli import main
from harness.reporting.tools import open_from_disk


def mini_with_resilience(folder: Path) -> Path:
    """evidence-mini plus the national kill -9 MUST, which in-process cannot evaluate: the run is INCOMPLETE."""
    profile = yaml.safe_load(Path(MINI).read_text(encoding="utf-8"))
    national = yaml.safe_load((ROOT / "sandbox_profiles" / "national.yaml").read_text(encoding="utf-8"))
    profile["id"] = "evidence-mini-res"
    profile["requirements"].append(next(r for r in national["requirements"] if r["id"] == "NAT-RES-001"))
    path = folder / "evidence-mini-res.yaml"
    path.write_text(yaml.safe_dump(profile, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One in-process run per verdict, each with its report (the summary PDF is tested in test_report.py)."""
    base = tmp_path_factory.mktemp("browser")
    defect = product_copy(ROOT / "tests" / "defects" / "credit-generic-reason", base / "generic-reason")
    runs = {"CERTIFIED": (REFERENCE_CREDIT, MINI), "INCOMPLETE": (REFERENCE_CREDIT, str(mini_with_resilience(base))),
            "NOT_CERTIFIED": (defect, MINI)}
    found = {}
    for verdict, (product, profile) in runs.items():
        doc = certify(product, profile, out=base / verdict / "bundle", allure=True)
        assert doc["verdict"] == verdict, doc["reasons"]
        out = base / verdict / "report"
        extra = ["--screenshot"] if verdict == "CERTIFIED" else []
        assert main(["report", str(base / verdict / "bundle"), "--out", str(out), "--no-pdf", *extra]) == 0
        found[verdict] = out
    return found


def _check_first_screen(seen: dict[str, Any], verdict: str, requirements: list[str]) -> None:
    assert "allow-file-access-from-files" not in seen["commandLine"] and "--headless" in seen["commandLine"]
    assert seen["errors"] == []
    header = seen["header"]
    assert header.startswith(verdict.replace("_", " "))  # the verdict is the first thing on the page
    assert re.search(r"Product\n.*sha256:[0-9a-f]{64}", header) and re.search(r"Profile\n.*sha256:[0-9a-f]{64}", header)
    assert "seed 20201, as of " in header and "Why\n" in header
    assert not re.search(r"\d+(\.\d+)?\s?%", seen["overview"])  # no pass percentage
    assert [leaf["name"].split()[0] for leaf in seen["leaves"]] == requirements  # one entry per requirement
    assert not any(g.split()[0] in requirements for g in seen["groups"])  # …and no story repeating it


def test_not_certified_report_from_disk_shows_the_failure_a_person_can_reproduce(reports: dict[str, Path]) -> None:
    out = reports["NOT_CERTIFIED"]
    seen = open_from_disk(out / "report.html", out / "first-screen.png", "EV-CREDIT-001", out / "failure.png")
    print(f"screenshots: {out / 'first-screen.png'} {out / 'failure.png'}")
    _check_first_screen(seen, "NOT_CERTIFIED", ["EV-CREDIT-001", "EV-CREDIT-002", "EV-CREDIT-003"])
    assert "EV-CREDIT-001 [MUST] failed: reason codes ['GENERAL_POLICY']" in seen["header"]
    assert "This run cannot be signed: the verdict is NOT_CERTIFIED" in seen["header"]
    assert "Product failure (the product violates the requirement)" in seen["overview"]
    assert "status_failed" in seen["leaves"][0]["status"] and "status_passed" in seen["leaves"][1]["status"]
    opened = seen["opened"]
    assert opened["title"] == "EV-CREDIT-001 [MUST] Every decline carries 1–4 specific, declared reason codes"
    text = opened["text"]
    assert "Product failure: reason codes ['GENERAL_POLICY'] are not in the product's declared list" in text
    assert "CertificationFailure" not in text and "prop(" not in text and "Traceback" not in text
    assert "POST /v1/decisions → HTTP 200" in opened["steps"] and "Reproduce: sandbox replay" in opened["steps"]
    assert {"counterexample (shrunk)", "request 1: POST /v1/decisions", "response 1: HTTP 200", "curl 1",
            "how to reproduce"} <= set(opened["attachments"])
    assert 'curl -sS -i -X POST "$PRODUCT_URL"/v1/decisions' in text and "--requirement EV-CREDIT-001" in text
    assert '"annual_incomes"' in text  # the counterexample's JSON, shown
    assert "Personal Information Protection Law of the PRC, Presidential Order No. 91, Art. 24(3)" in text
    assert "https://github.com/LawRefBook/Laws" in opened["links"]
    assert not any(str(link).startswith("file:") for link in opened["links"])


def test_incomplete_report_from_disk_says_what_was_not_evaluated(reports: dict[str, Path]) -> None:
    out = reports["INCOMPLETE"]
    seen = open_from_disk(out / "report.html", out / "first-screen.png", "NAT-RES-001", out / "not-evaluated.png")
    print(f"screenshots: {out / 'first-screen.png'} {out / 'not-evaluated.png'}")
    _check_first_screen(seen, "INCOMPLETE", ["EV-CREDIT-001", "EV-CREDIT-002", "EV-CREDIT-003", "NAT-RES-001"])
    assert "NAT-RES-001 [MUST] not_evaluated" in seen["header"] and "--runner docker" in seen["header"]
    assert "This run cannot be signed: the verdict is INCOMPLETE. To complete it:" in seen["header"]
    assert "Not evaluated (a MUST not evaluated makes the run INCOMPLETE)" in seen["overview"]
    assert "Not evaluated: " in seen["opened"]["text"] and "The certification is INCOMPLETE" in seen["opened"]["text"]
    assert "JR/T 0168-2020" in seen["opened"]["text"]


def test_certified_report_from_disk(reports: dict[str, Path]) -> None:
    out = reports["CERTIFIED"]
    seen = open_from_disk(out / "report.html", out / "first-screen.png", "EV-CREDIT-002", out / "passed.png")
    print(f"screenshots: {out / 'first-screen.png'} {out / 'passed.png'}")
    _check_first_screen(seen, "CERTIFIED", ["EV-CREDIT-001", "EV-CREDIT-002", "EV-CREDIT-003"])
    assert "every in-scope requirement was met" in seen["header"]
    assert "cannot be signed: it is a development run (in-process)" in seen["header"]  # in-process: not signable
    assert all("status_passed" in leaf["status"] for leaf in seen["leaves"])
    assert "Check: the requirement held on every example" in seen["opened"]["steps"]
    assert "https://www.codeofchina.com/standard/JRT0185-2020.html" in seen["opened"]["links"]
    assert (out / "first-screen.png").read_bytes().startswith(b"\x89PNG")
    assert (out / "screenshot.png").read_bytes().startswith(b"\x89PNG")  # sandbox report --screenshot kept one


@pytest.mark.container
def test_signed_docker_run_report_and_summary(docker_signed: dict[str, Path], tmp_path: Path) -> None:
    """A signable run: `sign` wrote the summary with its signature block; the report is CERTIFIED, no banner."""
    signed = (docker_signed["base"] / "cert.summary.html").read_text(encoding="utf-8")
    assert "Li Wei" in signed and "certification officer" in signed and "Key ID" in signed
    assert re.search(r"Certificate digest</dt><dd><code>sha256:[0-9a-f]{64}", signed)
    out = tmp_path / "report"
    assert main(["report", str(docker_signed["bundle"]), "--out", str(out), "--no-pdf",
                 "--certificate", str(docker_signed["cert"])]) == 0
    assert "Li Wei" in (out / "summary.html").read_text(encoding="utf-8")
    seen = open_from_disk(out / "report.html", out / "first-screen.png")
    print(f"screenshot: {out / 'first-screen.png'}")
    _check_first_screen(seen, "CERTIFIED", ["EV-CREDIT-001", "EV-CREDIT-002", "EV-CREDIT-003"])
    assert "cannot be signed" not in seen["header"] and "docker (certification grade)" in seen["header"]
