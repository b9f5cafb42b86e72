"""Hostile container products (issue 11) cannot reach the host through the harness, cannot hide their egress,
cannot exhaust the harness, and their faults are theirs (failed, never broken).

Each product under tests/hostile/ does one thing a real attacker would; the test asserts the harness did not
follow: a host file it points at is unchanged, a host secret is nowhere in the run's output, the engine's socket
is never spoken to.
"""

from __future__ import annotations

import secrets
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import ROOT

from harness.api import certify
from harness.checks.ledger_chain import _alter_marker
from harness.errors import ProductError
from harness.manifests import load_manifest
from harness.profiles import load_profile
from harness.runners.docker import DockerRunner

pytestmark = pytest.mark.container
HOSTILE = ROOT / "tests" / "hostile"
PROFILE = str(ROOT / "tests" / "profiles" / "hostile.yaml")
VICTIM = Path("/tmp/sandbox-hostile-victim.txt")  # paths the planted-links product points at
SECRET = Path("/tmp/sandbox-hostile-secret.txt")


def result(doc: dict, req: str) -> dict:
    return next(r for r in doc["requirements"] if r["id"] == req)


def text_of(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file()
                     and p.suffix in (".json", ".xml", ".txt", ".jsonl"))


@pytest.fixture
def host_files() -> Iterator[tuple[str, str]]:
    """The host files the planted links point at: a victim holding the tamper marker and a secret."""
    marker, secret = "7777.77 booked", f"host-secret-{secrets.token_hex(8)}"
    VICTIM.write_text(marker + "\n")
    SECRET.write_text(secret + "\n")
    try:
        yield marker, secret
    finally:
        VICTIM.unlink(missing_ok=True)
        SECRET.unlink(missing_ok=True)


@pytest.fixture
def planted(host_files: tuple[str, str]) -> Iterator[DockerRunner]:
    runner = DockerRunner()
    runner.start(load_manifest(HOSTILE / "planted-links"), load_profile(PROFILE))
    try:
        yield runner
    finally:
        runner.stop()


@pytest.mark.serial  # the planted links point at fixed host paths: one at a time
def test_links_planted_in_the_data_folder_are_never_followed(planted: DockerRunner,
                                                              host_files: tuple[str, str]) -> None:
    marker, _ = host_files
    assert (planted.data_dir() / "a-blocks.jsonl").is_symlink()  # the product did plant them
    assert planted.data_files() == ["bookings.jsonl"]  # the links and the FIFO are not files of the product
    for name in ("a-blocks.jsonl", "hostdir/sandbox-hostile-victim.txt", "fifo-first"):
        with pytest.raises(ProductError, match="refused"):
            planted.read_data(name)
        with pytest.raises(ProductError, match="refused"):
            planted.write_data(name, b"rewritten by the harness")
    # the ledger tamper check's own search: it finds no file with the marker, so it alters nothing on the host
    assert _alter_marker(planted, "7777.77", "7777.78") is None
    assert VICTIM.read_text() == marker + "\n"


@pytest.mark.serial  # the planted links point at fixed host paths: one at a time
def test_data_folder_is_a_size_limited_tmpfs_written_as_the_container_user(planted: DockerRunner) -> None:
    container = planted._container
    fill = "import os\ntry: open('/data/big', 'wb').write(b'x' * (9 << 20))\nfinally: os.remove('/data/big')"
    code, output = container.exec_run(["python3", "-c", fill])
    assert code != 0 and b"No space left on device" in output  # hostile.yaml: data_mb 8
    assert "d=8m" in planted.describe()["limits"]["tmpfs"]
    with httpx.Client(transport=planted.transport(), base_url="http://product") as http:
        booking = {"booking_id": "h-1", "borrower_id": "c1", "amount": "100.00", "term_months": 3}
        assert http.post("/v1/bookings", json=booking).status_code == 201
    assert planted.data_files() == ["bookings.jsonl"]
    assert b"h-1" in planted.read_data("bookings.jsonl")
    assert container.exec_run(["chmod", "444", "/data/bookings.jsonl"]).exit_code == 0
    with pytest.raises(ProductError, match="Permission denied"):  # root would write it; the container user cannot
        planted.write_data("bookings.jsonl", b"rewritten by the harness")
    assert b"h-1" in planted.read_data("bookings.jsonl")


@pytest.mark.serial  # the planted links point at fixed host paths: one at a time
def test_an_egress_log_linked_to_a_host_secret_never_reaches_the_verdict(host_files: tuple[str, str],
                                                                         tmp_path: Path) -> None:
    _, secret = host_files
    doc = certify(HOSTILE / "planted-links", PROFILE, runner="docker", only=["NAT-RES-003"], out=tmp_path / "out")
    assert result(doc, "NAT-RES-003")["status"] == "passed"  # it never tried the network
    assert secret not in text_of(tmp_path / "out")


def test_a_socket_linked_to_the_engine_is_refused_and_the_engine_never_spoken_to(tmp_path: Path) -> None:
    doc = certify(HOSTILE / "socket-to-engine", PROFILE, runner="docker", only=["NAT-RES-003"], out=tmp_path)
    res = result(doc, "NAT-RES-003")
    assert res["status"] == "failed"
    assert "symbolic link to /var/run/docker.sock" in res["message"]
    assert "ApiVersion" not in text_of(tmp_path)  # nothing the engine says came back


