"""The command line: exit codes 0/1/2 and one clear line (file, field, fix) for every bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REFERENCE_CREDIT, ROOT

from harness.cli import main


def manifest(tmp_path: Path, text: str) -> str:
    folder = tmp_path / "product"
    folder.mkdir(exist_ok=True)
    (folder / "product.yaml").write_text(text, encoding="utf-8")
    return str(folder)


GOOD_MANIFEST = (REFERENCE_CREDIT / "product.yaml").read_text(encoding="utf-8").replace("sources: [\".\"]", "")

BAD_ARGS = [
    (["certify", str(REFERENCE_CREDIT), "--profile", "chongqin"], "did you mean 'chongqing'"),
    (["certify", str(REFERENCE_CREDIT), "--profile", "chongqing", "--runner", "vm"], "invalid choice: 'vm'"),
    (["certify", str(REFERENCE_CREDIT), "--profile", "chongqing", "--seed", "-3"], "--seed: must be a non-negative"),
    (["certify", str(REFERENCE_CREDIT), "--profile", "chongqing", "--seed", "abc"], "--seed: must be a non-negative"),
    (["certify", str(REFERENCE_CREDIT)], "the following arguments are required: --profile"),
    (["certify", "products/nope", "--profile", "chongqing"], "products/nope: product folder not found"),
    (["certfy"], "invalid choice: 'certfy'"),
    (["certify", str(REFERENCE_CREDIT), "--profile", "missing/file.yaml"], "missing/file.yaml: profile file not found"),
]


@pytest.mark.parametrize(("argv", "expected"), BAD_ARGS, ids=[" ".join(a[0][:1] + a[0][2:]) for a in BAD_ARGS])
def test_bad_arguments_exit_2_with_one_line(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    code = run_cli(argv)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert expected in err and len(err.splitlines()) == 1, err


BAD_MANIFESTS = [
    ("lender_type: rural_commercial_bank", "lender_type: shadow_bank", "product.yaml: lender_type: Input should be"),
    ("  credit: {contract: \"1\",", "  credit: {contract: \"9\",", "capabilities.credit.contract"),
    ("  credit: {contract: \"1\",", "  lending: {contract: \"1\",", "capabilities.lending.[key]"),
    ("operations: [decide_batch]", "operations: [decide_fast]", "capabilities.credit.operations: decide_fast"),
    ("  app: rural_microloan.api:create_app", "  app: rural_microloan.api", "inprocess.app: String should match"),
    ("id: rural-microloan\n", "", "product.yaml: id: required field is missing"),
    ("vendor: Sandbox reference products\n", "vendor: x\ncolour: red\n", "colour: unknown field"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD_MANIFESTS, ids=[b[1][:20] for b in BAD_MANIFESTS])
def test_bad_manifest_exit_2_with_one_line(tmp_path: Path, old: str, new: str, expected: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert old in GOOD_MANIFEST
    product = manifest(tmp_path, GOOD_MANIFEST.replace(old, new))
    code = main(["certify", product, "--profile", "chongqing"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and expected in err and len(err.splitlines()) == 1, err


def test_bad_profile_through_the_cli_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("schema_version: 1\nid: p\nversion: '1'\ntitle: t\nregion: r\nhypothesis: {max_examples: 0}\n")
    assert main(["certify", str(REFERENCE_CREDIT), "--profile", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "p.yaml: hypothesis.max_examples: Input should be greater than or equal to 1" in err


def test_no_traceback_from_a_real_process_on_bad_input() -> None:
    proc = subprocess.run([sys.executable, "-m", "harness.cli", "certify", "products/x", "--profile", "chongqing"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_certify_defect_exits_1_and_writes_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    quick = "tests/profiles/quick.yaml"  # relative on purpose: users type relative paths
    code = main(["certify", "tests/defects/credit-purpose-gap", "--profile", quick, "--out", str(out)])
    verdict = json.loads((out / "verdict.json").read_text())
    assert code == 1 and verdict["verdict"] == "NOT_CERTIFIED"
    assert {r["id"]: r["status"] for r in verdict["requirements"]}["NAT-CREDIT-004"] == "failed"
    assert (out / "junit.xml").is_file() and any((out / "allure-results").glob("*-result.json"))
    for key in ("profile", "product", "runner", "seed", "requirements"):
        assert key in verdict
    assert set(verdict["profile"]) >= {"id", "version", "digest"} and set(verdict["product"]) >= {"id", "version",
                                                                                                "digest"}


def test_profiles_command_lists_requirements(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles", "chongqing"]) == 0
    assert "CQ-CREDIT-001" in capsys.readouterr().out


def run_cli(argv: list[str]) -> int | str | None:
    """main() returns its exit code; argparse errors exit through SystemExit: both give the code."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def test_version_and_every_argument_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from harness import __version__
    from harness.cli import build_parser

    assert run_cli(["--version"]) == 0 and capsys.readouterr().out.strip() == f"sandbox {__version__}"
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    missing = [f"{name} {action.option_strings or action.dest}" for name, command in commands.items()
               for action in command._actions if not action.help]
    assert missing == [] and {"certify", "report", "sign", "verify", "campaign"} <= set(commands)
    assert run_cli(["report", "--help"]) == 0
    text = capsys.readouterr().out
    assert "exit codes:" in text and "4    INCOMPLETE" in text and "--certificate CERT" in text
