"""Helpers of the container parity tests (tests/test_docker_products*.py): the same selection certified
in-process and in a container."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runs import SharedRun, restricted

from harness.api import certify


def both(shared_run: SharedRun, product: Path | str, profile: str, only: list[str], *,
         complete: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """The in-process run (the session's shared one: the same run other test files inspect; with ``complete``
    the profile's complete run, restricted to ``only``) and a docker run of ``only``."""
    if complete:
        inprocess = restricted(shared_run(product, profile)[0], only)
    else:
        inprocess = shared_run(product, profile, only=only)[0]
    docker = certify(product, profile, runner="docker", only=only)
    assert inprocess["runner"]["name"] == "inprocess" and docker["runner"]["name"] == "docker"
    assert docker["runner"]["run_options"]["network_mode"] == "none"
    assert docker["product"]["digest"].startswith("sha256:") and docker["runner"]["image"]["id"].startswith("sha256:")
    return inprocess, docker


def requirement(doc: dict[str, Any], req_id: str) -> dict[str, Any]:
    return next(r for r in doc["requirements"] if r["id"] == req_id)
