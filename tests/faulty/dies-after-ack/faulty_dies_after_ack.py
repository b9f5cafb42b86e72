"""Acknowledges a booking (the answer fully sent), then the process exits with code 9: whatever the harness does
next, a request or a restart, finds the product dead."""

from __future__ import annotations

import os
import sys

from rural_microloan import serve


class Handler(serve._Handler):
    def _serve(self) -> None:
        super()._serve()
        if self.command == "POST" and self.path == "/v1/bookings":
            self.wfile.flush()
            print("fatal: lost the licence lease after a booking; exiting", file=sys.stderr, flush=True)
            os._exit(9)

    do_GET = do_POST = do_PUT = do_DELETE = _serve


if __name__ == "__main__":
    os.environ.setdefault("SANDBOX_APP", "rural_microloan.api:create_app")
    serve._Handler = Handler  # type: ignore[misc]
    serve.main()
