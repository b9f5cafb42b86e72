"""The pytest plugin, driven through pytester: options group, header, one item per requirement, outputs."""

from __future__ import annotations

import json

import pytest
from conftest import QUICK, ROOT

from harness.checks.registry import registered
from harness.profiles import load_profile
from harness.session import CertificationRun

pytest_plugins = ["pytester"]
# The plugin imports the harness only when asked to certify; pytester's in-process runs restore sys.modules
# afterwards, and numpy cannot be imported twice in one process: load it all here, once, beforehand.
assert CertificationRun and registered()


def test_plain_pytest_run_reports_header_items_and_verdict(pytester: pytest.Pytester) -> None:
    out = pytester.path / "out"
    result = pytester.runpytest_inprocess(
        f"--sandbox-profile={QUICK}", f"--sandbox-product={ROOT / 'tests/defects/credit-purpose-gap'}",
        "--sandbox-seed=7", f"--sandbox-out={out}", f"--alluredir={out / 'allure'}", "-k", "NAT-CREDIT-00",
        "-p", "no:cacheprovider",
    )
    result.stdout.fnmatch_lines([
        "sandbox: profile quick test (sha256:*), product credit-purpose-gap 1.0.0-defect, runner inprocess, "
        "seed 7, as of *",
        "*NAT-CREDIT-004*failed*",
        "*sandbox verdict: NOT_CERTIFIED (seed 7, as of *)*",
    ])
    assert result.ret == 1
    verdict = json.loads((out / "verdict.json").read_text())
    assert verdict["seed"] == 7 and verdict["verdict"] == "NOT_CERTIFIED"
    assert verdict["selection"]["selected"] == [f"NAT-CREDIT-00{i}" for i in range(1, 10)]  # -k: partial
    labels = [json.loads(p.read_text())["labels"] for p in (out / "allure").glob("*-result.json")]
    assert any({"name": "requirement", "value": "NAT-CREDIT-004"} in group for group in labels)
    assert not any(label["name"] == "story" for group in labels for label in group)  # one entry per requirement
    results = {r["name"]: r["status"] for r in map(json.loads, map(_read, (out / "allure").glob("*-result.json")))}
    assert results["NAT-CREDIT-004 [MUST] Loans for prohibited purposes are always declined"] == "failed"


def _read(path: object) -> str:
    return path.read_text()  # type: ignore[attr-defined]


def test_options_live_in_one_prefixed_group(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_inprocess("--help")
    result.stdout.fnmatch_lines(["fintech sandbox certification:", "*--sandbox-profile*", "*--sandbox-product*",
                                 "*--sandbox-runner*", "*--sandbox-seed*"])


def test_one_option_without_the_other_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_inprocess("--sandbox-profile=chongqing")
    result.stderr.fnmatch_lines(["*--sandbox-profile and --sandbox-product go together*"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_without_sandbox_options_the_plugin_stays_out_of_the_way(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_ok():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=1)


def test_a_k_selection_is_incomplete_with_the_selection_recorded(pytester: pytest.Pytester) -> None:
    out = pytester.path / "out"
    result = pytester.runpytest_inprocess(
        f"--sandbox-profile={QUICK}", f"--sandbox-product={ROOT / 'products/rural-microloan'}",
        f"--sandbox-out={out}", "-k", "NAT-CREDIT-003", "--strict-markers", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*sandbox verdict: INCOMPLETE*", "*because: NAT-CREDIT-001 [[]MUST[]] not_evaluated*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # never a green pytest run for an incomplete certification
    verdict = json.loads((out / "verdict.json").read_text())
    assert verdict["verdict"] == "INCOMPLETE" and verdict["selection"]["selected"] == ["NAT-CREDIT-003"]
    assert not verdict["selection"]["complete"]
    by_status = {r["id"]: r["status"] for r in verdict["requirements"]}
    assert by_status["NAT-CREDIT-003"] == "passed" and by_status["NAT-CREDIT-001"] == "not_evaluated"
    assert len(by_status) == len(load_profile(QUICK).requirements)  # the whole profile, each exactly once


def test_xdist_is_refused_with_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_inprocess(
        f"--sandbox-profile={QUICK}", f"--sandbox-product={ROOT / 'products/rural-microloan'}", "-n", "2",
        "-p", "no:cacheprovider")
    result.stderr.fnmatch_lines(["*cannot be split across xdist workers; drop -n*"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_user_test_paths_run_beside_the_requirements(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_mine="def test_mine():\n    assert 2 * 2 == 4\n")
    result = pytester.runpytest_inprocess(
        "test_mine.py", f"--sandbox-profile={QUICK}", f"--sandbox-product={ROOT / 'products/rural-microloan'}",
        "-k", "test_mine or NAT-CREDIT-003", "-p", "no:cacheprovider", "--strict-markers")
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] == 2  # the user's test and NAT-CREDIT-003


def test_importing_the_plugin_does_not_import_the_harness() -> None:
    import subprocess
    import sys

    code = ("import sys, harness.pytest_plugin; heavy = ['harness.session', 'harness.checks', 'hypothesis', "
            "'httpx', 'pydantic', 'allure']; print([m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
