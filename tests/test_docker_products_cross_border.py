"""The cross-border reference product and representative seeded defects in a container: the same statuses
as in-process (see tests/test_docker_products.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from containers import both, requirement
from runs import SharedRun

from harness.api import selected
from harness.profiles import load_profile

pytestmark = pytest.mark.container
ROOT = Path(__file__).resolve().parent.parent
DEFECTS = ROOT / "tests" / "defects"
GUANGZHOU_QUICK = str(ROOT / "tests" / "profiles" / "guangzhou-quick.yaml")
XB = [r.id for r in load_profile(GUANGZHOU_QUICK).requirements if r.capability == "cross_border"]


# -- cross-border payments (Guangzhou) ----------------------------------------------------------------
def test_reference_cross_border_same_statuses_in_a_container(shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, ROOT / "products" / "xborder-payments", GUANGZHOU_QUICK, XB)
    assert selected(docker) == selected(inprocess) == dict.fromkeys(XB, "passed")
    assert docker["verdict"] == "CERTIFIED"  # the selection holds every in-scope requirement


@pytest.mark.parametrize(("defect", "req_id", "says"), [
    ("xb-cvv-in-log", "GZ-XB-010", "product log"),  # in a container: read from the container's log
    ("xb-jpy-two-decimals", "GZ-XB-001", "JPY"),
    ("xb-report-strict-threshold", "GZ-XB-006", "report"),
    ("xb-screening-fixed-order", "GZ-XB-009", "recall"),
])
def test_cross_border_defect_same_failure_in_a_container(defect: str, req_id: str, says: str,
                                                         shared_run: SharedRun) -> None:
    inprocess, docker = both(shared_run, DEFECTS / defect, GUANGZHOU_QUICK, [req_id])
    assert selected(inprocess) == selected(docker) == {req_id: "failed"}
    assert says in requirement(docker, req_id)["message"]
    assert docker["verdict"] == "NOT_CERTIFIED"
