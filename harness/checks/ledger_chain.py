"""Ledger checks on the exported chain and under load: integrity and proofs, tamper evidence, double
spending under concurrency, finality across a restart, throughput and latency (Hyperledger Caliper style).

The harness recomputes every hash, link and Merkle proof itself (``harness.ledgerproof``).
"""

from __future__ import annotations

import statistics as statistics_
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hypothesis import strategies as st
from pydantic import Field

from harness import ledgerproof
from harness.checks import statistics
from harness.checks.common import Dec
from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.checks.statistics import ErrorRate
from harness.contracts.ledger import LedgerClient
from harness.errors import NotEvaluable, ProductError
from harness.strategies.ledger import Wallet, str_to_units, units_to_str

CANONICAL_HASH = "sha256-canonical-json"


class Funded:
    """A fresh funded sender and a few recipients, created through the contract."""

    def __init__(self, client: LedgerClient, info: dict[str, Any], units: int, recipients: int = 1) -> None:
        self.client, self.decimals = client, info["decimals"]
        self.sender = self._open(info["signature_algorithm"])
        self.recipients = [self._open(info["signature_algorithm"]) for _ in range(recipients)]
        client.mint(self.sender.account, self.amount(units))

    def _open(self, algorithm: str) -> Wallet:
        wallet = Wallet.generate(algorithm)
        wallet.account = self.client.create_account(wallet.public_key)
        return wallet

    def amount(self, units: int) -> str:
        return units_to_str(units, self.decimals)

    def state(self) -> tuple[int, int]:
        acc = self.client.account(self.sender.account)
        return str_to_units(acc["balance"], self.decimals), acc["nonce"]


def _concurrently(client: LedgerClient, bodies: list[dict[str, Any]]) -> list[tuple[int, Any]]:
    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(client.transfer, bodies))


class Concurrency(Params):
    max_parallel: int = Field(8, ge=2, le=64, description="Conflicting transfers sent at once")


