"""Parallel requirements in containers (harness/jobs.py, ``--jobs N --runner docker``): N lanes, each a worker
process with a container of its own, give the document one container gives (what identifies the run aside),
and a defect a lane's container shows is reported as the one-container run reports it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import REFERENCE_CREDIT, ROOT
from runs import SharedRun
from test_reproducible import stable

from harness.api import certify, selected

pytestmark = pytest.mark.container
RUN_SPECIFIC = ("run_id", "jobs")  # the run's own id; the keeper's name below carries it too


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    doc = stable(doc)
    runner = {k: v for k, v in doc["runner"].items() if k not in RUN_SPECIFIC}
    runner["network"] = {k: v for k, v in runner.get("network", {}).items() if k != "namespace"}
    doc["runner"] = runner
    return doc


def test_lanes_give_the_document_one_container_gives(shared_run: SharedRun) -> None:
    one, _ = shared_run(REFERENCE_CREDIT, "chongqing", runner="docker")
    lanes = certify(REFERENCE_CREDIT, "chongqing", runner="docker", jobs=2, as_of=_as_of(one))
    assert lanes["runner"]["jobs"] == 2 and lanes["runner"]["name"] == "docker"
    assert lanes["runner"]["image"] == one["runner"]["image"]  # one build, shared by the lanes
    assert lanes["runner"]["limits"] == one["runner"]["limits"]  # the lanes' containers ran under the profile's
    assert comparable(lanes) == comparable(one)
    assert lanes["verdict"] == "CERTIFIED"


def test_a_defect_in_a_lane_is_reported_as_one_container_reports_it(tmp_path: Path) -> None:
    """The statuses and the kind of finding, not the counts: how many acknowledged bookings this write-behind
    product loses depends on when its flusher last ran before the kill (every 500 ms, its own timing), so the
    count varies between any two runs, one container or lanes alike."""
    defect = ROOT / "tests" / "defects" / "resilience-ack-before-fsync"
    only = ["NAT-RES-001", "NAT-RES-002", "NAT-RES-004"]
    one = certify(defect, "national", runner="docker", only=only, seed=3, out=tmp_path / "one")
    lanes = certify(defect, "national", runner="docker", only=only, seed=3, jobs=2, out=tmp_path / "lanes",
                    as_of=_as_of(one))
    assert selected(lanes) == selected(one) == {"NAT-RES-001": "failed", "NAT-RES-002": "failed",
                                                "NAT-RES-004": "passed"}  # one failure on each lane
    for doc in (one, lanes):
        found = [r for r in doc["requirements"] if r["status"] == "failed"]
        assert all("acknowledged booking(s) lost" in r["message"] for r in found)
    assert lanes["verdict"] == one["verdict"] == "NOT_CERTIFIED"
    assert sorted(p.name for p in (tmp_path / "lanes").rglob("replay*")) == sorted(
        p.name for p in (tmp_path / "one").rglob("replay*"))


def _as_of(doc: dict[str, Any]) -> Any:
    from datetime import date

    return date.fromisoformat(doc["as_of"])
