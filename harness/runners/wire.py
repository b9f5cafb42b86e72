"""The HTTP clients checks reach a product through (``ctx.http``, :class:`harness.wire.ProductHttp`).

Two implementations, one behaviour:

* :class:`HttpxWire` sends over a runner's httpx transport (the container's socket), through the runner's
  :class:`~harness.runners.guard.GuardedTransport`.
* :class:`WsgiWire` calls an in-process WSGI app directly: the environ a WSGI server would build, the same
  guard (wall time before the request, the size cut and the wall time while the body is read) and the same
  hang protection (:func:`harness.runners.timeouts.call_within`). ``httpx.Client`` with ``WSGITransport``
  cost about 250 µs a request, five times the product's own work; this costs about 15 µs.

Transport failures are httpx's exception types either way (``httpx.TimeoutException`` for a hang,
``httpx.RequestError`` for a dead connection), so callers handle one set.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from io import BytesIO
from typing import Any

import httpx

from harness.limits import CUT
from harness.runners.guard import Guard
from harness.runners.timeouts import call_within
from harness.wire import Answer, Listener

__all__ = ["HttpxWire", "WsgiWire"]


class HttpxWire:
    """Requests over an httpx transport (a container's socket)."""

    def __init__(self, transport: httpx.BaseTransport, timeout: float, listener: Listener | None = None) -> None:
        self._http = httpx.Client(transport=transport, base_url="http://product", timeout=timeout)
        self._listener = listener

    def request(self, method: str, path: str, *, content: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Answer:
        response = self._http.request(method, path, content=content, headers=dict(headers or {}))
        joined: dict[str, str] = {}
        for key, value in response.headers.multi_items():
            key = key.lower()
            joined[key] = f"{joined[key]}, {value}" if key in joined else value
        answer = Answer(response.status_code, joined, response.content, method=method, path=path,
                        sent=content or b"", sent_type=dict(headers or {}).get("content-type", ""),
                        extensions=dict(response.extensions))
        if self._listener is not None:
            self._listener(answer)
        return answer

    def close(self) -> None:
        self._http.close()


_PLAIN_PATH = re.compile(r"[A-Za-z0-9/_.~-]*")
_BASE_ENVIRON = {
    "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.multithread": True, "wsgi.multiprocess": False,
    "wsgi.run_once": False, "SCRIPT_NAME": "", "SERVER_NAME": "product", "SERVER_PORT": "80",
    "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "product", "HTTP_ACCEPT": "*/*",
    "HTTP_ACCEPT_ENCODING": "identity", "HTTP_CONNECTION": "keep-alive", "HTTP_USER_AGENT": "sandbox-harness",
}


def _split(path: str) -> tuple[str, str]:
    """PATH_INFO and QUERY_STRING as a server (and httpx before) sees ``path``: percent-decoded, the query
    apart, non-ASCII percent-encoded on the way."""
    if _PLAIN_PATH.fullmatch(path) and "/." not in path:  # httpx removes "." and ".." segments
        return path, ""
    url = httpx.URL("http://product" + path)
    return url.path, url.query.decode("ascii")


class WsgiWire:
    """Calls a WSGI app in this process, as a server would, under the run's guard and request timeout."""

    def __init__(self, app: Callable[..., Any], timeout: float, guard: Guard, listener: Listener | None = None
                 ) -> None:
        self._app, self._timeout, self._guard, self._listener = app, timeout, guard, listener

    def request(self, method: str, path: str, *, content: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Answer:
        guard = self._guard
        if guard.expired():
            raise guard.exceeded(f"before {method} {path.split('?')[0]}")
        body = content or b""
        path_info, query = _split(path)
        environ = dict(_BASE_ENVIRON)
        environ.update({"REQUEST_METHOD": method, "PATH_INFO": path_info, "QUERY_STRING": query,
                        "wsgi.input": BytesIO(body), "wsgi.errors": sys.stderr})
        if body or method in ("POST", "PUT", "PATCH"):  # as httpx sets Content-Length
            environ["CONTENT_LENGTH"] = str(len(body))
        for key, value in (headers or {}).items():
            name = key.upper().replace("-", "_")
            environ[name if name == "CONTENT_TYPE" else "HTTP_" + name] = value
        seen: list[Any] = []

        def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
                           ) -> Callable[[bytes], None]:
            seen[:] = [status, response_headers]
            return lambda _: None

        def serve() -> list[bytes]:
            return list(self._app(environ, start_response))

        try:
            chunks = call_within(serve, self._timeout)
        except TimeoutError:
            raise httpx.ReadTimeout(f"no answer within {self._timeout:g} s") from None
        status = str(seen[0]).split()[0] if seen and str(seen[0]).split() else ""
        if not status.isdigit() or len(status) != 3:
            raise httpx.RemoteProtocolError(f"the app started no valid response (status line {seen[:1]!r})")
        extensions: dict[str, Any] = {}
        content_bytes = _limited(chunks, guard, extensions)
        joined: dict[str, str] = {}
        try:
            for key, value in seen[1]:
                key, value = str(key).lower(), str(value)
                if key != "content-encoding":  # never decompressed (a bomb past any limit)
                    joined[key] = f"{joined[key]}, {value}" if key in joined else value
        except (TypeError, ValueError):
            raise httpx.RemoteProtocolError("the app's headers are not (name, value) pairs") from None
        answer = Answer(int(status), joined, content_bytes, method=method, path=path, sent=body,
                        sent_type=(headers or {}).get("content-type", ""), extensions=extensions)
        if self._listener is not None:
            self._listener(answer)
        return answer

    def close(self) -> None:
        return None


def _limited(chunks: list[bytes], guard: Guard, mark: dict[str, Any]) -> bytes:
    """At most ``guard.max_response_bytes`` of the body, and nothing more once the wall time is spent (the
    cut is marked, as :class:`~harness.runners.guard.GuardedTransport` marks it)."""
    if any(not isinstance(chunk, bytes | bytearray) for chunk in chunks):
        raise httpx.RemoteProtocolError("the app's body is not bytes (a WSGI app yields bytes)")
    if len(chunks) == 1 and len(chunks[0]) <= guard.max_response_bytes and not guard.expired():
        return bytes(chunks[0])
    left, kept = guard.max_response_bytes, []
    for chunk in chunks:
        if guard.expired():
            mark[CUT] = {"reason": "wall time", "limit": guard.wall_s}
            break
        if len(chunk) > left:
            mark[CUT] = {"reason": "size", "limit": guard.max_response_bytes}
            kept.append(bytes(chunk[:left]))
            break
        left -= len(chunk)
        kept.append(bytes(chunk))
    return b"".join(kept)