@check("ledger.no_double_spend", params=Concurrency)
def no_double_spend(ctx: CheckContext, p: Concurrency) -> None:
    """Conflicting transfers from one account sent at once: only the affordable ones commit."""
    client = ctx.client(LedgerClient)
    info = client.info()

    @ctx.given(copies=st.integers(2, p.max_parallel), units=st.integers(100, 10_000),
               spend_pct=st.integers(30, 100), burst=st.integers(2, p.max_parallel))
    def prop(copies: int, units: int, spend_pct: int, burst: int) -> None:
        f = Funded(client, info, units, recipients=copies)
        each = max(1, units * spend_pct // 100)
        same_nonce = [f.sender.transfer(r.account, f.amount(each), 0) for r in f.recipients]
        accepted = [b for b, (status, _) in zip(same_nonce, _concurrently(client, same_nonce), strict=True)
                    if status < 300]
        balance, nonce = f.state()
        if len(accepted) > 1:
            ctx.fail(f"{len(accepted)} transfers signed with the same nonce 0 all committed (double spend of "
                     f"{f.amount(each)} from {f.amount(units)})", accepted=accepted, balance=f.amount(balance))
        expected = units - each * len(accepted)
        if (balance, nonce) != (expected, len(accepted)):
            ctx.fail(f"after {len(accepted)} of {copies} conflicting transfers the sender holds "
                     f"{f.amount(balance)} with nonce {nonce}; expected {f.amount(expected)} with nonce "
                     f"{len(accepted)}")
        seq = [f.sender.transfer(f.recipients[0].account, f.amount(each), nonce + i) for i in range(burst)]
        results = _concurrently(client, seq)
        after, after_nonce = f.state()
        spent = sum(str_to_units(b["amount"], f.decimals) for b, (s, _) in zip(seq, results, strict=True) if s < 300)
        committed = sum(1 for status, _ in results if status < 300)
        if after < 0 or after != balance - spent or spent > balance or after_nonce != nonce + committed:
            ctx.fail(f"{len(seq)} concurrent transfers of {f.amount(each)} from {f.amount(balance)} left "
                     f"{f.amount(after)} (nonce {after_nonce}) after committing {f.amount(spent)}",
                     results=[r[0] for r in results])

    prop()


class ChainParams(Params):
    max_batch: int = Field(12, ge=1, le=100, description="Most transfers in one generated block")


def _hash_format(info: dict[str, Any]) -> None:
    if info["block_hash_format"] != CANONICAL_HASH or info["proof_format"] != "merkle-sha256":
        raise NotEvaluable(f"the product declares block_hash_format {info['block_hash_format']!r} and proof_format "
                            f"{info['proof_format']!r}; the harness can only recompute {CANONICAL_HASH} blocks "
                            "with merkle-sha256 proofs" + (f" ({info['notes']})" if info.get("notes") else ""))


@check("ledger.chain_integrity", params=ChainParams)
def chain_integrity(ctx: CheckContext, p: ChainParams) -> None:
    """Every block links to its predecessor's hash, its Merkle root matches its transactions, and the
    product's inclusion proof verifies for every included transaction and for no other."""
    client = ctx.client(LedgerClient)
    info = client.info()
    _hash_format(info)

    genesis = client.block(0)
    problems = ledgerproof.verify_block(genesis, None)
    if problems:
        ctx.fail(f"the genesis block: {problems[0].problem}", counterexample={"block": 0, "header": genesis["header"]},
                 problems=[x.as_dict() for x in problems])

    @ctx.given(batches=st.lists(st.integers(1, p.max_batch), min_size=1, max_size=3))
    def prop(batches: list[int]) -> None:
        f = Funded(client, info, 100 * sum(batches), recipients=1)
        start = client.seal()["height"] + 1
        nonce = 0
        for size in batches:
            for _ in range(size):
                receipt = client.require_committed(f.sender.transfer(f.recipients[0].account, f.amount(1), nonce))
                nonce += 1
                if receipt["status"] == "pending":  # in no block yet: no proof (the contract's 409)
                    status, answer = client.proof(receipt["tx_id"])
                    if status != 409:
                        ctx.fail(f"the inclusion proof of pending transaction {receipt['tx_id']} was answered "
                                 f"{status}; a transaction in no block has no proof yet (409)", answer=answer)
            client.seal()
        blocks = client.blocks(start)
        previous = client.block(start - 1)
        for block in blocks:
            problems = ledgerproof.verify_block(block, previous)
            if problems:
                ctx.fail(f"block {block['header']['height']}: {problems[0].problem}",
                         problems=[x.as_dict() for x in problems], block=block)
            _check_proofs(ctx, client, block)
            previous = block
        status, answer = client.proof("0" * 64)
        if status < 300:
            ctx.fail("the product gave an inclusion proof for a transaction that does not exist", proof=answer)

    prop()


def _check_proofs(ctx: CheckContext, client: LedgerClient, block: dict[str, Any]) -> None:
    header, txs = block["header"], block["transactions"]
    for index, tx in enumerate(txs):
        status, proof = client.proof(tx["id"])
        if status >= 300:
            ctx.fail(f"no inclusion proof for transaction {tx['id']} of block {header['height']} ({status})")
        if proof["merkle_root"] != header["merkle_root"] or proof["block_height"] != header["height"]:
            ctx.fail(f"the proof for {tx['id']} names root {proof['merkle_root']} at height {proof['block_height']}, "
                     f"not block {header['height']}'s root", proof=proof)
        if not ledgerproof.verify_inclusion(tx, index, len(txs), proof["path"], header["merkle_root"]):
            ctx.fail(f"the inclusion proof for transaction {tx['id']} does not verify", proof=proof, tx=tx)
        if len(txs) > 1:
            other = txs[(index + 1) % len(txs)]
            if ledgerproof.verify_inclusion(other, index, len(txs), proof["path"], header["merkle_root"]):
                ctx.fail(f"the proof for {tx['id']} also proves {other['id']}", proof=proof)


class Tamper(Params):
    marker_units: int = Field(777_777, ge=1, description="Distinctive amount (minor units) used to find a stored block")


@check("ledger.tamper_evident", params=Tamper)
def tamper_evident(ctx: CheckContext, p: Tamper) -> None:
    """When a stored block is altered on the product's data volume, the product's audit reports it or
    the exported chain no longer verifies."""
    client = ctx.client(LedgerClient)
    info = client.info()
    f = Funded(client, info, p.marker_units * 2)
    marker = f.amount(p.marker_units)
    receipt = client.require_committed(f.sender.transfer(f.recipients[0].account, marker, 0))
    height = client.seal()["height"]
    before = client.audit()
    if not before["ok"]:
        ctx.fail("the audit reports problems before anything was altered", audit=before)
    altered = _alter_marker(ctx.control, marker, f.amount(p.marker_units + 1))
    if altered is None:
        raise NotEvaluable(f"no file under the product's data folder holds the committed amount {marker}; the "
                            "product keeps no readable copy of its blocks there")
    ctx.attach("altered file", {"path": altered, "from": marker, "to": f.amount(p.marker_units + 1),
                                "tx_id": receipt["tx_id"], "head": height})
    audit = client.audit()
    if not audit["ok"] and audit["problems"]:
        return
    if info["block_hash_format"] == CANONICAL_HASH and ledgerproof.verify_chain(client.blocks()):
        return
    ctx.fail(f"a block stored in {altered.rsplit('/', 1)[-1]} was altered (amount {marker} → "
             f"{f.amount(p.marker_units + 1)}) and "
             "neither the product's audit nor its exported chain shows it", audit=audit)


def _alter_marker(control: Any, marker: str, replacement: str) -> str | None:
    """Alter the first data file holding ``marker``, through the runner: it follows no link the product planted."""
    needle, new = marker.encode(), replacement.encode()
    for name in control.data_files():
        if "pending" in name:
            continue
        try:
            content = control.read_data(name)
        except ProductError:  # too large, or replaced by a link meanwhile
            continue
        if needle in content:
            control.write_data(name, content.replace(needle, new))
            return str(name)
    return None


class Restart(Params):
    transfers: int = Field(12, ge=1, le=1000)


@check("ledger.finality_restart", params=Restart)
def finality_restart(ctx: CheckContext, p: Restart) -> None:
    """Every accepted transaction, sealed or pending, is still there and unchanged after a hard restart."""
    client = ctx.client(LedgerClient)
    info = client.info()
    f = Funded(client, info, 100 * p.transfers)
    receipts = []
    for nonce in range(p.transfers):
        receipts.append(client.require_committed(f.sender.transfer(f.recipients[0].account, f.amount(1), nonce)))
        if nonce == p.transfers // 2:
            client.seal()
    head = client.head()
    before = {r["tx_id"]: client.transaction(r["tx_id"])["transaction"] for r in receipts}
    seconds = ctx.control.restart(kill=True)
    ctx.attach("restart", {"seconds": round(seconds, 3), "head_before": head})
    for tx_id, tx in before.items():
        status, answer = client.attempt("transaction", tx_id=tx_id)
        if status >= 300 or answer["transaction"] != tx:
            ctx.fail(f"accepted transaction {tx_id} was lost or changed by a restart", before=tx, after=answer)
    if client.head()["height"] < head["height"]:
        ctx.fail(f"the chain shrank from height {head['height']} to {client.head()['height']} across a restart")
    if f.state() != (100 * p.transfers - p.transfers, p.transfers):
        ctx.fail(f"the sender's balance and nonce after the restart are {f.state()}")


class Performance(ErrorRate):
    transfers: int = Field(200, ge=10, le=100_000)
    concurrency: int = Field(4, ge=1, le=256)
    min_tps: Dec
    max_p99_ms: Dec


@check("ledger.performance", params=Performance, timed=True)
def performance(ctx: CheckContext, p: Performance) -> None:
    """Throughput and latency of signed transfers, measured like Hyperledger Caliper (TPS, p50/p99).

    Rule (``harness.checks.statistics``, α / 2 for each of the two figures): fail when the upper bound of
    the throughput (exact Poisson rate bound on the committed transfers over the elapsed time) is below
    ``min_tps``, or the lower bound of the p99 latency (order-statistic bound) is above ``max_p99_ms``.
    A product meeting both fails with probability ≤ α (1 %) from sampling noise (the Poisson model is
    conservative for a steady stream; a machine slowed by other load is not sampling noise and is not
    covered). Power: with 200 transfers the throughput bound lies about 20 % above the measured TPS
    (400: 14 %; 40: 48 %), so a product at ≤ 41 TPS fails a 50 TPS minimum; the p99 bound is the 194th of
    200 sorted latencies (390th of 400; 37th of 40), so a product whose 97th-percentile latency exceeds the
    maximum fails. The slow-commit defect (≈ 16 TPS) fails at every seed. Any refused transfer fails outright.
    """
    figures, latencies = _measure(ctx.client(LedgerClient), p.transfers, p.concurrency)
    ctx.attach("performance", figures)
    alpha = statistics.per_comparison(p.false_failure_rate, 2)
    committed = figures["transfers"] - figures["failed"]
    tps_lo, tps_hi = statistics.event_rate(committed, figures["seconds"], alpha)
    p99_lo, p99_hi = statistics.quantile(latencies, 0.99, alpha)
    sample = {"transfers": figures["transfers"], "committed": committed, "concurrency": p.concurrency}
    bounds = [statistics.Bounds("TPS", figures["tps"], tps_lo, tps_hi, p.min_tps, "at_least", alpha,
                                "exact Poisson (Garwood) rate bound", sample),
              statistics.Bounds("p99 latency (ms)", figures["p99_ms"], p99_lo, p99_hi, p.max_p99_ms, "at_most", alpha,
                                "order-statistic quantile bound", sample)]
    ctx.statistics = statistics.summary(bounds, p.false_failure_rate, family="TPS and p99 latency")
    if figures["failed"]:
        ctx.fail(f"{figures['failed']} of {p.transfers} valid transfers were refused under load", **figures)
    if any(b.violated for b in bounds):
        ctx.fail(f"{figures['tps']} TPS ({bounds[0].interval_text()}) with p99 {figures['p99_ms']} ms "
                 f"({bounds[1].interval_text()}); required ≥ {p.min_tps} TPS, p99 ≤ {p.max_p99_ms} ms", **figures)


def measure(client: LedgerClient, transfers: int, concurrency: int) -> dict[str, Any]:
    """Send ``transfers`` signed transfers from ``concurrency`` senders at once; TPS, p50, p99 (ms)."""
    return _measure(client, transfers, concurrency)[0]


def _measure(client: LedgerClient, transfers: int, concurrency: int) -> tuple[dict[str, Any], list[float]]:
    info = client.info()
    per = -(-transfers // concurrency)
    senders = [Funded(client, info, 10 * per) for _ in range(concurrency)]
    jobs = [[s.sender.transfer(s.recipients[0].account, s.amount(1), n) for n in range(per)] for s in senders]

    def run(bodies: list[dict[str, Any]]) -> list[tuple[float, int]]:
        out = []
        for body in bodies:
            t0 = time.perf_counter()
            status, _ = client.transfer(body)
            out.append((time.perf_counter() - t0, status))
        return out

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        samples = [x for chunk in pool.map(run, jobs) for x in chunk]
    client.seal()
    elapsed = time.perf_counter() - started
    latencies = sorted(s[0] * 1000 for s in samples)
    ok = sum(1 for s in samples if s[1] < 300)
    q = statistics_.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    figures = {"transfers": len(samples), "failed": len(samples) - ok, "concurrency": concurrency,
               "seconds": round(elapsed, 3), "tps": round(ok / elapsed, 1),
               "p50_ms": round(q[49], 2), "p99_ms": round(q[98], 2)}
    return figures, latencies
