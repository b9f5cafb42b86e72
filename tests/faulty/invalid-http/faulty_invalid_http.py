"""Serves GET /v1/health properly and answers everything else with bytes that are not HTTP."""

from __future__ import annotations

import os

from rural_microloan import serve

GARBAGE = b"HTTP/1.1 2OO OK\r\nContent-Length: many\r\n\x00\x01\r\n\r\n{not http"


class Handler(serve._Handler):
    def _serve(self) -> None:
        if self.path == "/v1/health":
            super()._serve()
            return
        self.wfile.write(GARBAGE)
        self.wfile.flush()
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _serve


if __name__ == "__main__":
    os.environ.setdefault("SANDBOX_APP", "rural_microloan.api:create_app")
    serve._Handler = Handler  # type: ignore[misc]
    serve.main()
