"""Print throughput (TPS) and latency (p50/p99) of signed transfers, measured like Hyperledger Caliper,
for ledger products run in-process (the same measurement as the ``ledger.performance`` check): by default
the reference chain-ledger and the evm-token adapter (a Vyper token on eth-tester/py-evm, whose EVM runs
in Python and serialises every transaction behind one lock).

    .venv/bin/python benchmarks/bench_ledger.py [PRODUCT_DIR ...] [--transfers N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import httpx

from harness.checks.ledger_chain import measure
from harness.contracts.ledger import LedgerClient
from harness.errors import HarnessError
from harness.manifests import load_manifest
from harness.profiles import load_profile
from harness.runners.inprocess import InProcessRunner

ROOT = Path(__file__).resolve().parent.parent


def bench(product: Path, transfers: int, concurrency: int) -> dict[str, object]:
    manifest = load_manifest(product)
    runner = InProcessRunner()
    runner.start(manifest, load_profile("hangzhou"))
    try:
        with httpx.Client(transport=runner.transport(), base_url="http://product", timeout=30) as http:
            return {"product": manifest.id, **measure(LedgerClient(http), transfers, concurrency)}
    finally:
        runner.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("products", nargs="*",
                        default=[str(ROOT / "products" / "chain-ledger"), str(ROOT / "products" / "evm-token")])
    parser.add_argument("--transfers", type=int, default=400)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8])
    args = parser.parse_args(argv)
    print(f"{'product':16} {'clients':>7} {'transfers':>9} {'TPS':>8} {'p50 ms':>8} {'p99 ms':>8} {'refused':>7}")
    for product in args.products:
        for clients in args.concurrency:
            try:
                r = bench(Path(product), args.transfers, clients)
            except HarnessError as exc:
                print(f"{product}: {exc}", file=sys.stderr)
                return 2
            print(f"{r['product']:16} {clients:>7} {r['transfers']:>9} {r['tps']:>8} {r['p50_ms']:>8} "
                  f"{r['p99_ms']:>8} {r['failed']:>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
