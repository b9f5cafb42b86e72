"""Parallel requirements (``--sandbox-jobs N``, ``sandbox certify --jobs N``).

In-process, each selected requirement is checked in a pool of N worker processes, on a product started for
that requirement alone, with the run's seed and as-of date. Its result therefore depends only on the profile,
the product, the seed and the as-of date: never on which requirement ran before it, on which worker ran it, or
on N (so ``--jobs 1`` and ``--jobs 2`` give the same document, timestamps and durations aside). The main pytest process
still reports every requirement in profile order (one test item each, Allure, JUnit, verdict.json, the evidence
bundle), from the outcome a worker sends back: what a check found is reported exactly as if it ran there.

Workers are spawned (never forked: the main process runs threads) and ignore SIGINT, so an interrupt reaches the
main process only; it stops the pool and leaves the requirements not yet reported ``not_evaluated``. A worker
that dies (a product that calls ``os._exit`` in-process) breaks the requirements it had not finished, never the
run. A check that measures time (``@check(..., timed=True)``: throughput, latency) is checked alone, after all
the others, one at a time, so no other requirement's load skews what it measures.

A container run keeps a product across requirements, as a one-process container run does: with N jobs it has
N lanes, each a worker process with a container of its own, and a requirement always runs on the same lane
after the same requirements (:class:`JobPool`), so one N gives one document. The reference products give the
same document for every N (``benchmarks/bench_jobs.py --runner docker`` and tests/test_docker_jobs.py compare).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from harness.errors import CertificationFailure
from harness.interrupts import InterruptFlag, RunInterrupted

if TYPE_CHECKING:
    from harness.session import CertificationRun

Kind = Literal["passed", "failed", "broken", "not_evaluated"]


@dataclass(frozen=True)
class JobSpec:
    """What a worker needs to prepare the same run as the main process (names and paths, no objects)."""

    profile: str
    product: str
    seed: int
    as_of: date
    runner: str = "inprocess"


@dataclass
class Outcome:
    """What checking one requirement found, as plain data (it crosses a process boundary)."""

    kind: Kind
    message: str = ""
    counterexample: Any = None
    evidence: dict[str, Any] = field(default_factory=dict)
    examples: int = 0
    statistics: dict[str, Any] | None = None
    duration_s: float = 0.0
    startup_s: float | None = None
    replay: list[dict[str, Any]] = field(default_factory=list)
    runner: dict[str, Any] | None = None  # a container lane's runner.describe() (image, options, limits)


class RemoteError(Exception):
    """A requirement broke in a worker (the harness's or the environment's fault): its message as there."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_one(spec: JobSpec, requirement_id: str) -> Outcome:
    """Check one requirement on a product started for it alone (an in-process worker's task)."""
    from harness.session import CertificationRun

    run = CertificationRun.prepare(spec.profile, spec.product, spec.runner, spec.seed, None, spec.as_of)
    try:
        return _check(run, requirement_id)
    finally:
        run.close()


_LANE_RUN: list[CertificationRun] = []  # a container lane's run: one product for the lane's requirements


def check_in_lane(spec: JobSpec, requirement_id: str) -> Outcome:
    """Check one requirement on this lane's container, started by its first requirement and kept for the next
    (a container lane's task; see :class:`JobPool`)."""
    from harness.session import CertificationRun

    first = not _LANE_RUN
    if first:
        _LANE_RUN.append(CertificationRun.prepare(spec.profile, spec.product, spec.runner, spec.seed, None,
                                                  spec.as_of))
    run = _LANE_RUN[0]
    outcome = _check(run, requirement_id)
    if not first:
        outcome.startup_s = None  # started once, timed once
    outcome.runner = run.runner.describe()
    return outcome


def close_lane() -> None:
    """Stop this lane's container (its last task)."""
    while _LANE_RUN:
        _LANE_RUN.pop().close()


