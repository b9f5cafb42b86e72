"""Bounds on what a product can make the harness do: read at most ``max_response_kb`` of any response body,
never decompress one, and spend at most ``requirement_wall_s`` on one requirement.

Both runners put :class:`GuardedTransport` between the HTTP client and the product. A body longer than the
limit is cut there (the connection is dropped, the rest is never read) and the response is marked
``extensions["sandbox_cut"]``; the contract client turns that mark into a failed requirement. Once a
requirement's wall time is spent, its next request raises :class:`WallTimeExceeded` (a product failure with
the figures as evidence), and a body still arriving is cut. The harness's memory thus stays bounded whatever
the product sends.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx

from harness.limits import CUT, WallTimeExceeded, check_cut, cut

if TYPE_CHECKING:
    from harness.profiles import ContainerLimits

__all__ = ["CUT", "Guard", "GuardedTransport", "WallTimeExceeded", "check_cut", "cut"]



class Guard:
    """The limits of one run, and the wall-clock deadline of the requirement in progress."""

    def __init__(self, max_response_bytes: int = 4096 * 1024, wall_s: float | None = None) -> None:
        self.max_response_bytes = max_response_bytes
        self.wall_s = wall_s
        self.requirement = ""
        self.deadline: float | None = None

    @classmethod
    def from_limits(cls, limits: ContainerLimits) -> Guard:
        return cls(limits.max_response_kb * 1024, limits.requirement_wall_s)

    def begin(self, requirement: str) -> None:
        self.requirement = requirement
        self.deadline = None if self.wall_s is None else time.monotonic() + self.wall_s

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def exceeded(self, what: str) -> WallTimeExceeded:
        return WallTimeExceeded(
            f"{self.requirement or 'the requirement'} used up its wall time of {self.wall_s:g} s "
            f"(container_limits.requirement_wall_s) {what}",
            evidence={"wall time": {"requirement": self.requirement, "limit_s": self.wall_s}})

    def check(self, request: httpx.Request) -> None:
        if self.expired():
            raise self.exceeded(f"before {request.method} {request.url.path}")


class _LimitedStream(httpx.SyncByteStream):
    """Yields at most ``guard.max_response_bytes``, and nothing once the requirement's wall time is spent (a
    product trickling a body byte by byte never holds the harness); the cut is marked on the response."""

    def __init__(self, inner: httpx.SyncByteStream, guard: Guard) -> None:
        self._inner, self._guard = inner, guard
        self.mark: dict[str, Any] = {}

    def __iter__(self) -> Iterator[bytes]:
        left = self._guard.max_response_bytes
        try:
            for chunk in self._inner:
                if self._guard.expired():
                    self.mark[CUT] = {"reason": "wall time", "limit": self._guard.wall_s}
                    return
                if len(chunk) > left:
                    self.mark[CUT] = {"reason": "size", "limit": self._guard.max_response_bytes}
                    if left:
                        yield chunk[:left]
                    return
                left -= len(chunk)
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        self._inner.close()


class GuardedTransport(httpx.BaseTransport):
    """Wraps a runner's transport with the run's :class:`Guard`."""

    def __init__(self, inner: httpx.BaseTransport, guard: Guard) -> None:
        self._inner, self._guard = inner, guard

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._guard.check(request)
        request.headers["accept-encoding"] = "identity"  # a compressed body would be a bomb past any limit
        response = self._inner.handle_request(request)
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() != "content-encoding"]
        stream = response.stream
        assert isinstance(stream, httpx.SyncByteStream)
        limited = _LimitedStream(stream, self._guard)
        guarded = httpx.Response(response.status_code, headers=headers, extensions=response.extensions,
                                 stream=limited)
        limited.mark = guarded.extensions  # httpx copies the dict: mark the one the client will see
        return guarded

    def close(self) -> None:
        self._inner.close()
