"""A product that hangs, answers garbage or invalid HTTP, cannot start, exits in its factory or dies before a
restart is a failed requirement with evidence, never a crashed harness or a broken requirement; nothing already
recorded is lost."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import QUICK, ROOT

from harness.api import certify, selected
from harness.errors import ProductError
from harness.runners.guard import Guard, GuardedTransport, WallTimeExceeded, check_cut, cut

SOME = ["NAT-CREDIT-001", "NAT-CREDIT-004", "NAT-CREDIT-005"]
RES = ["NAT-RES-001", "NAT-RES-002", "NAT-RES-003", "NAT-RES-004"]


def _by_id(doc: dict) -> dict[str, dict]:
    """The requirements this run selected (the others are not_evaluated)."""
    return {r["id"]: r for r in doc["requirements"] if r["id"] in SOME}


def test_hanging_product_fails_with_timeout_and_run_completes() -> None:
    doc = certify(ROOT / "tests/faulty/hang", QUICK, only=SOME)
    results = _by_id(doc)
    assert results["NAT-CREDIT-001"]["status"] == "failed"
    assert "did not answer" in results["NAT-CREDIT-001"]["message"]
    assert results["NAT-CREDIT-005"]["status"] == "passed"  # schedules still answer: recorded, not lost
    assert doc["verdict"] == "NOT_CERTIFIED"


def test_garbage_answers_fail_with_the_exchange_as_evidence(tmp_path) -> None:
    doc = certify(ROOT / "tests/faulty/garbage", QUICK, only=SOME, out=tmp_path)
    results = _by_id(doc)
    assert "not JSON" in results["NAT-CREDIT-004"]["message"]
    assert "breaks the contract" in results["NAT-CREDIT-005"]["message"]
    assert {r["status"] for r in results.values()} == {"failed"}
    assert json.loads((tmp_path / "verdict.json").read_text())["verdict"] == "NOT_CERTIFIED"


def test_product_that_cannot_start_fails_every_requirement_with_the_reason() -> None:
    doc = certify(ROOT / "tests/faulty/crash-on-start", QUICK, only=SOME)
    for result in _by_id(doc).values():
        assert result["status"] == "failed"
        assert "CREDIT_ENGINE_LICENSE_KEY is not set" in result["message"]


def test_product_that_exits_in_its_factory_fails_with_the_reason() -> None:
    doc = certify(ROOT / "tests/faulty/exit-in-factory", QUICK, only=SOME)
    for result in _by_id(doc).values():
        assert result["status"] == "failed"
        assert "SystemExit: licence server unreachable" in result["message"]


@pytest.mark.container
def test_product_that_exits_in_its_factory_in_a_container_fails_with_its_log() -> None:
    doc = certify(ROOT / "tests/faulty/exit-in-factory", QUICK, runner="docker", only=["NAT-RES-003"])
    result = next(r for r in doc["requirements"] if r["id"] == "NAT-RES-003")
    assert result["status"] == "failed"
    assert "stopped during start" in result["message"] and "exited with code 1" in result["message"]


@pytest.mark.container
def test_product_answering_invalid_http_fails_never_broken() -> None:
    doc = certify(ROOT / "tests/faulty/invalid-http", QUICK, runner="docker", only=RES)
    assert selected(doc) == dict.fromkeys(RES, "failed")
    assert all("connection to the product failed" in r["message"] for r in doc["requirements"] if r["id"] in RES)


@pytest.mark.container
def test_product_that_dies_on_its_own_fails_never_broken() -> None:
    """It exits right after acknowledging a booking: the next request, or the restart durability does, finds
    it dead (tests/test_docker_runner.py covers the restart of a dead container on its own)."""
    doc = certify(ROOT / "tests/faulty/dies-after-ack", QUICK, runner="docker", only=["NAT-RES-001", "NAT-RES-002"])
    assert selected(doc) == {"NAT-RES-001": "failed", "NAT-RES-002": "failed"}
    recovery = next(r for r in doc["requirements"] if r["id"] == "NAT-RES-002")
    assert "exited with code 9" in recovery["message"], recovery["message"]


class _Trickle(httpx.SyncByteStream):
    """A body sent a little at a time, for ever (each piece well inside any read timeout)."""

    def __iter__(self) -> Iterator[bytes]:
        while True:
            time.sleep(0.01)
            yield b" " * 10


def _guarded(handler: Any, **limits: Any) -> httpx.Client:
    return httpx.Client(transport=GuardedTransport(httpx.MockTransport(handler), Guard(**limits)),
                        base_url="http://product")


def test_a_body_past_the_size_limit_is_cut_and_fails_the_requirement() -> None:
    big = gzip.compress(b"[" + b"0," * 500_000 + b"0]")  # small on the wire, 1 MB decompressed

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["accept-encoding"] == "identity"
        return httpx.Response(200, headers={"content-encoding": "gzip"}, content=big + b"x" * 70_000)

    with _guarded(handler, max_response_bytes=64 * 1024) as http:
        response = http.get("/v1/bookings")
        assert len(response.content) == 64 * 1024  # never decompressed, never read past the limit
        with pytest.raises(ProductError, match="longer than 64 KiB"):
            check_cut(response, "GET /v1/bookings", {})


def test_a_body_trickled_past_the_wall_time_is_cut_and_fails_the_requirement() -> None:
    guard = Guard(wall_s=0.3)
    http = httpx.Client(transport=GuardedTransport(
        httpx.MockTransport(lambda request: httpx.Response(200, stream=_Trickle())), guard), base_url="http://p")
    guard.begin("NAT-RES-003")
    response = http.get("/v1/bookings")  # returns once the wall time is spent, instead of never
    assert cut(response) == {"reason": "wall time", "limit": 0.3}
    with pytest.raises(WallTimeExceeded, match="still sending its body"):
        check_cut(response, "GET /v1/bookings", {})
    with pytest.raises(WallTimeExceeded, match=r"NAT-RES-003 used up its wall time of 0\.3 s"):
        http.get("/v1/health")
