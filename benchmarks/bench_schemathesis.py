"""Benchmark: the harness against Schemathesis on the same contract and the same product, in one run.

Both generate requests from ``harness/contracts/credit.yaml`` and send them to the reference credit product
in-process (Schemathesis through its WSGI support, the harness through its in-process runner):

* **Schemathesis**: ``POST /v1/decisions`` cases from the operation's strategy, each sent and checked for
  "not a 5xx", status code and response-schema conformance (its ``positive_data_acceptance`` check is left
  out: the contract answers 422 to schema-valid but semantically invalid applications).
* **the harness**: NAT-IFACE-001, the credit contract's conformance requirement (valid and schema-invalid
  requests for every operation, the same three properties plus problem+json), through a whole
  certification with ``only=``.

Prints examples/s and requests/s for each and the ratio. Schemathesis is not a dependency of the harness;
the benchmark installs it into .venv on first use (from the machine's pip configuration).

    .venv/bin/python benchmarks/bench_schemathesis.py [--examples N]
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "products" / "rural-microloan"))


def ensure_schemathesis() -> None:
    if importlib.util.find_spec("schemathesis") is None:
        print("installing schemathesis into .venv (first run only)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "schemathesis>=4"], check=True)


def schemathesis_run(examples: int) -> tuple[int, int, float]:
    import schemathesis
    import yaml
    from hypothesis import HealthCheck, given, seed, settings
    from rural_microloan.api import create_app
    from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

    document = yaml.safe_load((ROOT / "harness" / "contracts" / "credit.yaml").read_text(encoding="utf-8"))
    schema = schemathesis.openapi.from_dict(document)
    schema.app = create_app()
    operation = schema["/v1/decisions"]["POST"]
    counts = {"examples": 0, "requests": 0}

    @seed(20201)
    @settings(max_examples=examples, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        counts["examples"] += 1
        counts["requests"] += 1
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                                 response_schema_conformance])

    started = time.perf_counter()
    run()
    return counts["examples"], counts["requests"], time.perf_counter() - started


def harness_run() -> tuple[int, int, float]:
    from harness.api import certify

    doc = certify(ROOT / "products" / "rural-microloan", "chongqing", only=["NAT-IFACE-001"])
    result = next(r for r in doc["requirements"] if r["id"] == "NAT-IFACE-001")
    assert result["status"] == "passed", result["message"]
    return result["examples"], result["examples"], float(result["duration_s"])  # one request per example


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=200, help="Schemathesis examples (the harness runs "
                        "NAT-IFACE-001 at the Chongqing profile's budget)")
    args = parser.parse_args()
    ensure_schemathesis()
    h_examples, h_requests, h_seconds = harness_run()
    s_examples, s_requests, s_seconds = schemathesis_run(args.examples)
    h_rate, s_rate = h_examples / h_seconds, s_examples / s_seconds
    print("Credit contract, reference product in-process: harness NAT-IFACE-001 vs Schemathesis POST /v1/decisions")
    print(f"  harness      {h_examples:6d} examples {h_requests:6d} requests {h_seconds:7.2f} s  "
          f"{h_rate:7.0f} examples/s {h_requests / h_seconds:7.0f} requests/s")
    print(f"  schemathesis {s_examples:6d} examples {s_requests:6d} requests {s_seconds:7.2f} s  "
          f"{s_rate:7.0f} examples/s {s_requests / s_seconds:7.0f} requests/s")
    print(f"  ratio harness/schemathesis: examples/s {h_rate / s_rate:.2f}, "
          f"requests/s {(h_requests / h_seconds) / (s_requests / s_seconds):.2f}")


if __name__ == "__main__":
    main()
