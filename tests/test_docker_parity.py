"""Same checks, either runner: the reference product and every seeded-defect product that implements
credit get the same per-requirement statuses in-process and in a container (each defect on the
requirements it targets, to keep the slow tier short)."""

from __future__ import annotations

from pathlib import Path

import pytest
from runs import SharedRun

from harness.api import certify, selected
from harness.manifests import load_manifest

pytestmark = pytest.mark.container
ROOT = Path(__file__).resolve().parent.parent


def credit_defects() -> list[Path]:
    found = []
    for folder in sorted((ROOT / "tests" / "defects").glob("credit-*")):
        if not (folder / "product.yaml").is_file():
            continue
        manifest = load_manifest(folder)
        if "credit" in manifest.capabilities and manifest.inprocess and manifest.seeded_defect:
            found.append(folder)
    return found


def targets(folder: Path) -> list[str]:
    manifest = load_manifest(folder)
    assert manifest.seeded_defect is not None
    return list(manifest.seeded_defect.requirements)


# Chongqing's budget with a short shrink time: detection is the same as under the real profile (asserted
# in test_credit_checks), and a container run costs no more than it must.
PROFILE = str(ROOT / "tests" / "profiles" / "chongqing-quick.yaml")


def same_verdict(product: Path, only: list[str]) -> dict[str, str]:
    profile = PROFILE
    inprocess = certify(product, profile, only=only)
    docker = certify(product, profile, runner="docker", only=only)
    assert selected(docker) == selected(inprocess)
    assert docker["verdict"] == inprocess["verdict"]
    assert docker["runner"]["name"] == "docker" and inprocess["runner"]["name"] == "inprocess"
    return selected(docker)


def test_there_are_credit_defects_to_compare() -> None:
    assert len(credit_defects()) >= 1


@pytest.mark.parametrize("defect", credit_defects(), ids=lambda p: p.name)
def test_defect_gets_the_same_statuses_in_process_and_in_a_container(defect: Path) -> None:
    only = targets(defect)
    result = same_verdict(defect, only)
    assert result == dict.fromkeys(only, "failed")  # caught, and caught the same way by both runners


def test_reference_gets_the_same_statuses_in_process_and_in_a_container(shared_run: SharedRun) -> None:
    """The complete Chongqing run, in-process and in a container (the runs tests/test_credit_checks.py and
    tests/test_docker_certificate.py inspect): every requirement the defects target passes in both, and every
    status is the same except the container-only resilience MUSTs, which only the container evaluates."""
    product = ROOT / "products" / "rural-microloan"
    inprocess, docker = shared_run(product, "chongqing")[0], shared_run(product, "chongqing", runner="docker")[0]
    local, remote = selected(inprocess), selected(docker)
    container_only = {r for r, status in local.items() if status == "not_evaluated"}
    assert container_only == {f"NAT-RES-00{i}" for i in range(1, 5)}
    assert {r: remote[r] for r in container_only} == dict.fromkeys(container_only, "passed")
    assert {r: s for r, s in remote.items() if r not in container_only} == \
        {r: s for r, s in local.items() if r not in container_only}
    targeted = {r for d in credit_defects() for r in targets(d)}
    assert {remote[r] for r in targeted} == {"passed"}
    assert docker["verdict"] == "CERTIFIED" and inprocess["verdict"] == "INCOMPLETE"
