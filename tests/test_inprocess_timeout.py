"""The in-process runner's hang protection: a request that never returns is a timeout, whether it was sent
from the main thread (a SIGALRM timer unwinds the product's call) or from another thread (a worker thread
is abandoned), and the timer leaves no trace: the previous SIGALRM handler is back and no alarm is pending.
"""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

import httpx
import pytest

from harness.runners.timeouts import TimeoutTransport

pytestmark = pytest.mark.unit


def hanging_app(swallow: bool) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ["PATH_INFO"] == "/hang":
            while True:
                try:
                    threading.Event().wait(60)
                except Exception:  # a careless product swallows errors; the timer is not an Exception
                    if not swallow:
                        raise
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"ok": true}']

    return app


def client(swallow: bool = True) -> httpx.Client:
    transport = TimeoutTransport(httpx.WSGITransport(app=hanging_app(swallow)), 0.3)
    return httpx.Client(transport=transport, base_url="http://product")


def test_a_hang_on_the_main_thread_is_a_timeout_and_the_timer_leaves_no_trace() -> None:
    before = signal.getsignal(signal.SIGALRM)
    http = client()
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout, match=r"no answer within 0\.3 s"):
        http.get("/hang")
    assert time.monotonic() - started < 30  # unwound, not waited out (the app would wait 60 s per loop)
    assert http.get("/ok").json() == {"ok": True}  # the next request is served normally
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_hang_on_another_thread_is_a_timeout_too() -> None:
    http = client()
    outcome: list[BaseException | dict[str, Any]] = []

    def send() -> None:
        try:
            http.get("/hang")
        except BaseException as exc:
            outcome.append(exc)
        outcome.append(http.get("/ok").json())

    worker = threading.Thread(target=send)
    worker.start()
    worker.join(60)
    assert not worker.is_alive()
    assert isinstance(outcome[0], httpx.ReadTimeout) and outcome[1] == {"ok": True}


def test_someone_else_s_alarm_handler_is_left_alone() -> None:
    calls: list[int] = []

    def theirs(signum: int, frame: Any) -> None:
        calls.append(signum)

    previous = signal.signal(signal.SIGALRM, theirs)
    try:
        with pytest.raises(httpx.ReadTimeout):
            client().get("/hang")  # served by a worker thread: the installed handler is never replaced
        assert signal.getsignal(signal.SIGALRM) is theirs and not calls
    finally:
        signal.signal(signal.SIGALRM, previous)
