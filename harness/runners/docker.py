"""Docker runner: the submitted artifact, built hermetically and run isolated (cf. testcontainers).

The product serves its contracts over HTTP on a Unix socket in a short host folder mounted at
``/run/sandbox``; its data lives in a host folder mounted at ``/data``. The container runs with no
network, a read-only root, a tmpfs ``/tmp``, every capability dropped, no-new-privileges, a non-root
user and the profile's memory/CPU/PID limits. Everything a run makes carries the label
``org.sandbox.run`` and is removed on success, failure, exception, Ctrl-C and SIGTERM; ``sandbox engine
cleanup`` removes what a killed harness (SIGKILL) left behind.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from harness.errors import ProductStartError, RunnerError
from harness.runners import images
from harness.runners.base import Runner

if TYPE_CHECKING:
    from harness.manifests import Manifest
    from harness.profiles import Profile

LABEL_RUN = "org.sandbox.run"
LABEL_OWNER = "org.sandbox.owner"  # host:pid of the harness process, so cleanup spares live runs
LABEL_DIR = "org.sandbox.dir"
SOCKET = "product.sock"
READY_TIMEOUT_S = float(os.environ.get("SANDBOX_READY_TIMEOUT_S", "30"))
_LIVE: set[DockerRunner] = set()
_LOCK = threading.Lock()


def connect() -> Any:
    """A docker client negotiating the API version with the engine; RunnerError when unreachable."""
    import docker

    try:
        client = docker.from_env()
        client.ping()
    except docker.errors.DockerException as exc:
        raise RunnerError(f"the Docker engine is not reachable ({exc}); start it with `sandbox engine up` "
                          "(or scripts/engine-up.sh)") from None
    return client


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class _ContainerTransport(httpx.BaseTransport):
    """HTTP over the container's Unix socket; a dead connection is explained by the container's state."""

    def __init__(self, runner: DockerRunner) -> None:
        self._runner = runner
        self._inner = httpx.HTTPTransport(uds=str(runner.socket_path))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._inner.handle_request(request)
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            state = self._runner.exit_reason()
            for _ in range(20):  # a killed process drops its connections before the engine records the exit
                if state:
                    break
                time.sleep(0.1)
                state = self._runner.exit_reason()
            if state:
                raise type(exc)(f"{exc}; {state}", request=request) from None
            raise

    def close(self) -> None:
        self._inner.close()


class DockerRunner(Runner):
    name = "docker"
    grade = "certification"

    def __init__(self) -> None:
        self.run_id = uuid.uuid4().hex
        self._client: Any = None
        self._container: Any = None
        self._image: Any = None
        self._context_digest = ""
        self._folder: Path | None = None
        self._options: dict[str, Any] = {}
        self._engine = ""

    # -- paths ---------------------------------------------------------------------------------------
    @property
    def socket_path(self) -> Path:
        assert self._folder is not None, "start() first"
        return self._folder / "s" / SOCKET

    def data_dir(self) -> Path:
        assert self._folder is not None, "start() first"
        return self._folder / "d"

    # -- lifecycle -----------------------------------------------------------------------------------
    def start(self, manifest: Manifest, profile: Profile) -> None:
        self._client = connect()
        self._engine = str(self._client.version().get("Version", ""))
        _register(self)
        self._folder = Path(tempfile.mkdtemp(prefix="sbx-", dir="/tmp"))  # short: socket paths < 108 bytes
        (self._folder / "owner").write_text(owner() + "\n")
        context = self._folder / "context"
        context.mkdir()
        self.progress(f"assembling the build context of {manifest.id}")
        self._context_digest = images.assemble_context(manifest, context)
        self.progress("building the product image (pull=False, no network)")
        started = time.perf_counter()
        self._image, built = images.ensure_image(self._client, manifest, context, self._context_digest)
        shutil.rmtree(context, ignore_errors=True)
        self.progress(f"image {self._image.short_id} {'built' if built else 'cached'} "
                      f"in {time.perf_counter() - started:.1f} s")
        self._create(manifest, profile)
        self.progress(f"starting container {self._container.name}")
        self._container.start()
        seconds = self._wait_ready()
        self.progress(f"product ready in {seconds:.2f} s")

    def _create(self, manifest: Manifest, profile: Profile) -> None:
        assert self._folder is not None
        for sub in ("s", "d", "p"):
            (self._folder / sub).mkdir(mode=0o777)
            os.chmod(self._folder / sub, 0o777)  # the container user differs from the host user
        shutil.copyfile(Path(images.__file__).with_name("egress_probe.py"), self._folder / "p" / "sitecustomize.py")
        limits = profile.container_limits
        image_env = dict(e.split("=", 1) for e in self._image.attrs["Config"].get("Env") or [] if "=" in e)
        env = {"SANDBOX_SOCKET": f"/run/sandbox/{SOCKET}", "SANDBOX_DATA_DIR": "/data",
               "SANDBOX_EGRESS_LOG": "/run/sandbox/egress.jsonl",
               "PYTHONPATH": ":".join(p for p in ("/sandbox-probe", image_env.get("PYTHONPATH", "")) if p)}
        if manifest.inprocess is not None:
            env["SANDBOX_APP"] = manifest.inprocess.app
        user = "65534:65534" if os.getuid() == 0 else f"{os.getuid()}:{os.getgid()}"
        self._options = {
            "network_mode": "none", "read_only": True, "tmpfs": {"/tmp": "rw,size=64m,mode=1777"},
            "cap_drop": ["ALL"], "security_opt": ["no-new-privileges"], "user": user,
            "mem_limit": f"{limits.memory_mb}m", "memswap_limit": f"{limits.memory_mb}m",
            "nano_cpus": int(limits.cpus * 1e9), "pids_limit": limits.pids,
        }
        labels = {LABEL_RUN: self.run_id, LABEL_OWNER: owner(), LABEL_DIR: str(self._folder),
                  "org.sandbox.product": manifest.id}
        volumes = {str(self._folder / "s"): {"bind": "/run/sandbox", "mode": "rw"},
                   str(self._folder / "d"): {"bind": "/data", "mode": "rw"},
                   str(self._folder / "p"): {"bind": "/sandbox-probe", "mode": "ro"}}
        command = manifest.container.command if manifest.container else None
        self._container = self._client.containers.create(
            self._image.id, command=command, name=f"sbx-{manifest.id}-{self.run_id[:10]}", labels=labels,
            environment=env, volumes=volumes, **self._options)

    def _wait_ready(self, timeout: float = READY_TIMEOUT_S) -> float:
        """Poll GET /v1/health over the socket; the error carries the container's log."""
        started = time.perf_counter()
        deadline = started + timeout
        with httpx.Client(transport=httpx.HTTPTransport(uds=str(self.socket_path)), base_url="http://product",
                          timeout=1.0) as probe:
            while time.perf_counter() < deadline:
                reason = self.exit_reason()
                if reason:
                    raise ProductStartError(f"the product container stopped during start: {reason}",
                                            evidence={"container log": self.logs()})
                try:
                    if probe.get("/v1/health").status_code == 200:
                        return time.perf_counter() - started
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        raise ProductStartError(f"the product did not answer GET /v1/health within {timeout:g} s",
                                evidence={"container log": self.logs()})

    def transport(self) -> httpx.BaseTransport:
        if self._container is None:
            raise RunnerError("docker runner: transport() called before start()")
        return _ContainerTransport(self)

    def stop(self) -> None:
        """Remove the container (and its anonymous volumes) and the run folder; safe to call twice."""
        container, self._container = self._container, None
        if container is not None:
            try:
                container.remove(force=True, v=True)
            except Exception as exc:  # already gone, or the engine went away: nothing else to do
                if "No such container" not in str(exc):
                    self.progress(f"could not remove container {container.name}: {exc}")
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
        _unregister(self)

    # -- optional abilities --------------------------------------------------------------------------
    def restart(self, *, kill: bool = True) -> float:
        """SIGKILL (or stop) the product, start it again on the same data; seconds from start to ready."""
        if self._container is None:
            raise RunnerError("docker runner: restart() called before start()")
        if kill:
            self._container.kill(signal="SIGKILL")
        else:
            self._container.stop(timeout=10)
        self._container.wait(timeout=30)
        self._container.start()
        return self._wait_ready()

    def logs(self) -> str:
        if self._container is None:
            return ""
        try:
            return str(self._container.logs(stdout=True, stderr=True).decode("utf-8", "replace"))
        except Exception as exc:
            return f"(container log unavailable: {exc})"

    def exit_reason(self) -> str:
        """'' while the container runs; otherwise why it stopped (exit code, OOM kill, error)."""
        if self._container is None:
            return "the container was removed"
        try:
            self._container.reload()
        except Exception as exc:
            return f"the container is gone ({exc})"
        state = self._container.attrs.get("State", {})
        if state.get("Running"):
            return ""
        reason = f"the product container exited with code {state.get('ExitCode')}"
        if state.get("OOMKilled"):
            reason += f" (OOMKilled: it exceeded the memory limit of {self._options.get('mem_limit')})"
        if state.get("Error"):
            reason += f" ({state['Error']})"
        return reason

    def egress_attempts(self) -> list[dict[str, Any]]:
        """Outbound connection attempts recorded by the egress probe (see egress_probe.py)."""
        if self._folder is None:
            return []
        path = self._folder / "s" / "egress.jsonl"
        if not path.is_file():
            return []
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out

    def describe(self) -> dict[str, Any]:
        info: dict[str, Any] = {"name": self.name, "grade": self.grade, "engine": self._engine,
                                "run_id": self.run_id}
        if self._image is not None:
            info["image"] = {"id": self._image.id, "tags": self._image.tags, "context_digest": self._context_digest}
        if self._options:
            info["run_options"] = {k: v for k, v in self._options.items()
                                   if k not in ("mem_limit", "memswap_limit", "nano_cpus", "pids_limit")}
            info["limits"] = {"memory": self._options["mem_limit"], "cpus": self._options["nano_cpus"] / 1e9,
                              "pids": self._options["pids_limit"]}
        return info

    def product_digest(self, manifest: Manifest) -> str:
        """The digest of the image's build context (Dockerfile, sources, pinned wheels): what was built and
        tested, and what `sandbox verify --product` can recompute without building. The image ID itself is
        recorded under runner.image in verdict.json."""
        if self._context_digest:
            return self._context_digest
        with tempfile.TemporaryDirectory(prefix="sbx-digest-") as folder:
            return images.assemble_context(manifest, Path(folder))


# -- cleanup on every way out ------------------------------------------------------------------------
_previous: dict[int, Any] = {}


def _register(runner: DockerRunner) -> None:
    with _LOCK:
        first = not _LIVE
        _LIVE.add(runner)
    if first and threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if sig not in _previous:
                _previous[sig] = signal.signal(sig, _on_signal)


def _unregister(runner: DockerRunner) -> None:
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
