"""`sandbox report`: Allure results rewritten for a reader, the one-file and folder reports, the one-page summary
(citations, counterexamples, not-evaluated list, signature block, PDF), history, set-up on demand, bad input.

The page as a browser shows it is tested in tests/test_report_browser.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import MINI, REFERENCE_CREDIT, ROOT, product_copy

from harness.api import certify
from harness.cli import main
from harness.documents.verdict import VerdictDocument
from harness.evidence.bundle import open_bundle
from harness.reporting import tools
from harness.reporting.allure_results import rewrite_results
from harness.reporting.summary import SignatureBlock, render_summary


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("report")
    product = product_copy(ROOT / "tests" / "defects" / "credit-generic-reason", base / "generic-reason")
    doc = certify(product, MINI, out=base / "bundle", allure=True)
    assert doc["verdict"] == "NOT_CERTIFIED"
    return base / "bundle"


@pytest.fixture(scope="module")
def report(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report-out") / "report"
    assert main(["report", str(bundle.with_name("bundle.tar.gz")), "--out", str(out)]) == 0
    return out


def _results(folder: Path) -> dict[str, dict]:
    found = {}
    for path in folder.glob("*-result.json"):
        data = json.loads(path.read_text())
        found[next(lab["value"] for lab in data["labels"] if lab["name"] == "requirement")] = data
    return found


def test_bundle_results_link_only_public_urls_and_list_each_requirement_once(bundle: Path) -> None:
    results = _results(bundle / "allure-results")
    assert sorted(results) == ["EV-CREDIT-001", "EV-CREDIT-002", "EV-CREDIT-003"]
    for data in results.values():
        assert not any(lab["name"] == "story" for lab in data["labels"])  # the story listed each one twice
        assert data["links"] and all(link["url"].startswith("https://") or link["url"].startswith("http://")
                                     for link in data["links"])
    text = "".join(p.read_text() for p in (bundle / "allure-results").iterdir())
    assert "file://" not in text and "CertificationFailure" not in text and "prop(" not in text
    assert results["EV-CREDIT-001"]["statusDetails"]["message"].startswith("Product failure: reason codes")


def test_rewritten_results_speak_plainly_with_steps_and_one_entry_per_requirement(bundle: Path, tmp_path: Path
                                                                                 ) -> None:
    staged = tmp_path / "staged"
    shutil.copytree(bundle / "allure-results", staged)
    first = next(staged.glob("*-result.json"))
    shutil.copyfile(first, staged / "0-duplicate-result.json")  # a rerun of the same requirement
    missing = next(p for p in staged.glob("*-result.json") if "EV-CREDIT-003" in p.read_text() and p != first)
    missing.unlink()  # a requirement the run never reached
    with open_bundle(bundle) as b:
        assert rewrite_results(staged, b.verdict(), b.replays(), "results/x.tar.gz") == 3
    results = _results(staged)
    assert sorted(results) == ["EV-CREDIT-001", "EV-CREDIT-002", "EV-CREDIT-003"]
    assert len(list(staged.glob("*-result.json"))) == 3
    failed = results["EV-CREDIT-001"]
    assert failed["status"] == "failed"
    assert failed["statusDetails"]["message"].startswith("Product failure: reason codes ['GENERAL_POLICY']")
    text = json.dumps(failed)
    assert "CertificationFailure" not in text and "prop(" not in text and "trace" not in failed["statusDetails"]
    assert [s["name"].split(":")[0] for s in failed["steps"]] == [
        "Generate inputs", "Send the shrunk counterexample to the product (1 HTTP exchange(s))", "Check", "Reproduce"]
    exchange = failed["steps"][1]["steps"][0]
    assert exchange["name"] == "POST /v1/decisions → HTTP 200"
    names = {a["name"]: a["source"] for a in exchange["attachments"]}
    curl = (staged / names["curl 1"]).read_text()
    assert curl.startswith('curl -sS -i -X POST "$PRODUCT_URL"/v1/decisions') and "GENERAL_POLICY" not in curl
    how = (staged / failed["steps"][3]["attachments"][0]["source"]).read_text()
    assert "./sandbox replay results/x.tar.gz --product products/credit-generic-reason --requirement EV-CREDIT-001" \
        in how
    counter = failed["steps"][2]["attachments"][0]
    assert counter["name"] == "counterexample (shrunk)" and json.loads((staged / counter["source"]).read_text())["app"]
    assert "https://github.com/LawRefBook/Laws" in failed["descriptionHtml"]
    assert results["EV-CREDIT-003"]["status"] == "passed" and results["EV-CREDIT-003"]["links"]


def test_report_writes_one_file_report_folder_report_summary_and_pdf(bundle: Path, report: Path) -> None:
    single = (report / "report.html").read_text()
    assert "d('data/test-cases/" in single and 'id="sandbox-verdict"' in single  # data inline: opens from disk
    assert "googletagmanager" not in single and "<title>NOT CERTIFIED: credit-generic-reason" in single
    assert (bundle.parent / "bundle.report.html").read_text() == single  # kept next to the bundle
    folder = (report / "allure" / "index.html").read_text()
    assert 'id="sandbox-verdict"' in folder and (report / "allure" / "data" / "test-cases").is_dir()
    categories = json.loads((report / "allure" / "data" / "categories.json").read_text())
    assert [c["name"].split(" (")[0] for c in categories["children"]] == ["Product failure"]
    assert (report / "summary.pdf").read_bytes().startswith(b"%PDF")


def test_summary_has_citations_counterexample_replay_and_an_unsignable_block(report: Path, bundle: Path) -> None:
    before = (bundle / "MANIFEST.sha256").read_text()
    page = (report / "summary.html").read_text()
    assert "NOT CERTIFIED" in page and 'id="EV-CREDIT-001"' in page and 'href="report.html"' in page
    assert page.count('class="status status-passed"') == 2
    assert '<a href="https://www.codeofchina.com/standard/JRT0185-2020.html"' in page and "JR/T 0185-2020" in page
    assert "file://" not in page and "retrieved 2026-12-01" in page
    assert 'id="failure-EV-CREDIT-001"' in page and "&quot;annual_incomes&quot;" in page  # the counterexample JSON
    assert "sandbox replay" in page and "This run cannot be signed: the verdict is NOT_CERTIFIED" in page
    assert "Not signable: the verdict is NOT_CERTIFIED" in page
    assert (bundle / "MANIFEST.sha256").read_text() == before and not (bundle / "allure-results" / "history").exists()


def _verdict(bundle: Path, **changes: object) -> VerdictDocument:
    with open_bundle(bundle) as b:
        return b.verdict().model_copy(update=changes)


def test_summary_signature_block_and_not_evaluated_list(bundle: Path) -> None:
    base = _verdict(bundle)
    signable = base.model_copy(update={"verdict": "CERTIFIED", "reasons": [],
                                       "runner": {"name": "docker", "grade": "certification"}})
    unsigned = render_summary(signable)
    assert "Not signed yet" in unsigned and "cannot be signed" not in unsigned
    block = SignatureBlock(signer="Li Wei", role="certification officer", key_id="ab12" * 16, signed_on="2026-12-01",
                           valid_until="2029-12-01", certificate="x.cert.json", certificate_digest="sha256:" + "c" * 64,
                           bundle_digest="sha256:" + "d" * 64, matches_bundle=True)
    signed = render_summary(signable, signature=block)
    for text in ("Li Wei", "certification officer", "ab12" * 16, "2026-12-01", "sha256:" + "c" * 64):
        assert text in signed
    changes = {"EV-CREDIT-002": {"status": "not_evaluated", "message": "needs --runner docker"},
               "EV-CREDIT-003": {"status": "not_applicable", "rule": "scope: capability 'credit' is outside"}}
    results = [r.model_copy(update=changes.get(r.id, {})) for r in base.requirements]
    incomplete = base.model_copy(update={"verdict": "INCOMPLETE", "requirements": results,
                                         "next_step": "./sandbox certify … --runner docker"})
    page = render_summary(incomplete)
    assert '<ul class="not-evaluated"><li><b>EV-CREDIT-002</b>' in page and "needs --runner docker" in page
    assert "This run cannot be signed: the verdict is INCOMPLETE. To complete it: ./sandbox certify" in page
    assert ('<h2>Not applicable (1)</h2><ul class="not-applicable"><li>EV-CREDIT-003 — <i>rule:</i> scope: '
            "capability &#x27;credit&#x27; is outside</li>") in page and 'id="EV-CREDIT-003"' not in page


def test_allure_history_survives_reruns_of_the_same_product(tmp_path: Path) -> None:
    out = tmp_path / "report"
    ids = []
    for run in range(2):
        bundle = tmp_path / f"run{run}"
        certify(REFERENCE_CREDIT, MINI, out=bundle, allure=True, seed=run + 1)
        results = (bundle / "allure-results").glob("*-result.json")
        ids.append(sorted(json.loads(p.read_text())["historyId"] for p in results))
        assert main(["report", str(bundle), "--out", str(out), "--no-pdf"]) == 0
    assert ids[0] == ids[1]  # stable history IDs although the seed changed
    trend = json.loads((out / "allure" / "widgets" / "history-trend.json").read_text())
    assert [t["buildOrder"] for t in trend] == [2, 1]
    history = json.loads((out / "allure" / "history" / "history.json").read_text())
    assert len(history) == 3 and all(len(h["items"]) == 2 for h in history.values())


def test_report_sets_up_allure_itself_with_progress_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    real = tools.allure_command()
    script = tmp_path / "allure-install.sh"  # stands in for scripts/allure-install.sh on a fresh clone
    script.write_text(f"echo 'allure-install: installing allure-commandline' >&2\nmkdir -p {tmp_path}/tools/"
                      f"node_modules/.bin\nln -s {real} {tmp_path}/tools/node_modules/.bin/allure\n")
    monkeypatch.setattr(tools, "TOOLS", tmp_path / "tools")
    monkeypatch.setattr(tools, "INSTALL_SCRIPT", script)
    monkeypatch.delenv("SANDBOX_ALLURE", raising=False)
    monkeypatch.setattr(tools.shutil, "which", lambda name: None)
    assert tools.allure_command() == str(tmp_path / "tools" / "node_modules" / ".bin" / "allure")
    err = capsys.readouterr().err
    assert "not installed yet; setting it up with allure-install.sh" in err and "installing allure-commandline" in err
    script.write_text("echo 'allure-install: ERROR: npm (Node 20) is needed' >&2\nexit 1\n")
    monkeypatch.setattr(tools, "TOOLS", tmp_path / "empty")
    assert main(["report", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("sandbox: error: allure:") and "Traceback" not in err


def test_report_bad_input_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], bundle: Path) -> None:
    assert main(["report", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "no such bundle folder" in err and "Traceback" not in err
    bad = tmp_path / "bad.cert.json"
    bad.write_text("{}")
    assert main(["report", str(bundle), "--out", str(tmp_path / "r"), "--certificate", str(bad), "--no-pdf"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("sandbox: error: ") and "bad.cert.json" in err[-1] and "not a DSSE envelope" in err[-1]


def test_tools_are_installed_by_the_project_script() -> None:
    assert shutil.which("chromium") and (ROOT / "tools" / "node_modules" / ".bin" / "allure").exists()


FAIRNESS = {"quantity": "selection-rate ratio across gender (female / male)", "estimate": 0.62,
            "interval": [0.0, 0.71], "confidence": "0.99", "rule": "fail when the upper bound is below 0.8",
            "threshold": "0.8", "false_failure_rate": "0.01", "method": "Katz log", "n": {"female": 300},
            "comparisons": 2, "all": [
                {"quantity": "selection-rate ratio across gender (female / male)", "estimate": 0.62,
                 "interval": [0.0, 0.71], "threshold": "0.8", "violated": True},
                {"quantity": "p99 latency (ms)", "estimate": 41.0, "interval": [38.5, 44.0], "threshold": "50",
                 "violated": False}]}


def test_sampled_decisions_are_charted_in_the_summary_and_in_allure(bundle: Path, tmp_path: Path) -> None:
    base = _verdict(bundle)
    results = [r.model_copy(update={"statistics": FAIRNESS}) if r.id == "EV-CREDIT-001" else r
               for r in base.requirements]
    page = render_summary(base.model_copy(update={"requirements": results}))
    chart = page[page.index('id="chart-EV-CREDIT-001"'):]
    assert '<svg class="chart interval-chart"' in chart and "selection-rate ratio across gender" in chart
    assert "0.62 [0.0, 0.71] vs 0.8" in chart and "41.0 [38.5, 44.0] vs 50" in chart
    assert 'stroke="#cf222e"' in chart and 'stroke="#2da44e"' in chart  # the violated one red, the other green
    staged = tmp_path / "staged"
    shutil.copytree(bundle / "allure-results", staged)
    with open_bundle(bundle) as b:
        rewrite_results(staged, base.model_copy(update={"requirements": results}), b.replays(), "x")
    check = _results(staged)["EV-CREDIT-001"]["steps"][2]
    svg = next(a for a in check["attachments"] if a["type"] == "image/svg+xml")
    assert (staged / svg["source"]).read_text().startswith("<svg") and svg["name"] == "chart"


def test_campaign_summary_with_the_matrix_as_a_heat_map(tmp_path: Path) -> None:
    out = tmp_path / "campaign"
    defect = product_copy(ROOT / "tests" / "defects" / "credit-generic-reason", tmp_path / "credit-generic-reason")
    assert main(["campaign", "--profiles", MINI, "--products", str(REFERENCE_CREDIT), str(defect), "--out", str(out),
                 "--workers", "2"]) == 1
    assert main(["report", str(out), "--out", str(tmp_path / "report")]) == 0
    page = (tmp_path / "report" / "summary.html").read_text()
    assert "2 pair(s): 1 CERTIFIED, 1 NOT CERTIFIED" in page and 'id="pair-rural-microloan__evidence-mini"' in page
    assert "EV-CREDIT-001 [MUST] failed" in page  # why the defect is not certified
    heat = page[page.index('<svg class="chart heat-map"'):]
    assert "<title>EV-CREDIT-001 × credit-generic-reason × evidence-mini: failed</title>" in heat
    assert "<title>EV-CREDIT-001 × rural-microloan × evidence-mini: passed</title>" in heat
    assert (tmp_path / "report" / "summary.pdf").read_bytes().startswith(b"%PDF")


def test_every_status_maps_to_a_category_in_plain_words(bundle: Path, tmp_path: Path) -> None:
    from harness.reporting.allure import CATEGORIES

    base = _verdict(bundle)
    waiver = {"outcome": "failed", "approver": "Sandbox office", "expires": "2027-06-30", "reason": "fix in 2.1"}
    changes = {"EV-CREDIT-001": {"status": "waived", "waiver": waiver},
               "EV-CREDIT-002": {"status": "broken", "message": "RunnerError: the product did not start"},
               "EV-CREDIT-003": {"status": "not_applicable", "rule": "lender_type rural_commercial_bank is exempt"}}
    results = [r.model_copy(update=changes[r.id]) for r in base.requirements]
    staged = tmp_path / "staged"
    shutil.copytree(bundle / "allure-results", staged)
    with open_bundle(bundle) as b:
        rewrite_results(staged, base.model_copy(update={"requirements": results}), b.replays(), "x")
    found = {k: (v["status"], v["statusDetails"]["message"]) for k, v in _results(staged).items()}
    assert found["EV-CREDIT-001"][0] == "unknown" and found["EV-CREDIT-001"][1].startswith(
        "Waived: the product failed (reason codes") and "Sandbox office until 2027-06-30" in found["EV-CREDIT-001"][1]
    assert found["EV-CREDIT-002"] == ("broken", "Harness or environment error (not the product's fault): "
                                                "RunnerError: the product did not start")
    assert found["EV-CREDIT-003"] == ("skipped", "Not applicable: lender_type rural_commercial_bank is exempt")
    names = [c["name"].split(" (")[0] for c in CATEGORIES]
    assert names == ["Product failure", "Harness or environment error", "Not evaluated", "Not applicable", "Waived"]


def test_no_browser_means_no_pdf_said_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "summary.html"
    page.write_text("<p>x</p>")
    monkeypatch.setattr(tools, "chromium_command", lambda: None)
    assert tools.print_pdf(page, tmp_path / "summary.pdf") is None and not (tmp_path / "summary.pdf").exists()
    assert "no chromium here, so summary.pdf is not written" in capsys.readouterr().err
