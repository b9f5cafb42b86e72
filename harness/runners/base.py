"""The runner interface: small on purpose (cf. Hypothesis ``ExampleDatabase``).

Three abstract methods (``start``, ``transport``, ``stop``); the optional ones have defaults that say
"this runner cannot do that", which make the requirement ``not_evaluated`` with the reason.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.errors import RunnerLimitation

if TYPE_CHECKING:
    import httpx

    from harness.manifests import Manifest
    from harness.profiles import Profile


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