def _check(run: CertificationRun, requirement_id: str) -> Outcome:
    from harness.checks.registry import get_check
    from harness.errors import NotEvaluable

    req = run.profile.requirement(requirement_id)
    outcome = Outcome("passed")
    ctx = None
    log_offset = len(run.product_log())
    started = time.perf_counter()
    try:
        ctx = run.context(req)
        started = time.perf_counter()  # product start-up is timed apart, as startup_s
        get_check(req.check).func(ctx, run.params[req.id])
    except NotEvaluable as exc:
        outcome = Outcome("not_evaluated", message=str(exc))
    except CertificationFailure as exc:
        outcome = Outcome("failed", message=exc.message, counterexample=exc.counterexample,
                          evidence=dict(exc.evidence))
        outcome.replay = run.failing_exchanges()
    except Exception as exc:  # what the main process would classify as broken, with the message it would give
        outcome = Outcome("broken", message=getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")
    finally:
        outcome.duration_s = time.perf_counter() - started
        outcome.startup_s = run.startup_s
        if ctx is not None:
            outcome.examples, outcome.statistics = ctx.examples, ctx.statistics
            outcome.evidence = {**ctx.evidence, **outcome.evidence}
        log = run.product_log()[log_offset:]
        if log.strip():
            outcome.evidence.setdefault("product log", log[-200_000:])
    return outcome


def _init_worker() -> None:
    """Interrupts reach the main process only; a worker whose harness died (SIGKILL) stops its product and exits
    instead of checking on for nobody (its container would outlive the run, owned by a live process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        from harness.runners.base import stop_all

        stop_all()
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="sandbox-parent-watch").start()


class JobPool:
    """N worker processes checking requirements; ``outcome`` waits for one, watching the run's interrupt flag.

    In-process: one pool of N workers, a product per requirement. Containers: N lanes of one worker each, and
    requirement k of the profile order (timed ones aside) always goes to lane k mod N, which checks its
    requirements in profile order on one container; the timed ones follow on lane 0, one at a time, once
    every other requirement is done. So each requirement meets the same product history at every run with N
    jobs, and ``--jobs 1`` is the one-process run with the timed requirements last."""

    def __init__(self, spec: JobSpec, jobs: int) -> None:
        self.spec = spec
        self.jobs = jobs
        self.lanes = spec.runner != "inprocess"
        context = multiprocessing.get_context("spawn")
        self._pools = [ProcessPoolExecutor(max_workers=1 if self.lanes else jobs, mp_context=context,
                                           initializer=_init_worker) for _ in range(jobs if self.lanes else 1)]
        self._task = check_in_lane if self.lanes else check_one
        self._futures: dict[str, Future[Outcome]] = {}
        self.lost = False  # a worker died: its container (if any) outlived it

    def _submit(self, index: int, requirement_id: str) -> Future[Outcome]:
        return self._pools[index % len(self._pools)].submit(self._task, self.spec, requirement_id)

    def submit(self, requirement_ids: list[str], timed: frozenset[str] = frozenset()) -> None:
        """Start the untimed requirements (in profile order); the timed ones follow alone, once those are done."""
        untimed = [r for r in requirement_ids if r not in timed]
        for index, req_id in enumerate(untimed):
            self._futures[req_id] = self._submit(index, req_id)
        later = [r for r in requirement_ids if r in timed]
        for req_id in later:
            self._futures[req_id] = Future()
        if later:
            first = [self._futures[r] for r in untimed]
            threading.Thread(target=self._one_at_a_time, args=(first, later), daemon=True,
                             name="sandbox-timed-requirements").start()

    def _one_at_a_time(self, first: list[Future[Outcome]], later: list[str]) -> None:
        wait(first)
        for req_id in later:
            placeholder = self._futures[req_id]
            try:
                placeholder.set_result(self._submit(0, req_id).result())
            except BaseException as exc:  # the pool broke or was shut down: the outcome says so
                placeholder.set_exception(exc)

    def __contains__(self, requirement_id: str) -> bool:
        return requirement_id in self._futures

    def outcome(self, requirement_id: str, interrupt: InterruptFlag) -> Outcome:
        future = self._futures[requirement_id]
        while True:
            if interrupt.is_set:
                raise RunInterrupted(f"interrupted by {interrupt.signal}")
            try:
                return future.result(timeout=0.2)
            except FutureTimeout:
                continue
            except Exception as exc:  # the worker died (BrokenProcessPool) or the outcome could not be sent
                self.lost = True
                return Outcome("broken", message=f"the worker checking {requirement_id} was lost: "
                                                 f"{type(exc).__name__}: {exc}")

    def close(self, *, interrupted: bool = False) -> None:
        """Stop the pool (and each lane's container); after an interrupt, without waiting for the requirements
        still being checked (a terminated worker removes its container on SIGTERM, see runners/base.py)."""
        if interrupted:
            for pool in self._pools:
                for process in list(getattr(pool, "_processes", {}).values()):
                    process.terminate()
        elif self.lanes:
            stops = []
            for pool in self._pools:
                try:
                    stops.append(pool.submit(close_lane))
                except Exception:  # a lane whose worker died takes no task: its leftovers are removed below
                    self.lost = True
            for stop in stops:
                try:
                    stop.result()
                except Exception:
                    self.lost = True
        for pool in self._pools:
            pool.shutdown(wait=True, cancel_futures=True)
        if self.lanes and self.lost:  # a dead lane's container and folder: its owner is gone, so they are leftovers
            from harness.runners.leftovers import remove_leftovers

            with contextlib.suppress(Exception):
                remove_leftovers()


def start_pool(run: CertificationRun, profile: str, product: str, chosen: list[str]) -> JobPool | None:
    """A pool of ``run.jobs`` workers, already checking the chosen requirements that apply to the product.
    None when what the workers share could not be prepared (no engine, an image that does not build): that
    error is the run's start error, which every requirement then reports, as in a one-process run."""
    from harness.checks.registry import get_check

    if run.runner.name != "inprocess":
        try:
            run.runner.prepare(run.manifest)  # one image build for every lane
        except Exception as exc:
            run.fail_start(exc)
            return None
    pool = JobPool(JobSpec(profile, product, run.seed, run.as_of, run.runner.name), run.jobs or 1)
    applicable = [r for r in chosen if run.not_applicable(run.profile.requirement(r)) is None]
    pool.submit(applicable, frozenset(r for r in applicable if get_check(run.profile.requirement(r).check).timed))
    return pool


def replay_outcome(outcome: Outcome) -> None:
    """Re-raise a worker's finding in the main process, as the check would have raised it there."""
    if outcome.kind == "failed":
        raise CertificationFailure(outcome.message, counterexample=outcome.counterexample,
                                   evidence=outcome.evidence)
    if outcome.kind == "broken":
        raise RemoteError(outcome.message)
