"""The runner interface: small on purpose (cf. Hypothesis ``ExampleDatabase``).

Three abstract methods (``start``, ``transport``, ``stop``); the optional ones have defaults that say
"this runner cannot do that", which make the requirement ``not_evaluated`` with the reason.
"""

from __future__ import annotations

import atexit
import os
import signal
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.errors import RunnerLimitation

if TYPE_CHECKING:
    import httpx

    from harness.manifests import Manifest
    from harness.profiles import Profile
    from harness.wire import Listener, ProductHttp


class Runner(ABC):
    """Starts a product, hands out an HTTP transport to it, and always cleans up in :meth:`stop`."""

    name: str = "abstract"
    grade: str = "development"  # "certification": its runs may be signed (the product cannot reach the harness)

    def progress(self, message: str) -> None:
        """Report a step (build, start, ready); the session wires this to the console."""
        return None

    @abstractmethod
    def start(self, manifest: Manifest, profile: Profile) -> None:
        """Make the product ready to serve. Raise ProductStartError if the product fails to start,
        RunnerError if the environment does."""

    @abstractmethod
    def transport(self) -> httpx.BaseTransport:
        """An httpx transport that reaches the running product."""

    def wire(self, timeout: float, listener: Listener | None = None) -> ProductHttp:
        """The HTTP client checks use (``ctx.http``): requests over :meth:`transport`, each answer passed to
        ``listener``. The in-process runner calls the app directly instead."""
        from harness.runners.wire import HttpxWire

        return HttpxWire(self.transport(), timeout, listener)

    @abstractmethod
    def stop(self) -> None:
        """Release everything :meth:`start` made. Must be safe to call twice or after a failed start."""

    # Optional abilities ---------------------------------------------------------------------------
    def restart(self, *, kill: bool = True) -> float:
        """Kill (SIGKILL when ``kill``) and restart the product on the same data; return seconds until ready."""
        raise RunnerLimitation(f"the {self.name} runner cannot restart the product; use --runner docker")

    def data_dir(self) -> Path:
        """Host path of the product's data folder (``SANDBOX_DATA_DIR`` inside the product)."""
        raise RunnerLimitation(f"the {self.name} runner exposes no product data folder")

    def data_files(self) -> list[str]:
        """Relative paths of the regular files in the data folder (links the product planted are skipped)."""
        from harness.runners.productfs import ProductFolder

        return ProductFolder(self.data_dir()).files()

    def read_data(self, relative: str) -> bytes:
        """One data file's content, read without following any link (ProductError when one is in the way)."""
        from harness.runners.productfs import ProductFolder

        return ProductFolder(self.data_dir()).read(relative)

    def write_data(self, relative: str, content: bytes) -> None:
        """Replace an existing data file's content (a tamper test), without following any link."""
        from harness.runners.productfs import ProductFolder

        ProductFolder(self.data_dir()).write(relative, content)

    def prepare(self, manifest: Manifest) -> None:
        """Do once, before workers start their own products, what each worker's :meth:`start` would repeat
        (the docker runner builds the product image here, so N workers share one build)."""
        return None

    def begin_requirement(self, requirement: str) -> None:
        """A requirement starts: its wall time (``container_limits.requirement_wall_s``) runs from here."""
        return None

    def logs(self) -> str:
        """The product's log output so far."""
        return ""

    def egress_attempts(self) -> list[dict[str, Any]]:
        """Outbound network connection attempts the product made (recorded by a probe)."""
        raise RunnerLimitation(f"the {self.name} runner neither cuts nor watches the product's network; "
                            "use --runner docker")

    def describe(self) -> dict[str, Any]:
        """Facts about the run for verdict.json (runner options, limits, image)."""
        return {"name": self.name, "grade": self.grade}

    def product_digest(self, manifest: Manifest) -> str:
        """The digest of exactly what was tested (source tree in-process, image in a container)."""
        return manifest.source_digest()


# -- every live run is stopped on every way out (SIGKILL leaves leftovers for `sandbox engine cleanup`) ---
_LIVE: set[Runner] = set()
_LOCK = threading.Lock()
_previous: dict[int, Any] = {}


def register(runner: Runner) -> None:
    with _LOCK:
        first = not _LIVE
        _LIVE.add(runner)
    if first and threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if sig not in _previous:
                _previous[sig] = signal.signal(sig, _on_signal)


def unregister(runner: Runner) -> None:
    with _LOCK:
        _LIVE.discard(runner)


def stop_all() -> None:
    with _LOCK:
        live = list(_LIVE)
    for runner in live:
        runner.stop()


def _on_signal(signum: int, frame: Any) -> None:
    stop_all()
    previous = _previous.get(signum)
    if callable(previous):
        previous(signum, frame)
    else:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


atexit.register(stop_all)
