"""Benchmark: what one credit decision costs at each layer of the in-process request stack.

The same generated applications are decided (1) by the product's engine in memory, (2) by its WSGI app
called directly, (3) through httpx's WSGI transport, (4) plus the in-process runner's hang protection (a
SIGALRM timer per request; the earlier worker thread per request is printed beside it), (5) plus the
run's guard (body and wall-time limits), and (6) through the contract client (JSON encoding, status and
response-schema checks); (7) what checks use now: the contract client over
:class:`~harness.runners.wire.WsgiWire`, the app called directly under the same timer and guard. Prints
microseconds per request and each layer's share (best of --rounds passes), so a change to the stack shows
where the time went.

    .venv/bin/python benchmarks/bench_request_stack.py [--requests N] [--rounds R]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "products" / "rural-microloan"))


def applications(count: int) -> list[dict[str, Any]]:
    from hypothesis import HealthCheck, given, seed, settings

    from harness.contracts.base import to_json
    from harness.strategies.credit import contract_dates, mixed_applications

    drawn: list[dict[str, Any]] = []

    @seed(1)
    @settings(max_examples=count, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(mixed_applications(dates=contract_dates()))
    def draw(app: dict[str, Any]) -> None:
        drawn.append(to_json(app))

    draw()
    return drawn


def per_request(call: Callable[[dict[str, Any]], Any], apps: list[dict[str, Any]], rounds: int) -> float:
    """Microseconds per request: the best of ``rounds`` passes (the least disturbed by other load)."""
    for app in apps[:20]:  # warm-up
        call(app)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for app in apps:
            call(app)
        best = min(best, time.perf_counter() - started)
    return best / len(apps) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    import httpx
    from rural_microloan.api import create_app
    from rural_microloan.engine import CreditEngine

    from harness.contracts.credit import CreditClient
    from harness.runners.guard import Guard, GuardedTransport
    from harness.runners.inprocess import _server_errors
    from harness.runners.timeouts import TimeoutTransport
    from harness.runners.wire import WsgiWire

    apps = applications(args.requests)
    engine, app = CreditEngine(), create_app()

    def direct(body: dict[str, Any]) -> Any:  # the WSGI call itself, no HTTP client
        raw = json.dumps(body).encode()
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/v1/decisions", "CONTENT_LENGTH": str(len(raw)),
                   "wsgi.input": io.BytesIO(raw)}
        return json.loads(b"".join(app(environ, lambda status, headers, exc=None: None)))

    wsgi = httpx.WSGITransport(app=app)
    layers: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
        ("engine in memory", engine.decide),
        ("+ WSGI app (JSON in and out)", direct),
    ]
    plain = httpx.Client(transport=wsgi, base_url="http://product")
    threaded = httpx.Client(transport=TimeoutTransport(wsgi, 5.0, alarm=False), base_url="http://product")
    timed = httpx.Client(transport=TimeoutTransport(wsgi, 5.0), base_url="http://product")
    guarded = httpx.Client(transport=GuardedTransport(TimeoutTransport(wsgi, 5.0), Guard()),
                           base_url="http://product")
    client = CreditClient(guarded)
    lean = CreditClient(WsgiWire(_server_errors(app), 5.0, Guard()))
    layers += [
        ("+ httpx client and WSGI transport", lambda a: plain.post("/v1/decisions", json=a).json()),
        ("  hang protection by worker thread (old)", lambda a: threaded.post("/v1/decisions", json=a).json()),
        ("+ hang protection by request timer", lambda a: timed.post("/v1/decisions", json=a).json()),
        ("+ guard (body, wall-time limits)", lambda a: guarded.post("/v1/decisions", json=a).json()),
        ("+ contract client (schema checks)", client.decide),
        ("what runs now: WsgiWire + contract client", lean.decide),
    ]
    print(f"One credit decision through each layer of the in-process stack ({len(apps)} generated applications)")
    previous = 0.0
    for name, call in layers:
        micros = per_request(call, apps, args.rounds)
        print(f"  {name:38} {micros:8.0f} µs/request  (+{micros - previous:6.0f})")
        previous = micros
    print(f"  requests/s through the whole stack: {1e6 / previous:.0f}")


if __name__ == "__main__":
    main()
