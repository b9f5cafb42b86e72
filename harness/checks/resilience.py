"""Resilience checks (JR/T 0168-2020 disaster recovery, JR/T 0199-2020 business continuity): crash the
product, restart it, starve it, cut its network. They need a runner that can do that (a container):
``ctx.control`` raises RunnerLimitation elsewhere, which makes the requirement ``not_evaluated`` with the reason.
"""

from __future__ import annotations

import random
import threading
import time
from decimal import Decimal
from typing import Any

from hypothesis import Phase
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule
from pydantic import Field

from harness.checks.common import Dec
from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.resilience import ResilienceClient
from harness.errors import CertificationFailure, ProductError
from harness.strategies import ids


def booking_requests(prefix: str) -> st.SearchStrategy[dict[str, Any]]:
    """Loan bookings with fresh IDs (IDs never repeat within a run: the product keeps every booking)."""
    return st.builds(
        lambda borrower, amount, term: {"booking_id": f"{prefix}{ids.fresh()}", "borrower_id": f"c{borrower}",
                                        "amount": str(amount), "term_months": term},
        st.integers(1, 10_000),
        st.decimals(min_value=Decimal("100"), max_value=Decimal("500000"), places=2),
        st.integers(1, 60),
    )


class Ledger:
    """What the harness sent and what the product acknowledged, across crashes."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.sent: dict[str, dict[str, Any]] = {}
        self.acked: dict[str, dict[str, Any]] = {}

    def book(self, client: ResilienceClient, request: dict[str, Any]) -> None:
        self.sent[request["booking_id"]] = request
        client.book(request)
        self.acked[request["booking_id"]] = request

    def verify(self, ctx: CheckContext, client: ResilienceClient, max_lost: int, when: str) -> None:
        listed = [b for b in client.bookings() if str(b.get("booking_id", "")).startswith(self.prefix)]
        ids = [b["booking_id"] for b in listed]
        if len(ids) != len(set(ids)):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            ctx.fail(f"{when}: the product lists a booking twice: {twice[:5]}", duplicates=twice)
        for item in listed:
            sent = self.sent.get(item["booking_id"])
            shown = {k: item.get(k) for k in ("booking_id", "borrower_id", "amount", "term_months")}
            if sent is None or shown != sent:
                ctx.fail(f"{when}: the product lists a booking that was never sent this way (half-written or "
                         f"corrupted): {shown}", sent=sent, listed=item)
        lost = sorted(set(self.acked) - set(ids))
        if len(lost) > max_lost:
            ctx.fail(f"{when}: {len(lost)} acknowledged booking(s) lost (allowed: {max_lost}), e.g. {lost[:3]}",
                     counterexample={"lost": lost[:20], "acknowledged": len(self.acked)},
                     lost=[self.acked[i] for i in lost[:20]])


class DurabilityParams(Params):
    steps: int = Field(6, ge=1, le=200, description="Operations (bursts, crashes) per generated sequence")
    burst_max: int = Field(30, ge=1, le=1000, description="Most bookings in one burst")
    max_lost_acknowledged: int = Field(0, ge=0, description="Acknowledged bookings that may be lost")


@check("resilience.durability", params=DurabilityParams)
def durability(ctx: CheckContext, p: DurabilityParams) -> None:
    """Every acknowledged booking survives kill -9 at a random point; nothing half-written is visible."""
    client = ctx.client(ResilienceClient)
    ctx.control.restart(kill=True)  # RunnerLimitation (not_evaluated) where the runner cannot crash the product
    ledger = Ledger("dur-")
    timings: list[float] = []
    batches = st.lists(booking_requests("dur-"), min_size=1, max_size=p.burst_max)

    class Durability(RuleBasedStateMachine):
        @rule(batch=batches)
        def book(self, batch: list[dict[str, Any]]) -> None:
            for request in batch:
                ledger.book(client, request)

        @rule(batch=batches, kill_after=st.integers(0, p.burst_max))
        def crash_during_burst(self, batch: list[dict[str, Any]], kill_after: int) -> None:
            enough = threading.Event()

            def writer() -> None:
                for n, request in enumerate(batch, 1):
                    if n > kill_after:
                        enough.set()
                    try:
                        ledger.book(client, request)
                    except CertificationFailure:  # the kill landed: in flight, never acknowledged
                        break
                enough.set()

            thread = threading.Thread(target=writer, daemon=True)
            thread.start()
            enough.wait(timeout=30)
            timings.append(ctx.control.restart(kill=True))
            thread.join(timeout=60)
            ledger.verify(ctx, client, p.max_lost_acknowledged, f"after kill -9 #{len(timings)}")

    try:
        # Every step may restart a container: no shrinking, the sequence as generated is the counterexample.
        ctx.run_state_machine(Durability, stateful_step_count=p.steps, phases=[Phase.explicit, Phase.generate])
    finally:
        ctx.attach("durability", {"acknowledged": len(ledger.acked), "sent": len(ledger.sent),
                                  "restart_seconds": [round(t, 3) for t in timings]})
    ledger.verify(ctx, client, p.max_lost_acknowledged, "at the end")


class RecoveryParams(Params):
    rto_s: Dec = Field(gt=0, le=3600, description="Recovery time objective (seconds)")
    warm_bookings: int = Field(40, ge=1, le=100_000, description="Bookings held before the first kill")
    restarts: int = Field(2, ge=1, le=100, description="kill -9 and restart cycles (0 would test nothing)")


@check("resilience.recovery_time", params=RecoveryParams, timed=True)
def recovery_time(ctx: CheckContext, p: RecoveryParams) -> None:
    """After kill -9 the product serves again within the RTO, holding what it acknowledged."""
    client = ctx.client(ResilienceClient)
    ledger = Ledger("rec-")
    for request in workload("rec-", p.warm_bookings, ctx.seed):
        ledger.book(client, request)
    timings: list[float] = []
    for _ in range(p.restarts):  # stop at the first recovery over the RTO
        timings.append(ctx.control.restart(kill=True))
        ctx.attach("recovery", {"rto_s": str(p.rto_s), "restart_seconds": [round(t, 3) for t in timings],
                                "bookings": len(ledger.acked)})
        if Decimal(str(round(timings[-1], 3))) > p.rto_s:
            ctx.fail(f"recovery took {timings[-1]:.2f} s after kill -9 with {len(ledger.acked)} bookings, above "
                     f"the RTO of {p.rto_s} s", counterexample={"restart_seconds": [round(t, 3) for t in timings],
                                                                 "bookings": len(ledger.acked)})
        ledger.verify(ctx, client, 0, f"after restart #{len(timings)}")


def workload(prefix: str, count: int, seed: int) -> list[dict[str, Any]]:
    """A reproducible list of bookings (a workload, not a property: nothing to shrink)."""
    rng = random.Random(f"{seed}:{prefix}")
    return [{"booking_id": f"{prefix}{ids.fresh()}", "borrower_id": f"c{rng.randint(1, 10_000)}",
             "amount": f"{rng.randint(10_000, 50_000_000) / 100:.2f}", "term_months": rng.randint(1, 60)}
            for _ in range(count)]


class IsolationParams(Params):
    requests: int = Field(20, ge=1, le=100_000, description="Bookings served with no network")
    settle_s: Dec = Field(Decimal("1.0"), gt=0, le=600, description="Seconds left for background threads to try")


@check("resilience.isolation", params=IsolationParams)
def isolation(ctx: CheckContext, p: IsolationParams) -> None:
    """The product serves with no network at all and never tries to reach outside."""
    client = ctx.client(ResilienceClient)
    ctx.control.egress_attempts()  # not_evaluated where the runner neither cuts nor watches the network
    ledger = Ledger("iso-")
    client.health()
    for request in workload("iso-", p.requests, ctx.seed):
        ledger.book(client, request)
    ledger.verify(ctx, client, 0, "with no network")
    time.sleep(float(p.settle_s))  # give background threads (telemetry, update checks) time to try
    attempts = ctx.control.egress_attempts()
    if attempts:
        # Two observers (the probe, the host watching the namespace) report in whatever order they arrive, and
        # a retrying product tries as often as the machine's speed lets it: the finding names what was tried,
        # in a fixed order, and the count and the raw records (with their times) are evidence.
        ordered = sorted(attempts, key=_attempt_key)
        targets = sorted({str(a.get("target", "?")) for a in attempts})
        kinds = sorted({str(a.get("event", "?")) for a in attempts})
        ctx.fail(f"the product tried to reach the network: {', '.join(targets[:5])} ({', '.join(kinds)})",
                 counterexample={k: ordered[0][k] for k in ("source", "event", "target") if k in ordered[0]},
                 attempts_recorded=len(attempts), attempts=ordered[:50])


def _attempt_key(attempt: dict[str, Any]) -> tuple[str, str, str]:
    return str(attempt.get("source", "")), str(attempt.get("event", "")), str(attempt.get("target", ""))


class ResourceParams(Params):
    requests: int = Field(300, ge=1, le=100_000, description="Bookings sent under the memory limit")
    oversize_kb: int = Field(2048, ge=1, le=1_048_576, description="Size of each oversize body (KiB)")
    oversize_requests: int = Field(3, ge=0, le=100_000, description="Oversize bodies sent (0: none)")


@check("resilience.resource_caps", params=ResourceParams)
def resource_caps(ctx: CheckContext, p: ResourceParams) -> None:
    """Under the memory limit the product keeps serving or refuses cleanly, and never loses state."""
    client = ctx.client(ResilienceClient)
    ctx.control.restart(kill=False)  # a fresh process, so memory grows from the workload only
    ledger = Ledger("mem-")
    refused = 0
    sent = 0
    oversize = b'{"booking_id": "' + b"x" * (p.oversize_kb * 1024) + b'"}'
    try:
        for n, request in enumerate(workload("mem-", p.requests, ctx.seed)):
            if p.oversize_requests and n % max(1, p.requests // p.oversize_requests) == 0:
                status, _ = client.try_book(raw=oversize)
                if status < 400:
                    ctx.fail(f"an oversize body of {p.oversize_kb} KiB was accepted ({status})")
                refused += 1
            ledger.sent[request["booking_id"]] = request
            sent += 1
            status, _ = client.try_book(request)
            if status == 201:
                ledger.acked[request["booking_id"]] = request
            else:
                refused += 1
        client.health()
    except ProductError as exc:
        ctx.fail(f"the product stopped serving after {sent} of {p.requests} requests: {exc.message}",
                 counterexample={"requests_sent": sent, "acknowledged": len(ledger.acked)},
                 product_log=ctx.control.logs()[-20_000:])
    ctx.attach("resource caps", {"requests": sent, "acknowledged": len(ledger.acked), "refused": refused})
    ledger.verify(ctx, client, 0, "after the memory workload")
