"""Hang protection for in-process products: :func:`call_within` runs the product's code and gives up after
``timeout`` seconds.

On the main thread a one-shot ``SIGALRM`` timer is armed around the call (two system calls; a thread
hand-off per request cost 0.3–3 ms, most of a request, and grew with machine load), and its handler unwinds
the product's call. From other threads (or when something else owns ``SIGALRM``, e.g. a test timeout
plugin) the call runs on a daemon worker thread, abandoned after the timeout.
"""

from __future__ import annotations

import queue
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import httpx

T = TypeVar("T")

__all__ = ["TimeoutTransport", "call_within"]


class _Hung(BaseException):
    """Raised by the request timer inside the product's call (a BaseException, so that a product's
    ``except Exception`` does not swallow it)."""


def _can_alarm() -> bool:
    """A timer can interrupt the product only on the main thread, and only if nobody else has a SIGALRM
    handler installed."""
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None))


class _Workers:
    """Daemon threads for calls that cannot be timed by an alarm; a stuck one is replaced, never joined."""

    def __init__(self, count: int = 4) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._started = 0
        self._count = count

    def _spawn(self) -> None:
        threading.Thread(target=self._work, daemon=True, name="sandbox-product").start()

    def _work(self) -> None:
        while True:
            job, future = self._jobs.get()
            try:
                future.set_result(job())
            except BaseException as exc:  # delivered to the caller, which classifies it
                future.set_exception(exc)

    def run(self, job: Callable[[], T], timeout: float) -> T:
        with self._lock:
            while self._started < self._count:
                self._spawn()
                self._started += 1
        future: Future[T] = Future()
        self._jobs.put((job, future))
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            self._spawn()  # the stuck worker is abandoned; keep capacity for the next call
            raise


_WORKERS = _Workers()


def call_within(job: Callable[[], T], timeout: float, *, alarm: bool = True) -> T:
    """``job()``, or :class:`TimeoutError` after ``timeout`` seconds (``alarm=False``: always on a worker
    thread, the slower way, kept for benchmarks)."""
    if not (alarm and _can_alarm()):
        return _WORKERS.run(job, timeout)
    armed = [True]

    def on_alarm(signum: int, frame: Any) -> None:
        if armed[0]:
            armed[0] = False
            raise _Hung

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, timeout)
            return job()
        finally:
            armed[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    except _Hung:
        raise TimeoutError(f"no answer within {timeout:g} s") from None


class TimeoutTransport(httpx.BaseTransport):
    """An httpx transport whose requests are run by :func:`call_within` (for httpx clients of an in-process
    product: replays, tests)."""

    def __init__(self, inner: httpx.BaseTransport, timeout: float, *, alarm: bool = True) -> None:
        self._inner, self._timeout, self._alarm = inner, timeout, alarm

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()

        def serve() -> httpx.Response:
            response = self._inner.handle_request(request)
            body = response.read()
            return httpx.Response(response.status_code, headers=response.headers, content=body)

        try:
            return call_within(serve, self._timeout, alarm=self._alarm)
        except TimeoutError:
            raise httpx.ReadTimeout(f"no answer within {self._timeout:g} s", request=request) from None

    def close(self) -> None:
        self._inner.close()
