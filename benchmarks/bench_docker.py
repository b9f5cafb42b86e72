"""Docker runner figures (prints them): image build cold and cached, start-to-ready, requests/s over the
Unix socket vs in-process, and a whole containerized certification vs in-process on the same product.

    .venv/bin/python benchmarks/bench_docker.py [--product products/rural-microloan] [--profile chongqing]
    .venv/bin/python benchmarks/bench_docker.py --regions-only   # Guangzhou, Hangzhou, Beijing only

Needs a running engine (`sandbox engine up`). Timings are wall clock on a shared machine: noisy, the
ratios matter more than the absolutes.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from harness.api import certify
from harness.manifests import load_manifest
from harness.profiles import load_profile
from harness.runners import images
from harness.runners.docker import DockerRunner, connect
from harness.runners.inprocess import InProcessRunner

APPLICATION: dict[str, Any] = {
    "application_id": "bench-1", "contract_date": "2025-06-01",
    "applicant": {"age": 40, "gender": "female", "ethnicity": "han", "marital_status": "married",
                  "region_code": "500101", "occupation": "farmer",
                  "annual_incomes": ["60000", "65000", "70000"], "employment_years": 10,
                  "credit_history_months": 60, "delinquencies_24m": 0, "existing_balance": "0",
                  "monthly_debt_payments": "0"},
    "loan": {"amount": "30000", "term_months": 12, "repayment_type": "amortizing", "purpose": "agriculture",
             "channel": "branch", "co_lending": False},
}


def timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def bench_build(product: str) -> None:
    client = connect()
    manifest = load_manifest(product)
    with tempfile.TemporaryDirectory(prefix="sbx-bench-") as tmp:
        context = Path(tmp)
        digest = images.assemble_context(manifest, context)
        cold, _ = timed(lambda: images.ensure_image(client, manifest, context, digest, nocache=True))
        cached, _ = timed(lambda: images.ensure_image(client, manifest, context, digest))
    with tempfile.TemporaryDirectory(prefix="sbx-bench-") as tmp:
        prepare, _ = timed(lambda: images.ensure_image(client, manifest, Path(tmp),
                                                       images.assemble_context(manifest, Path(tmp))))
    print(f"image build, cold (no layer cache):       {cold:6.2f} s")
    print(f"image lookup, cached (same context):      {cached:6.3f} s")
    print(f"context assembly + cached lookup:         {prepare:6.3f} s")


def requests_per_second(transport: httpx.BaseTransport, n: int) -> float:
    with httpx.Client(transport=transport, base_url="http://product") as http:
        for _ in range(20):
            http.post("/v1/decisions", json=APPLICATION)
        started = time.perf_counter()
        for _ in range(n):
            assert http.post("/v1/decisions", json=APPLICATION).status_code == 200
        return n / (time.perf_counter() - started)


def bench_runtime(product: str, profile_name: str, n: int) -> None:
    manifest, profile = load_manifest(product), load_profile(profile_name)
    docker_runner = DockerRunner()
    try:
        start, _ = timed(lambda: docker_runner.start(manifest, profile))
        restarts = [docker_runner.restart(kill=True) for _ in range(5)]
        socket_rps = requests_per_second(docker_runner.transport(), n)
    finally:
        docker_runner.stop()
    local = InProcessRunner()
    try:
        local.start(manifest, profile)
        inprocess_rps = requests_per_second(local.transport(), n)
    finally:
        local.stop()
    print(f"runner start (cached image) to ready:     {start:6.2f} s")
    print(f"container start to ready (median of 5):   {statistics.median(restarts):6.2f} s")
    print(f"POST /v1/decisions over the Unix socket:  {socket_rps:6.0f} req/s")
    print(f"POST /v1/decisions in-process (WSGI):     {inprocess_rps:6.0f} req/s")


def bench_certification(product: str, profile: str) -> None:
    inprocess, doc_in = timed(lambda: certify(product, profile))
    docker, doc_docker = timed(lambda: certify(product, profile, runner="docker"))
    local = {r["id"]: r["status"] for r in doc_in["requirements"]}
    remote = {r["id"]: r["status"] for r in doc_docker["requirements"]}
    same = all(remote[i] == s for i, s in local.items() if s != "skipped")  # skipped in-process: needs a container
    extra = sorted(i for i, s in local.items() if s == "skipped" and remote[i] != "skipped")
    print(f"certification {profile}, in-process:      {inprocess:6.1f} s  ({doc_in['verdict']})")
    print(f"certification {profile}, docker (cached): {docker:6.1f} s  ({doc_docker['verdict']})")
    print(f"docker / in-process:                      {docker / inprocess:6.2f} x  (target <= 1.5); "
          f"same statuses: {same}; evaluated only in the container: {', '.join(extra) or 'none'}")
    if extra:  # the container run did more work: also compare like with like
        only_docker = sum(r["duration_s"] for r in doc_docker["requirements"] if r["id"] in extra)
        like = docker - only_docker
        print(f"  without the {len(extra)} container-only requirement(s) ({only_docker:.1f} s): "
              f"{like:.1f} s → {like / inprocess:.2f} x in-process")


# The reference product each regional profile certifies (the images are built before timing).
REGIONS = [("guangzhou", "products/xborder-payments"), ("hangzhou", "products/chain-ledger"),
           ("beijing", "products/ai-credit-model"), ("shanghai", "products/receivables-platform")]


def warm_image(product: str) -> float:
    """Build (or find) the product's image so the timed certification uses the cached one."""
    client, manifest = connect(), load_manifest(product)
    with tempfile.TemporaryDirectory(prefix="sbx-bench-") as tmp:
        seconds, _ = timed(lambda: images.ensure_image(client, manifest, Path(tmp),
                                                       images.assemble_context(manifest, Path(tmp))))
    return seconds


def bench_regions() -> None:
    """Whole certifications of the reference products of Guangzhou, Hangzhou and Beijing, in-process vs docker."""
    for profile, product in REGIONS:
        print(f"-- {profile}: {product} (image ready in {warm_image(product):.1f} s)")
        bench_certification(product, profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--product", default="products/rural-microloan")
    parser.add_argument("--profile", default="chongqing")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--regions-only", action="store_true",
                        help="only time the Guangzhou, Hangzhou and Beijing certifications")
    args = parser.parse_args()
    print(f"engine {connect().version().get('Version')}; product {args.product}; profile {args.profile}")
    if not args.regions_only:
        bench_build(args.product)
        bench_runtime(args.product, args.profile, args.requests)
        bench_certification(args.product, args.profile)
    bench_regions()


if __name__ == "__main__":
    main()
