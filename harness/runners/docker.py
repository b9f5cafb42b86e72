"""Docker runner: the submitted artifact, built hermetically and run isolated (cf. testcontainers).

The product serves its contracts over HTTP on a Unix socket in a short host folder mounted at
``/run/sandbox``; its data lives at ``/data``. When the harness is root both are size-limited tmpfs mounts
(``container_limits.data_mb``), so a product cannot fill the host. The container runs with no network, a
read-only root, a tmpfs ``/tmp``, every capability dropped, no-new-privileges, a non-root user and the
profile's memory/CPU/PID limits; its log is rotated by the engine and read back as a bounded tail.

Everything the product can write is hostile input: the harness connects only to a socket it checked
(``productfs.open_socket``: a socket, not a link, owned by the container's user, reached through its
descriptor), reads and alters data files without following links and with the container user's identity
(``productfs.ProductFolder``), receives egress records on a socket of its own and watches the product's
network namespace from the host (``netwatch``: the product joins the namespace of a keeper container).
Everything a run makes carries the label ``org.sandbox.run`` and is removed on success, failure, exception,
Ctrl-C and SIGTERM; ``sandbox engine cleanup`` removes what a killed harness (SIGKILL) left behind.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from harness.errors import ProductError, ProductStartError, RunnerError
from harness.runners import images, netwatch, productfs
from harness.runners.base import Runner, register, unregister
from harness.runners.guard import Guard, GuardedTransport

if TYPE_CHECKING:
    from harness.manifests import Manifest
    from harness.profiles import Profile

LABEL_RUN = "org.sandbox.run"
LABEL_OWNER = "org.sandbox.owner"  # host:pid of the harness process, so cleanup spares live runs
LABEL_DIR = "org.sandbox.dir"
SOCKET = "product.sock"
SOCKET_MB = 1  # the socket folder holds one socket
READY_TIMEOUT_S = float(os.environ.get("SANDBOX_READY_TIMEOUT_S", "30"))


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
    """HTTP over the socket the runner checked; a dead connection is explained by the container's state."""

    def __init__(self, runner: DockerRunner) -> None:
        self._runner = runner
        self._path = ""
        self._inner: httpx.HTTPTransport | None = None

    def _current(self) -> httpx.HTTPTransport:
        path = self._runner.checked_socket()
        if self._inner is None or path != self._path:
            if self._inner is not None:
                self._inner.close()
            self._path, self._inner = path, httpx.HTTPTransport(uds=path)
        return self._inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._current().handle_request(request)
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
        if self._inner is not None:
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
        self._uid = self._gid = 0
        self._socket_fd: int | None = None
        self._socket_generation = 0
        self._egress: netwatch.EgressChannel | None = None
        self._guard = Guard()
        self._log_tail = 256 * 1024
        self._tmpfs: list[str] = []
        self._keeper: Any = None
        self._watch: netwatch.NetworkWatch | None = None

    # -- paths ---------------------------------------------------------------------------------------
    @property
    def socket_path(self) -> Path:
        assert self._folder is not None, "start() first"
        return self._folder / "s" / SOCKET

    def data_dir(self) -> Path:
        """The host path of /data. Read it only through data_files/read_data/write_data: the product may
        have planted links there."""
        assert self._folder is not None, "start() first"
        return self._folder / "d"

    def _data(self) -> productfs.ProductFolder:
        return productfs.ProductFolder(self.data_dir(), self._uid, self._gid)

    def data_files(self) -> list[str]:
        return self._data().files()

    def read_data(self, relative: str) -> bytes:
        return self._data().read(relative)

    def write_data(self, relative: str, content: bytes) -> None:
        self._data().write(relative, content)

    def checked_socket(self) -> str:
        """``/proc/self/fd/N`` of the product socket the harness checked after the product became ready."""
        if self._socket_fd is None:
            raise httpx.ConnectError("the product socket has not been checked (the product is not ready)")
        return f"/proc/self/fd/{self._socket_fd}"

    def _check_socket(self) -> str | None:
        """Open and check the product's socket; None while it does not exist yet."""
        try:
            fd = productfs.open_socket(self._folder / "s" if self._folder else Path("/nonexistent"), SOCKET,
                                       self._uid)
        except FileNotFoundError:
            return None
        except ProductError as exc:
            raise ProductStartError(exc.message, evidence={"container log": self.logs()}) from None
        self._close_socket()
        self._socket_fd = fd
        self._socket_generation += 1
        return f"/proc/self/fd/{fd}"

    def _close_socket(self) -> None:
        fd, self._socket_fd = self._socket_fd, None
        if fd is not None:
            os.close(fd)

    def begin_requirement(self, requirement: str) -> None:
        self._guard.begin(requirement)

    # -- lifecycle -----------------------------------------------------------------------------------
    def start(self, manifest: Manifest, profile: Profile) -> None:
        self.prepare(manifest)
        register(self)
        self._folder = Path(tempfile.mkdtemp(prefix="sbx-", dir="/tmp"))  # short: socket paths < 108 bytes
        (self._folder / "owner").write_text(owner() + "\n")
        self._create(manifest, profile)
        self.progress(f"starting container {self._container.name}")
        self._container.start()
        seconds = self._wait_ready()
        self.progress(f"product ready in {seconds:.2f} s")

    def prepare(self, manifest: Manifest) -> None:
        """Connect to the engine and build (or find) the product image; once per runner."""
        if self._image is not None:
            return
        self._client = connect()
        self._engine = str(self._client.version().get("Version", ""))
        with tempfile.TemporaryDirectory(prefix="sbx-context-", dir="/tmp") as folder:
            context = Path(folder)
            self.progress(f"assembling the build context of {manifest.id}")
            self._context_digest = images.assemble_context(manifest, context)
            self.progress("building the product image (pull=False, no network)")
            started = time.perf_counter()
            self._image, built = images.ensure_image(self._client, manifest, context, self._context_digest)
        self.progress(f"image {self._image.short_id} {'built' if built else 'cached'} "
                      f"in {time.perf_counter() - started:.1f} s")

    def _create(self, manifest: Manifest, profile: Profile) -> None:
        assert self._folder is not None
        import docker.types

        limits = profile.container_limits
        self._guard = Guard.from_limits(limits)
        self._log_tail = limits.log_tail_kb * 1024
        root = os.geteuid() == 0
        self._uid, self._gid = (65534, 65534) if root else (os.getuid(), os.getgid())
        for sub, size_mb in (("s", SOCKET_MB), ("d", limits.data_mb), ("p", 0), ("e", 0)):
            folder = self._folder / sub
            folder.mkdir(mode=0o755)
            if size_mb and productfs.mount_tmpfs(folder, size_mb, self._uid, self._gid):
                self._tmpfs.append(f"{sub}={size_mb}m")
            elif size_mb and root:
                os.chown(folder, self._uid, self._gid)  # a host folder only the container's user writes
        shutil.copyfile(Path(images.__file__).with_name("egress_probe.py"), self._folder / "p" / "sitecustomize.py")
        self._egress = netwatch.EgressChannel(self._folder / "e")
        image_env = dict(e.split("=", 1) for e in self._image.attrs["Config"].get("Env") or [] if "=" in e)
        env = {"SANDBOX_SOCKET": f"/run/sandbox/{SOCKET}", "SANDBOX_DATA_DIR": "/data",
               "SANDBOX_EGRESS_SOCKET": f"/run/sandbox-egress/{self._egress.path.name}",
               "PYTHONPATH": ":".join(p for p in ("/sandbox-probe", image_env.get("PYTHONPATH", "")) if p)}
        if manifest.inprocess is not None:
            env["SANDBOX_APP"] = manifest.inprocess.app
        self._options = {
            "network_mode": "none", "read_only": True, "tmpfs": {"/tmp": "rw,size=64m,mode=1777"},
            "cap_drop": ["ALL"], "security_opt": ["no-new-privileges"], "user": f"{self._uid}:{self._gid}",
            "mem_limit": f"{limits.memory_mb}m", "memswap_limit": f"{limits.memory_mb}m",
            "nano_cpus": int(limits.cpus * 1e9), "pids_limit": limits.pids,
        }
        log_config = docker.types.LogConfig(type="json-file", config={  # the engine keeps a bounded tail
            "max-size": f"{max(1, 2 * limits.log_tail_kb)}k", "max-file": "2"})
        labels = {LABEL_RUN: self.run_id, LABEL_OWNER: owner(), LABEL_DIR: str(self._folder),
                  "org.sandbox.product": manifest.id}
        volumes = {str(self._folder / "s"): {"bind": "/run/sandbox", "mode": "rw"},
                   str(self._folder / "d"): {"bind": "/data", "mode": "rw"},
                   str(self._folder / "p"): {"bind": "/sandbox-probe", "mode": "ro"},
                   str(self._folder / "e"): {"bind": "/run/sandbox-egress", "mode": "ro"}}
        if netwatch.available():  # the product joins a namespace the host observes (netwatch.py)
            keeper = netwatch.start_keeper(self._client, f"sbx-{manifest.id}-{self.run_id[:10]}-net", labels)
            self._keeper = keeper
            self._watch = netwatch.NetworkWatch(keeper.attrs["State"]["Pid"], self._egress.add)
            self._options["network_mode"] = f"container:{keeper.name}"
        command = manifest.container.command if manifest.container else None
        self._container = self._client.containers.create(
            self._image.id, command=command, name=f"sbx-{manifest.id}-{self.run_id[:10]}", labels=labels,
            environment=env, volumes=volumes, log_config=log_config, **self._options)

    def _wait_ready(self, timeout: float = READY_TIMEOUT_S) -> float:
        """Poll GET /v1/health over the checked socket; the error carries the container's log."""
        started = time.perf_counter()
        deadline = started + timeout
        self._close_socket()  # a restarted product binds a new socket: check that one
        while time.perf_counter() < deadline:
            reason = self.exit_reason()
            if reason:
                raise ProductStartError(f"the product container stopped during start: {reason}",
                                        evidence={"container log": self.logs()})
            path = self._check_socket()
            if path is not None:
                try:
                    with httpx.Client(transport=httpx.HTTPTransport(uds=path), base_url="http://product",
                                      timeout=1.0) as probe, probe.stream("GET", "/v1/health") as answer:
                        if answer.status_code == 200:
                            return time.perf_counter() - started
                except httpx.HTTPError:
                    pass
            time.sleep(0.05)
        self._close_socket()
        raise ProductStartError(f"the product did not answer GET /v1/health within {timeout:g} s",
                                evidence={"container log": self.logs()})

    def transport(self) -> httpx.BaseTransport:
        if self._container is None:
            raise RunnerError("docker runner: transport() called before start()")
        return GuardedTransport(_ContainerTransport(self), self._guard)

    def stop(self) -> None:
        """Remove the container (and its anonymous volumes) and the run folder; safe to call twice."""
        for attribute in ("_container", "_keeper"):  # the product first: it uses the keeper's namespace
            container = getattr(self, attribute)
            setattr(self, attribute, None)
            if container is not None:
                try:
                    container.remove(force=True, v=True)
                except Exception as exc:  # already gone, or the engine went away: nothing else to do
                    if "No such container" not in str(exc):
                        self.progress(f"could not remove container {container.name}: {exc}")
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        self._close_socket()
        if self._egress is not None:
            self._egress.close()
        if self._folder is not None:
            productfs.release_folder(self._folder)
        unregister(self)

    # -- optional abilities --------------------------------------------------------------------------
    def restart(self, *, kill: bool = True) -> float:
        """SIGKILL (or stop) the product, start it again on the same data; seconds from start to ready.
        A product that already died is a failure of the product (with its log), not of the harness."""
        if self._container is None:
            raise RunnerError("docker runner: restart() called before start()")
        import docker.errors

        reason = self.exit_reason()
        try:
            if not reason:
                if kill:
                    self._container.kill(signal="SIGKILL")
                else:
                    self._container.stop(timeout=10)
        except docker.errors.APIError as exc:
            reason = self.exit_reason()
            if not reason:
                raise RunnerError(f"the engine could not stop the product container: {exc}") from None
        if reason:
            raise ProductError(f"the product container had stopped before the harness restarted it: {reason}",
                               evidence={"container log": self.logs()})
        self._container.wait(timeout=30)
        self._container.start()
        return self._wait_ready()

    def logs(self) -> str:
        """The last ``container_limits.log_tail_kb`` KiB of the product's output (the engine rotates the rest)."""
        if self._container is None:
            return ""
        try:
            tail = bytearray()
            for chunk in self._container.logs(stdout=True, stderr=True, stream=True, follow=False):
                tail += chunk
                if len(tail) > 2 * self._log_tail:
                    del tail[:-self._log_tail]
            return bytes(tail[-self._log_tail:]).decode("utf-8", "replace")
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
        """Outbound connection attempts, as the harness received them (see egress.py)."""
        return self._egress.attempts() if self._egress is not None else []

    def describe(self) -> dict[str, Any]:
        info: dict[str, Any] = {"name": self.name, "grade": self.grade, "engine": self._engine,
                                "run_id": self.run_id}
        if self._image is not None:
            info["image"] = {"id": self._image.id, "tags": self._image.tags, "context_digest": self._context_digest}
        if self._options:
            info["run_options"] = {k: v for k, v in self._options.items()
                                   if k not in ("mem_limit", "memswap_limit", "nano_cpus", "pids_limit")}
            info["run_options"]["network_mode"] = "none"  # loopback only, in the keeper's namespace when watched
            info["limits"] = {"memory": self._options["mem_limit"], "cpus": self._options["nano_cpus"] / 1e9,
                              "pids": self._options["pids_limit"], "tmpfs": self._tmpfs,
                              "log_tail_bytes": self._log_tail,
                              "max_response_bytes": self._guard.max_response_bytes,
                              "requirement_wall_s": self._guard.wall_s}
            watched = self._options["network_mode"] != "none"
            info["network"] = {"mode": "none", "namespace": self._options["network_mode"],
                               "egress_recorded_by": ["audit-hook probe (Python)"] + (
                                   ["host observation of the network namespace"] if watched else [])}
        return info

    def product_digest(self, manifest: Manifest) -> str:
        """The digest of the image's build context (Dockerfile, sources, pinned wheels): what was built and
        tested, and what `sandbox verify --product` can recompute without building. The image ID itself is
        recorded under runner.image in verdict.json."""
        if self._context_digest:
            return self._context_digest
        with tempfile.TemporaryDirectory(prefix="sbx-digest-") as folder:
            return images.assemble_context(manifest, Path(folder))
