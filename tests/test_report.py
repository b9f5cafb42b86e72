"""`sandbox report`: the Allure HTML report opened in real headless chromium, the summary, and history.

Needs the tools from scripts/allure-install.sh (Allure command line + playwright-core + Debian chromium).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import product_copy

from harness.api import certify
from harness.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = str(ROOT / "tests" / "profiles" / "evidence-mini.yaml")
OPEN_REPORT = ROOT / "tools" / "open-report.mjs"

@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("report")
    product = product_copy(ROOT / "tests" / "defects" / "credit-generic-reason", base / "generic-reason")
    doc = certify(product, MINI, out=base / "bundle", allure=True)
    assert doc["verdict"] == "NOT_CERTIFIED"
    return base / "bundle"


def open_in_chromium(index: Path, screenshot: Path, test_name: str) -> dict:
    done = subprocess.run(["node", str(OPEN_REPORT), str(index), str(screenshot), test_name], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout))


def test_allure_report_opens_in_headless_chromium_with_stories_statuses_and_attachments(bundle, tmp_path) -> None:
    out = tmp_path / "report"
    assert main(["report", str(bundle.with_name("bundle.tar.gz")), "--out", str(out)]) == 0
    screenshot = tmp_path / "allure-behaviors.png"
    seen = open_in_chromium(out / "allure" / "index.html", screenshot, "EV-CREDIT-001")
    print(f"screenshot of the Allure report: {screenshot}")
    assert screenshot.stat().st_size > 10_000
    assert "Self-test (evidence-mini test.1)" in seen["groups"] and "credit" in seen["groups"]  # epic, feature
    stories = [g for g in seen["groups"] if g.startswith("EV-CREDIT-")]
    assert [s.split()[0] for s in stories] == ["EV-CREDIT-001", "EV-CREDIT-002", "EV-CREDIT-003"]
    status = {leaf["name"].split()[0]: leaf["status"] for leaf in seen["leaves"]}
    assert "status_failed" in status["EV-CREDIT-001"]
    assert "status_passed" in status["EV-CREDIT-002"] and "status_passed" in status["EV-CREDIT-003"]
    assert seen["opened"]["title"].startswith("EV-CREDIT-001 [MUST]")
    assert {"counterexample", "decision", "declared"} <= set(seen["opened"]["attachments"])
    assert "GENERAL_POLICY" in seen["opened"]["text"]


def test_summary_page_and_bundle_untouched(bundle, tmp_path) -> None:
    before = (bundle / "MANIFEST.sha256").read_text()
    out = tmp_path / "report"
    assert main(["report", str(bundle), "--out", str(out)]) == 0
    page = (out / "summary.html").read_text()
    assert "NOT CERTIFIED" in page and 'id="EV-CREDIT-001"' in page and "GENERAL_POLICY" in page
    assert page.count('class="status status-passed"') == 2 and 'href="allure/index.html"' in page
    assert (bundle / "MANIFEST.sha256").read_text() == before and not (bundle / "allure-results" / "history").exists()


def test_allure_history_survives_reruns_of_the_same_product(tmp_path) -> None:
    out = tmp_path / "report"
    ids = []
    for run in range(2):
        bundle = tmp_path / f"run{run}"
        certify(ROOT / "products" / "rural-microloan", MINI, out=bundle, allure=True, seed=run + 1)
        results = (bundle / "allure-results").glob("*-result.json")
        ids.append(sorted(json.loads(p.read_text())["historyId"] for p in results))
        assert main(["report", str(bundle), "--out", str(out)]) == 0
    assert ids[0] == ids[1]  # stable history IDs although the seed changed
    trend = json.loads((out / "allure" / "widgets" / "history-trend.json").read_text())
    assert [t["buildOrder"] for t in trend] == [2, 1]
    history = json.loads((out / "allure" / "history" / "history.json").read_text())
    assert len(history) == 3 and all(len(h["items"]) == 2 for h in history.values())


def test_report_bad_input_is_exit_2(tmp_path, capsys) -> None:
    assert main(["report", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "no such bundle folder" in err and "Traceback" not in err


def test_tools_are_installed_by_the_project_script() -> None:
    assert shutil.which("chromium") and (ROOT / "tools" / "node_modules" / ".bin" / "allure").exists()
