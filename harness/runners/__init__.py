"""Runners provide a running product behind an HTTP transport. They know processes and containers,
nothing about finance. ``get_runner`` picks one by name; the docker runner is imported lazily so that
in-process runs need neither Docker nor the docker SDK."""

from __future__ import annotations

from harness.errors import IncorrectUsage
from harness.runners.base import Runner

RUNNERS = ("inprocess", "docker")


def get_runner(name: str) -> Runner:
    if name == "inprocess":
        from harness.runners.inprocess import InProcessRunner

        return InProcessRunner()
    if name == "docker":
        try:
            from harness.runners.docker import DockerRunner  # type: ignore[import-not-found,unused-ignore]
        except ImportError as exc:  # pragma: no cover - depends on installation
            raise IncorrectUsage(f"--runner docker: the docker runner is unavailable ({exc})") from None
        return DockerRunner()  # type: ignore[no-any-return,unused-ignore]
    raise IncorrectUsage(f"--runner: {name!r} is not a runner; choose one of {', '.join(RUNNERS)}")


__all__ = ["RUNNERS", "Runner", "get_runner"]
