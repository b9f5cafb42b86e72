"""Serve a WSGI app over HTTP/1.1 on a Unix socket, stdlib only (the container entry point).

    SANDBOX_SOCKET=/run/sandbox/product.sock SANDBOX_APP=xborder_payments.api:create_app \
        python3 -m xborder_payments.serve

``SANDBOX_APP`` (``module:factory``) lets a product built on this one reuse the image recipe. The socket
is made group/world writable so a host user can connect through the mounted folder. SIGTERM stops the
server cleanly; SIGKILL is what the certification centre uses to test durability. The product's
``logging`` records (INFO and above) go to stderr, i.e. the container log the certification centre reads.
"""

from __future__ import annotations

import importlib
import io
import logging
import os
import signal
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any

MAX_BODY = 1 << 20  # bodies above 1 MiB are refused before they are read (413)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sandbox-product"
    app: Any = None

    def address_string(self) -> str:  # a Unix socket has no peer address
        return "unix"

    def log_message(self, format: str, *args: Any) -> None:
        return None  # access logs would drown the product's own log

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            while length > 0:  # drain without keeping it, so the client reads the refusal, not a reset
                length -= len(self.rfile.read(min(length, 1 << 16)) or b"x" * length)
            self._reply("413 Content Too Large", [("Content-Type", "application/problem+json")],
                        b'{"title": "Content Too Large", "status": 413}', close=True)
            return
        body = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        environ = {
            "REQUEST_METHOD": self.command, "PATH_INFO": path, "QUERY_STRING": query,
            "CONTENT_LENGTH": str(length), "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "SERVER_NAME": "product", "SERVER_PORT": "80", "SERVER_PROTOCOL": self.request_version,
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http", "wsgi.multithread": True, "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for key, value in self.headers.items():
            environ["HTTP_" + key.upper().replace("-", "_")] = value
        started: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            started["status"], started["headers"] = status, headers

        try:
            chunks = self.app(environ, start_response)
            payload = b"".join(chunks)
        except Exception as exc:  # the app crashed: a 500, and the traceback in the product log
            print(f"error: {self.command} {path}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            self._reply("500 Internal Server Error", [("Content-Type", "text/plain")], b"internal error")
            return
        headers = [(k, v) for k, v in started["headers"] if k.lower() != "content-length"]
        self._reply(started["status"], headers, payload)

    def _reply(self, status: str, headers: list[tuple[str, str]], payload: bytes, close: bool = False) -> None:
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _serve


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def load_app(spec: str) -> Any:
    module_name, _, factory = spec.partition(":")
    return getattr(importlib.import_module(module_name), factory)()


def main() -> None:
    path = os.environ.get("SANDBOX_SOCKET", "/run/sandbox/product.sock")
    spec = os.environ.get("SANDBOX_APP", "xborder_payments.api:create_app")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _Handler.app = load_app(spec)
    if os.path.exists(path):
        os.unlink(path)
    server = UnixServer(path, _Handler)
    os.chmod(path, 0o777)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    print(f"serving {spec} on {path}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        if os.path.exists(path):
            os.unlink(path)


if __name__ == "__main__":
    main()
