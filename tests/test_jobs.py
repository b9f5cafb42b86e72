"""Parallel requirements (harness/jobs.py): the same document for every number of jobs, the same as one
process gives (timestamps, durations and the jobs count aside), and clear usage errors."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import ROOT
from test_reproducible import AS_OF, stable

from harness.api import certify
from harness.cli import main

DEFECT = ROOT / "tests/defects/credit-microloan-max-year"
REQS = ["CQ-CREDIT-001", "NAT-CREDIT-003", "NAT-CREDIT-005", "NAT-CREDIT-008"]


def without_jobs(doc: dict[str, Any]) -> dict[str, Any]:
    doc = stable(doc)
    doc["runner"] = {k: v for k, v in doc["runner"].items() if k != "jobs"}
    return doc


def test_jobs_give_the_document_one_process_gives(tmp_path: Any) -> None:
    one = certify(DEFECT, "chongqing", only=REQS, seed=5, as_of=AS_OF, out=tmp_path / "one")
    docs = {n: certify(DEFECT, "chongqing", only=REQS, seed=5, as_of=AS_OF, jobs=n, out=tmp_path / f"jobs{n}")
            for n in (1, 2)}
    assert docs[2]["runner"]["jobs"] == 2 and "jobs" not in one["runner"]
    assert without_jobs(docs[1]) == without_jobs(docs[2]) == without_jobs(one)
    failed = [r for r in docs[2]["requirements"] if r["status"] == "failed"]
    assert [r["id"] for r in failed] == ["CQ-CREDIT-001"] and failed[0]["counterexample"]
    # the failing example's requests come back from the worker: the same replay file as one process writes
    names = {p.relative_to(tmp_path / "one").as_posix() for p in (tmp_path / "one").rglob("replay*")}
    assert names and names == {p.relative_to(tmp_path / "jobs2").as_posix()
                               for p in (tmp_path / "jobs2").rglob("replay*")}


@pytest.mark.parametrize(("args", "message"), [
    (["--jobs", "0"], "at least 1"),
    (["--jobs", "two"], "whole number"),
])
def test_bad_jobs_are_usage_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["certify", str(DEFECT), "--profile", "chongqing", *args])
    except SystemExit as exc:  # argparse's own usage error
        code = int(exc.code or 0)
    assert code == 2
    assert message in capsys.readouterr().err


def test_lanes_without_an_engine_report_what_one_process_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the lanes share (the engine, the image) is prepared once: when that fails, every requirement
    reports the error, as in a one-process run, never an internal error of pytest."""
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    docs = {n: certify(DEFECT, "chongqing", runner="docker", only=REQS, seed=5, as_of=AS_OF, jobs=n)
            for n in (None, 2)}
    for doc in docs.values():
        chosen = [r for r in doc["requirements"] if r["id"] in REQS]
        assert {r["status"] for r in chosen} == {"broken"}
        assert all("Docker engine is not reachable" in r["message"] for r in chosen)
        assert doc["verdict"] == "INCOMPLETE"
    assert [r["message"] for r in docs[None]["requirements"]] == [r["message"] for r in docs[2]["requirements"]]
