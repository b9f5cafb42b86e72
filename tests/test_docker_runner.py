"""The docker runner itself: the container is really isolated, failures are classified right, and
nothing is left behind after normal runs, Ctrl-C, SIGTERM, or a SIGKILLed harness + `sandbox engine cleanup`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.errors import ProductError, ProductStartError, RunnerError
from harness.manifests import load_manifest
from harness.profiles import load_profile
from harness.runners.docker import LABEL_RUN, DockerRunner, connect

pytestmark = [pytest.mark.container, pytest.mark.serial]  # checks engine-wide state: runs alone
ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "products" / "rural-microloan"


def leftovers() -> list[str]:
    out = subprocess.run(["docker", "ps", "-a", "-q", "--filter", f"label={LABEL_RUN}"],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


@pytest.fixture
def running() -> Iterator[DockerRunner]:
    runner = DockerRunner()
    runner.start(load_manifest(REFERENCE), load_profile("national"))
    try:
        yield runner
    finally:
        runner.stop()


def test_container_runs_isolated_with_the_profile_limits(running: DockerRunner) -> None:
    container = connect().containers.get(running._container.id)
    host = container.attrs["HostConfig"]
    keeper = connect().containers.get(running._keeper.id)  # holds the observed network namespace
    assert host["NetworkMode"] == f"container:{keeper.id}" and keeper.attrs["HostConfig"]["NetworkMode"] == "none"
    assert keeper.attrs["HostConfig"]["CapDrop"] == ["ALL"] and keeper.labels[LABEL_RUN] == running.run_id
    assert host["ReadonlyRootfs"] is True
    assert host["CapDrop"] == ["ALL"]
    assert host["SecurityOpt"] == ["no-new-privileges"]
    assert host["Memory"] == 256 * 2**20 and host["NanoCpus"] == 10**9 and host["PidsLimit"] == 64
    assert container.attrs["Config"]["User"] == "65534:65534"
    assert container.labels[LABEL_RUN] == running.run_id
    assert len(str(running.socket_path).encode()) < 107
    probe = "import os,socket; print(os.getuid()); open('/etc/x','w')"
    code, output = container.exec_run(["python3", "-c", probe])
    assert code != 0 and b"65534" in output and b"Read-only file system" in output
    code, output = container.exec_run(["python3", "-I", "-c",
                                       "import socket; socket.create_connection(('1.1.1.1', 53), 2)"])
    assert code != 0 and b"Connection refused" in output  # nothing leaves; the attempt is seen from the host
    deadline = time.monotonic() + 30  # the host's capture thread records it a moment later
    while not (seen := [a for a in running.egress_attempts() if a["source"] == "network"]):
        assert time.monotonic() < deadline, "the attempt was never recorded from the host"
        time.sleep(0.1)
    assert {"event": "tcp connect", "target": "1.1.1.1:53"}.items() <= seen[0].items()
    code, output = container.exec_run(["python3", "-c", "import socket; socket.socket(socket.AF_PACKET, 3)"])
    assert code != 0 and b"Operation not permitted" in output  # it cannot watch, or undo, what the host set up
    code, output = container.exec_run(["grep", "CapEff", "/proc/1/status"])
    assert output.split()[-1] == b"0000000000000000"
    with httpx.Client(transport=running.transport(), base_url="http://product") as http:
        assert http.get("/v1/health").json()["status"] == "ok"


def test_restart_keeps_the_data_folder_and_reports_seconds(running: DockerRunner) -> None:
    with httpx.Client(transport=running.transport(), base_url="http://product") as http:
        booking = {"booking_id": "keep-1", "borrower_id": "c1", "amount": "100.00", "term_months": 3}
        assert http.post("/v1/bookings", json=booking).status_code == 201
        seconds = running.restart(kill=True)
        assert 0 < seconds < 30
        assert http.get("/v1/bookings").json()["bookings"] == [booking]
    assert (running.data_dir() / "bookings.jsonl").is_file()


def test_unreachable_engine_is_a_runner_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(RunnerError, match="not reachable"):
        DockerRunner().start(load_manifest(REFERENCE), load_profile("national"))


def test_product_crashing_at_start_is_a_product_start_error_with_its_log(tmp_path: Path) -> None:
    product = tmp_path / "crash"
    product.mkdir()
    (product / "crash_app.py").write_text("raise SystemExit('missing licence key')\n")
    (product / "product.yaml").write_text(textwrap.dedent(f"""\
        id: crash-at-start
        name: Crashes at start
        vendor: test
        version: "1"
        lender_type: rural_commercial_bank
        capabilities: {{credit: {{contract: "1"}}}}
        sources: [".", "{os.path.relpath(REFERENCE, product)}"]
        inprocess: {{app: "crash_app:create_app"}}
        """))
    runner = DockerRunner()
    try:
        with pytest.raises(ProductStartError, match="exited with code 1") as info:
            runner.start(load_manifest(product), load_profile("national"))
        assert "missing licence key" in info.value.evidence["container log"]
    finally:
        runner.stop()
    assert leftovers() == []
    assert runner._folder is not None and not runner._folder.exists()


def _certify_in_background(*extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "harness.cli", "certify", str(REFERENCE), "--profile",
                             "national", "--runner", "docker", "--out", "/tmp/sandbox-docker-test-out", *extra],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _wait_for_container(proc: subprocess.Popen[bytes]) -> None:
    deadline = time.time() + 60
    while not leftovers():
        assert proc.poll() is None and time.time() < deadline, "the run never started a container"
        time.sleep(0.2)
    time.sleep(1.0)  # mid-run


@pytest.mark.parametrize("jobs", [[], ["--jobs", "2"]], ids=["one-container", "two-lanes"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_leaves_nothing_behind(sig: signal.Signals, jobs: list[str]) -> None:
    assert leftovers() == []
    proc = _certify_in_background(*jobs)
    _wait_for_container(proc)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert leftovers() == []
    assert not list(Path("/tmp").glob("sbx-*/owner"))


def test_killed_harness_leftovers_are_removed_by_engine_cleanup() -> None:
    proc = _certify_in_background()
    _wait_for_container(proc)
    proc.kill()
    proc.wait(timeout=30)
    assert leftovers(), "SIGKILL gives the harness no chance to clean up"
    done = subprocess.run([sys.executable, "-m", "harness.cli", "engine", "cleanup"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    assert "removed 2 container" in done.stdout  # the product and the keeper of its network namespace
    assert leftovers() == []
    assert not list(Path("/tmp").glob("sbx-*/owner"))


def test_lanes_of_a_killed_harness_remove_their_containers() -> None:
    """With --jobs each lane's container belongs to a live worker, which cleanup spares: the worker notices its
    harness is gone, removes its container and exits."""
    proc = _certify_in_background("--jobs", "2")
    _wait_for_container(proc)
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.time() + 60  # a bound, not a measurement: the workers look every half second
    while (leftovers() or list(Path("/tmp").glob("sbx-*/owner"))) and time.time() < deadline:
        time.sleep(0.5)
    assert leftovers() == []
    assert not list(Path("/tmp").glob("sbx-*/owner"))


def test_restarting_a_product_that_already_died_is_the_products_failure(running: DockerRunner) -> None:
    container = connect().containers.get(running._container.id)
    container.kill(signal="SIGKILL")  # it dies on its own, before the harness comes to restart it
    container.wait(timeout=30)
    with pytest.raises(ProductError, match=r"had stopped before the harness restarted it: .*exited with code 137"):
        running.restart(kill=True)


def test_the_product_socket_is_reached_through_the_checked_descriptor(running: DockerRunner) -> None:
    assert running.checked_socket().startswith("/proc/self/fd/")
    info = running.describe()["limits"]
    assert info["tmpfs"] == ["s=1m", "d=64m"] and info["requirement_wall_s"] == 1200


def _lane_workers(parent: int) -> list[int]:
    """The spawned worker processes of the harness process ``parent`` (not its resource tracker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and b"spawn_main" in cmdline:
            found.append(int(stat.parent.name))
    return found


def test_a_lane_whose_worker_dies_breaks_its_requirements_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "harness.cli", "certify", str(REFERENCE), "--profile",
                             "national", "--runner", "docker", "--jobs", "2", "--out", str(out)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    _wait_for_container(proc)
    workers = _lane_workers(proc.pid)
    assert len(workers) == 2, workers
    os.kill(workers[0], signal.SIGKILL)
    proc.wait(timeout=180)
    doc = json.loads((out / "verdict.json").read_text())
    lost = [r for r in doc["requirements"] if r["status"] == "broken" and "was lost" in r["message"]]
    assert lost and doc["verdict"] == "INCOMPLETE"  # never CERTIFIED: what the dead lane held was not evaluated
    assert leftovers() == []  # the dead lane's container is removed by the run itself, no cleanup needed
    assert not list(Path("/tmp").glob("sbx-*/owner"))