def test_erasing_the_egress_record_does_not_hide_the_attempts() -> None:
    doc = certify(HOSTILE / "erase-egress", PROFILE, runner="docker", only=["NAT-RES-003"])
    res = result(doc, "NAT-RES-003")
    assert res["status"] == "failed", res["message"]
    assert "telemetry.vendor-analytics.example" in res["message"]


def test_egress_below_the_audit_hook_is_recorded_from_outside_the_container() -> None:
    doc = certify(HOSTILE / "bypass-probe", PROFILE, runner="docker", only=["NAT-RES-003"])
    res = result(doc, "NAT-RES-003")
    assert res["status"] == "failed", res["message"]
    assert "203.0.113.7:443" in res["message"] and "198.51.100.9:8443" in res["message"]
    assert "host observation of the network namespace" in doc["runner"]["network"]["egress_recorded_by"]


def test_floods_are_cut_at_the_profile_limits_and_fail_with_evidence() -> None:
    doc = certify(HOSTILE / "flood-small", PROFILE, runner="docker", only=["NAT-RES-003"])
    res = result(doc, "NAT-RES-003")
    assert res["status"] == "failed"
    assert "longer than 1024 KiB" in res["message"]
    assert doc["runner"]["limits"]["max_response_bytes"] == 1024 * 1024


def test_the_harness_keeps_a_bounded_tail_of_a_flooding_product() -> None:
    runner = DockerRunner()
    runner.start(load_manifest(HOSTILE / "flood-small"), load_profile(PROFILE))
    try:
        with httpx.Client(transport=runner.transport(), base_url="http://product") as http:
            answer = http.get("/v1/bookings")  # 8 MiB sent
        assert len(answer.content) == 1024 * 1024 and answer.extensions["sandbox_cut"] == {"reason": "size",
                                                                         "limit": 1024 * 1024}
        deadline = time.monotonic() + 120
        while "flood done" not in (log := runner.logs()) and time.monotonic() < deadline:
            time.sleep(0.2)  # the product writes 4 MiB of log in the background
        assert 0 < len(log) <= 64 * 1024  # hostile.yaml: log_tail_kb 64
        assert "flood y" in log and "fill stopped" not in log  # its last lines; the first ones are gone
    finally:
        runner.stop()


def test_a_requirement_past_its_wall_time_fails_with_the_limit() -> None:
    doc = certify(HOSTILE / "slow", str(ROOT / "tests/profiles/hostile-wall.yaml"), runner="docker",
                  only=["NAT-RES-003"])
    res = result(doc, "NAT-RES-003")
    assert res["status"] == "failed"
    assert "wall time of 2 s" in res["message"]


def test_a_socket_swapped_for_a_link_after_the_check_is_not_followed(tmp_path: Path) -> None:
    """The harness connects through the descriptor of the socket it checked, not through the name."""
    from harness.runners import productfs

    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "product.sock"))
    server.listen()
    fd = productfs.open_socket(tmp_path, "product.sock", None)
    try:
        (tmp_path / "product.sock").unlink()
        (tmp_path / "product.sock").symlink_to("/var/run/docker.sock")
        client = socket.socket(socket.AF_UNIX)
        client.connect(f"/proc/self/fd/{fd}")
        accepted, _ = server.accept()  # it reached the socket that was checked, not the engine
        accepted.close()
        client.close()
        with pytest.raises(ProductError, match=r"symbolic link to /var/run/docker\.sock"):
            productfs.open_socket(tmp_path, "product.sock", None)
    finally:
        import os

        os.close(fd)
        server.close()


def test_the_namespace_watch_reads_connects_and_dns_names_from_loopback_frames() -> None:
    from harness.runners.netwatch import parse

    ether = bytes(14)

    def ipv4(proto: int, dst: str, payload: bytes) -> bytes:
        return ether + bytes([0x45, 0]) + (20 + len(payload)).to_bytes(2, "big") + bytes(5) + bytes([proto]) + \
            bytes(2) + socket.inet_aton("127.0.0.1") + socket.inet_aton(dst) + payload

    syn = (40000).to_bytes(2, "big") + (443).to_bytes(2, "big") + bytes(9) + b"\x02" + bytes(6)
    query = bytes(12) + b"\x09telemetry\x07example\x00" + bytes(4)
    udp = (40001).to_bytes(2, "big") + (53).to_bytes(2, "big") + bytes(4) + query
    assert parse(ipv4(6, "203.0.113.7", syn)) == {"event": "tcp connect", "target": "203.0.113.7:443"}
    assert parse(ipv4(17, "127.0.0.11", udp)) == {"event": "dns query", "target": "telemetry.example"}
    assert parse(ipv4(6, "127.0.0.1", syn)) is None  # the product's own loopback traffic is not egress
    ack = syn[:13] + b"\x12" + syn[14:]
    assert parse(ipv4(6, "203.0.113.7", ack)) is None  # only the opening SYN of a connect counts
