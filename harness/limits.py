"""What a cut response means, for whoever reads it: the runners' :class:`~harness.runners.guard.GuardedTransport`
marks a body it cut (longer than ``container_limits.max_response_kb``, or still arriving when the
requirement's wall time ran out) in ``response.extensions``; the contract clients turn the mark into a failed
requirement. Kept apart from the runners so that contracts and checks never import a runner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.errors import ProductError

if TYPE_CHECKING:
    from harness.wire import Reply

CUT = "sandbox_cut"


class WallTimeExceeded(ProductError):
    """The requirement used up its wall time (``container_limits.requirement_wall_s``)."""


def cut(response: Reply) -> dict[str, Any] | None:
    """Why the body was cut ({"reason": "size" | "wall time", "limit": ...}), or None when it came whole."""
    value = response.extensions.get(CUT)
    return dict(value) if isinstance(value, dict) else None


def check_cut(response: Reply, what: str, evidence: dict[str, Any]) -> None:
    """A cut body fails the requirement: longer than container_limits.max_response_kb, or still arriving
    when the requirement's wall time ran out."""
    why = cut(response)
    if why is None:
        return
    if why["reason"] == "wall time":
        error = WallTimeExceeded(f"{what} was still sending its body when the requirement's wall time of "
                                 f"{why['limit']:g} s (container_limits.requirement_wall_s) ran out",
                                 evidence=evidence)
        raise error
    raise ProductError(f"{what} answered a body longer than {why['limit'] // 1024} KiB (container_limits."
                       "max_response_kb); the harness read no further", evidence=evidence)
