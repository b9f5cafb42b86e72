"""In-process runner: imports the product's WSGI app and calls it without sockets.

A development run (``grade: development``): the product's code runs inside the harness process, where it
could patch the harness or rewrite the run's results, so its runs are never signed (certify with
``--runner docker``). While the product is loaded no bytecode is written, so a run leaves no
``__pycache__`` in the product folder (which the product digest covers).

A product that hangs is reported as a timeout (a failed requirement) instead of hanging the harness: on the
main thread a one-shot ``SIGALRM`` timer is armed around each request (two system calls; a thread hand-off
per request cost 0.3–3 ms, most of a request, and grew with machine load), and its handler unwinds the
product's call; requests from other threads (or when something else owns ``SIGALRM``) run on daemon worker
threads and are abandoned after the timeout (``harness/runners/timeouts.py``). An exception inside the app
becomes a 500. Checks call the app through :class:`~harness.runners.wire.WsgiWire` (no httpx on the way);
:meth:`InProcessRunner.transport` is the same app behind httpx, for replays and tests.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from harness.errors import ProductStartError, RunnerError
from harness.runners.base import Runner
from harness.runners.guard import Guard, GuardedTransport
from harness.runners.timeouts import TimeoutTransport
from harness.runners.wire import WsgiWire
from harness.wire import Listener, ProductHttp

if TYPE_CHECKING:
    from harness.manifests import Manifest
    from harness.profiles import Profile

class _LogCapture(logging.Handler):
    """Keeps what the product logs through the standard ``logging`` module (its in-process log)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    HARNESS_SIDE = ("httpx", "httpcore", "hypothesis", "harness", "docker", "urllib3", "asyncio", "matplotlib")

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in self.HARNESS_SIDE:
            return
        if len(self.lines) < 100_000:
            self.lines.append(self.format(record))


def _server_errors(app: Any) -> Any:
    """What any WSGI server does: an exception escaping the app becomes a 500 (logged), not a harness crash."""
    log = logging.getLogger("sandbox.product")

    def guarded(environ: dict[str, Any], start_response: Any) -> Any:
        try:
            return list(app(environ, start_response))
        except Exception:
            log.exception("unhandled exception in the product serving %s %s", environ.get("REQUEST_METHOD"),
                          environ.get("PATH_INFO"))
            body = b'{"title": "Internal Server Error", "status": 500}'
            start_response("500 Internal Server Error", [("Content-Type", "application/json"),
                                                         ("Content-Length", str(len(body)))], sys.exc_info())
            return [body]

    return guarded


class InProcessRunner(Runner):
    name = "inprocess"

    def __init__(self) -> None:
        self._log = _LogCapture()
        self._app: Any = None
        self._data = ""
        self._timeout = 5.0
        self._added_paths: list[str] = []
        self._modules_before: set[str] = set()
        self._wrote_bytecode: bool | None = None
        self._guard = Guard()

    def start(self, manifest: Manifest, profile: Profile) -> None:
        if manifest.inprocess is None:
            raise RunnerError(
                f"{manifest.root / 'product.yaml'}: inprocess: this product declares no in-process app; "
                "run it with --runner docker"
            )
        self._timeout = profile.hypothesis.request_timeout_s
        self._guard = Guard.from_limits(profile.container_limits)
        root = logging.getLogger()
        root.addHandler(self._log)
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)
        self._modules_before = set(sys.modules)
        self._wrote_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # restored by stop()
        for path in reversed(manifest.source_paths()):
            sys.path.insert(0, str(path))
            self._added_paths.append(str(path))
        module_name, _, factory_name = manifest.inprocess.app.partition(":")
        self._data = tempfile.mkdtemp(prefix=f"sandbox-{manifest.id}-")
        previous = os.environ.get("SANDBOX_DATA_DIR")
        os.environ["SANDBOX_DATA_DIR"] = self._data
        try:
            module = importlib.import_module(module_name)
            factory = getattr(module, factory_name)
            self._app = factory()
        except (Exception, SystemExit) as exc:  # sys.exit in the product's factory is the product's fault too
            self.stop()
            raise ProductStartError(
                f"product failed to start in-process ({manifest.inprocess.app}): {type(exc).__name__}: {exc}"
            ) from exc
        finally:
            if previous is None:
                os.environ.pop("SANDBOX_DATA_DIR", None)
            else:
                os.environ["SANDBOX_DATA_DIR"] = previous

    def transport(self) -> httpx.BaseTransport:
        if self._app is None:
            raise RunnerError("in-process runner: transport() called before start()")
        inner = httpx.WSGITransport(app=_server_errors(self._app), raise_app_exceptions=False)
        return GuardedTransport(TimeoutTransport(inner, self._timeout), self._guard)

    def wire(self, timeout: float, listener: Listener | None = None) -> ProductHttp:
        if self._app is None:
            raise RunnerError("in-process runner: wire() called before start()")
        return WsgiWire(_server_errors(self._app), timeout, self._guard, listener)

    def begin_requirement(self, requirement: str) -> None:
        self._guard.begin(requirement)

    def stop(self) -> None:
        """Forget the app and unload the product's modules, so the next product starts clean."""
        self._app = None
        logging.getLogger().removeHandler(self._log)
        if self._data:
            shutil.rmtree(self._data, ignore_errors=True)
            self._data = ""
        for path in self._added_paths:
            if path in sys.path:
                sys.path.remove(path)
        prefixes = tuple(self._added_paths)
        for name in set(sys.modules) - self._modules_before:
            file = getattr(sys.modules.get(name), "__file__", None) or ""
            if prefixes and file.startswith(prefixes):
                del sys.modules[name]
        self._added_paths = []
        if self._wrote_bytecode is not None:
            sys.dont_write_bytecode, self._wrote_bytecode = self._wrote_bytecode, None

    def data_dir(self) -> Path:
        return Path(self._data)

    def logs(self) -> str:
        return "\n".join(self._log.lines)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "grade": self.grade, "request_timeout_s": self._timeout}
