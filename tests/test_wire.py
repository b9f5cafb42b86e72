"""The in-process wire (the app called directly) behaves as the httpx path it replaced: the same environ, the
same answers, the same guard (size cut, wall time), the same hang protection, and a malformed app is a
transport error (a failed requirement), never a harness crash."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from harness.contracts.base import ContractClient
from harness.errors import ProductError
from harness.limits import CUT, WallTimeExceeded
from harness.runners.guard import Guard, GuardedTransport
from harness.runners.inprocess import _server_errors
from harness.runners.timeouts import TimeoutTransport
from harness.runners.wire import HttpxWire, WsgiWire

pytestmark = pytest.mark.unit

SEEN = ("REQUEST_METHOD", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH", "HTTP_ACCEPT_ENCODING")


def echo(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Answers what it was sent, as JSON."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
    seen = {key: environ.get(key, "") for key in SEEN}
    start_response("201 Created", [("Content-Type", "application/json"), ("X-Twice", "a"), ("X-Twice", "b")])
    return [json.dumps({**seen, "body": body}).encode()]


def both(app: Any, guard: Guard | None = None) -> tuple[WsgiWire, HttpxWire]:
    guard = guard or Guard()
    served = _server_errors(app)
    plain = GuardedTransport(TimeoutTransport(httpx.WSGITransport(app=served, raise_app_exceptions=False), 5.0),
                             guard)
    return WsgiWire(served, 5.0, guard), HttpxWire(plain, 5.0)


printable = st.characters(codec="utf-8", exclude_characters="#", exclude_categories=["Cc", "Cs"])
paths = st.lists(st.text(printable, max_size=8), min_size=1, max_size=3).map(lambda parts: "/v1/" + "/".join(parts))


@settings(max_examples=150, deadline=None)
@given(path=paths, body=st.binary(max_size=50), method=st.sampled_from(["GET", "POST", "PUT"]))
@example(path="/v1/.", body=b"", method="GET")  # httpx sends /v1: dot segments are removed (found by this test)
@example(path="/v1/a/../b", body=b"", method="GET")
@example(path="/v1/.well-known", body=b"", method="GET")
def test_the_app_sees_what_httpx_showed_it(path: str, body: bytes, method: str) -> None:
    lean, old = both(echo)
    headers = {"content-type": "application/json"}
    a = lean.request(method, path, content=body, headers=headers)
    b = old.request(method, path, content=body, headers=headers)
    assert (a.status_code, a.json(), a.headers["x-twice"]) == (b.status_code, b.json(), b.headers["x-twice"])
    assert a.json()["HTTP_ACCEPT_ENCODING"] == "identity"


def test_an_exception_in_the_app_is_a_500_on_both_paths() -> None:
    def broken(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise KeyError("amount")

    for wire in both(broken):
        assert wire.request("GET", "/v1/x").status_code == 500


def test_a_body_past_the_limit_is_cut_and_marked() -> None:
    def flood(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"x" * 700, b"y" * 700]

    for wire in both(flood, Guard(max_response_bytes=1000)):
        answer = wire.request("GET", "/v1/x")
        assert len(answer.content) == 1000 and answer.extensions[CUT] == {"reason": "size", "limit": 1000}


def test_spent_wall_time_refuses_the_next_request() -> None:
    guard = Guard(wall_s=0.0)
    guard.begin("NAT-X-001")
    lean, _ = both(echo, guard)
    with pytest.raises(WallTimeExceeded, match="NAT-X-001 used up its wall time"):
        lean.request("GET", "/v1/x")


def test_a_hang_is_a_timeout_on_the_main_thread_and_on_another() -> None:
    def hang(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        threading.Event().wait(60)
        return []

    wire = WsgiWire(hang, 0.2, Guard())
    with pytest.raises(httpx.ReadTimeout):
        wire.request("GET", "/v1/x")
    outcome: list[BaseException] = []

    def send() -> None:
        try:
            wire.request("GET", "/v1/x")
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=send)
    worker.start()
    worker.join(30)
    assert isinstance(outcome[0], httpx.ReadTimeout)


@pytest.mark.parametrize("app_answer", [
    ("not a status", [("Content-Type", "application/json")], [b"{}"]),
    ("200 OK", [("Content-Type", "application/json")], ["a str, not bytes"]),
    ("200 OK", ["not a pair"], [b"{}"]),
    (None, None, [b"{}"]),  # never calls start_response
])
def test_a_malformed_app_answer_is_a_product_error(app_answer: tuple[Any, Any, list[Any]]) -> None:
    status, headers, body = app_answer

    def malformed(environ: dict[str, Any], start_response: Any) -> list[Any]:
        if status is not None:
            start_response(status, headers)
        return body

    class Client(ContractClient):
        contract_name = "credit"

    client = Client(WsgiWire(malformed, 5.0, Guard()))
    with pytest.raises(ProductError, match="connection to the product failed"):
        client.send("GET", "/v1/health")
