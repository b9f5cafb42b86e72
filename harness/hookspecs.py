"""Hooks the plugin calls, so front ends (the CLI's console) can follow a run."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.hookspec
def pytest_sandbox_run_started(run: Any) -> None:
    """The run is prepared (profile, product, runner, seed known)."""


@pytest.hookspec
def pytest_sandbox_progress(message: str) -> None:
    """A step of the run outside requirements (build, start, stop)."""


@pytest.hookspec
def pytest_sandbox_requirement_done(result: Any) -> None:
    """A requirement finished with a RequirementResult."""


@pytest.hookspec
def pytest_sandbox_run_finished(run: Any) -> None:
    """All requirements finished; the runner is stopped."""
