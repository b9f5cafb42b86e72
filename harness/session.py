"""One certification run: profile + manifest + runner + seed → per-requirement results.

Shared by the pytest plugin (one test item per requirement) and the CLI. The runner is started lazily
on the first requirement and always stopped at the end; a product that fails to start fails every
requirement that needed it (with the start error as evidence); an environment failure makes them broken.
"""

from __future__ import annotations

import platform
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from harness import __version__
from harness.checks.context import CheckContext
from harness.checks.registry import Params, validate_profile
from harness.documents.verdict import HarnessInfo, ProductRef, ProfileRef, Scope, Selection, VerdictDocument
from harness.errors import HarnessError, ProductStartError
from harness.interrupts import InterruptFlag
from harness.manifests import Manifest, load_manifest
from harness.profiles import Profile, Requirement, load_profile
from harness.runners import Runner, get_runner
from harness.scope import not_applicable_rule, product_scope
from harness.strategies import ids
from harness.verdict import RequirementResult, Status, Verdict, counts, decide, reasons
from harness.waivers import WaiverSet, select_waivers, waiver_record
from harness.wire import Answer, ProductHttp


@dataclass
class CertificationRun:
    profile: Profile
    manifest: Manifest
    runner: Runner
    seed: int
    params: dict[str, Params]
    scope: Scope
    as_of: date
    results: list[RequirementResult] = field(default_factory=list)
    started_at: str = field(default_factory=lambda: _now())
    finished_at: str = ""
    _http: ProductHttp | None = None
    _start_error: BaseException | None = None
    _product_digest: str = ""
    selection: list[str] | None = None  # requirement IDs when only some were run (pytest -k)
    interrupted: bool = False
    interrupt: InterruptFlag = field(default_factory=InterruptFlag)
    startup_s: float | None = None  # seconds the runner took to make the product ready
    waivers: WaiverSet = field(default_factory=WaiverSet)
    replays: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # failed requirement → requests
    _exchanges: deque[tuple[int, Answer]] = field(default_factory=lambda: deque(maxlen=100))
    _ctx: CheckContext | None = None
    jobs: int | None = None  # --sandbox-jobs: requirements checked in this many worker processes (harness/jobs.py)
    runner_info: dict[str, Any] | None = None  # with jobs in containers: what lane 0's runner describes

    @classmethod
    def prepare(cls, profile: str, product: str, runner: str = "inprocess", seed: int | None = None,
                waivers: str | None = None, as_of: date | None = None) -> CertificationRun:
        """Load and validate everything before any product code runs (HarnessError on bad input; ScopeError
        when the product is not certifiable under the profile)."""
        loaded = load_profile(profile)
        params = validate_profile(loaded)
        manifest = load_manifest(product)
        scope = product_scope(loaded, manifest)
        chosen = get_runner(runner)
        run = cls(loaded, manifest, chosen, loaded.hypothesis.seed if seed is None else seed, params, scope,
                  as_of or datetime.now(UTC).date())
        if waivers:
            run.waivers = select_waivers(waivers, loaded, manifest)
        return run

    # -- running -------------------------------------------------------------------------------------
    def ensure_started(self) -> ProductHttp:
        if self._start_error is not None:
            raise self._start_error
        if self._http is None:
            try:
                began = time.perf_counter()
                self.runner.start(self.manifest, self.profile)
                self.startup_s = round(time.perf_counter() - began, 3)
                self._http = self.runner.wire(self.profile.hypothesis.request_timeout_s, self._record)
            except BaseException as exc:
                self.fail_start(exc)
                raise
        return self._http

    def fail_start(self, exc: BaseException) -> None:
        """Record why the product cannot be started: every requirement that needs it reports this error."""
        self._start_error = exc
        self.runner.stop()

    def product_log(self) -> str:
        """The product's log so far; a log that cannot be read is said so, never an error of the result."""
        try:
            return self.runner.logs()
        except Exception as exc:
            return f"(product log unavailable: {exc})"

    def not_applicable(self, req: Requirement) -> str | None:
        """The profile rule that makes ``req`` not applicable to this product (None: it applies)."""
        return not_applicable_rule(req, self.manifest, self.scope)

    def context(self, req: Requirement) -> CheckContext:
        http = self.ensure_started()
        self.runner.begin_requirement(req.id)
        ids.begin(self.profile.requirements.index(req), self.seed)  # its IDs and keys, whatever ran before
        self._exchanges.clear()
        self._ctx = CheckContext(requirement=req, profile=self.profile, manifest=self.manifest, seed=self.seed,
                                 http=http, control=self.runner, as_of=self.as_of, interrupt=self.interrupt)
        return self._ctx

    def _record(self, answer: Answer) -> None:
        """Keep each exchange, tagged with the example it belongs to, for replay files (a long body is kept
        only as far as a replay file shows it)."""
        if len(answer.content) > 80_000:
            answer = Answer(answer.status_code, answer.headers, answer.content[:80_000], method=answer.method,
                            path=answer.path, sent=answer.sent, sent_type=answer.sent_type)
        self._exchanges.append((self._ctx.examples if self._ctx else 0, answer))

    def failing_exchanges(self) -> list[dict[str, Any]]:
        """The requests of the last (shrunk, failing) example: what a replay re-sends."""
        if not self._exchanges:
            return []
        last = self._exchanges[-1][0]
        return [{"method": a.method, "path": a.path, "content_type": a.sent_type,
                 "body": a.sent.decode("utf-8", "replace"), "status": a.status_code, "response": a.text[:20_000]}
                for tag, a in self._exchanges if tag == last]

    def close(self) -> None:
        if not self.finished_at:
            self.finished_at = _now()
        if self._http is not None:
            self._http.close()
            self._http = None
        try:
            self._product_digest = self.product_digest()
        finally:
            self.runner.stop()

    def product_digest(self) -> str:
        if not self._product_digest:
            try:
                self._product_digest = self.runner.product_digest(self.manifest)
            except (HarnessError, OSError) as exc:
                return f"unknown ({exc})"
        return self._product_digest

    # -- results -------------------------------------------------------------------------------------
    def result_for(self, req: Requirement, status: Status, message: str = "", *, counterexample: Any = None,
                   examples: int = 0, duration_s: float = 0.0, evidence: dict[str, Any] | None = None,
                   rule: str | None = None, statistics: dict[str, Any] | None = None) -> RequirementResult:
        waiver = self.waivers.for_requirement(req.id)
        record = None
        if status == "failed":
            self.replays[req.id] = self.failing_exchanges()
            if waiver is not None:
                status, record = "waived", waiver_record(waiver, "failed")
        result = RequirementResult(
            id=req.id, title=req.title, level=req.level, capability=req.capability, check=req.check,
            severity=req.severity, status=status, rule=rule, statistics=statistics,
            message=message, counterexample=counterexample, source=req.source.model_dump(mode="json"),
            examples=examples, duration_s=round(duration_s, 3), evidence=dict(evidence or {}), waiver=record,
        )
        self.results.append(result)
        return result

    def complete_results(self) -> list[RequirementResult]:
        """Every requirement of the profile exactly once, in profile order. One this run never reached (not
        selected with ``-k``, after an interrupt, on another xdist worker) is ``not_evaluated``: the verdict
        is always decided over the whole profile, never over what happened to run."""
        done = {r.id: r for r in self.results}
        why = "the run was interrupted before it" if self.interrupted else "not selected in this run (-k/--lf)"
        complete = []
        for req in self.profile.requirements:
            result = done.get(req.id)
            if result is None:
                rule = self.not_applicable(req)
                result = RequirementResult(
                    id=req.id, title=req.title, level=req.level, capability=req.capability, check=req.check,
                    severity=req.severity, status="not_applicable" if rule else "not_evaluated", rule=rule,
                    message=rule or why, source=req.source.model_dump(mode="json"))
            complete.append(result)
        return complete

    def verdict(self) -> Verdict:
        return decide(self.complete_results())

    def model(self) -> VerdictDocument:
        """verdict.json as a typed document (see DESIGN.md; stable keys, extended never renamed)."""
        results = self.complete_results()
        verdict = decide(results)
        missing = [r.id for r in results if r.status == "not_evaluated" and r.level == "MUST"]
        return VerdictDocument(
            verdict=verdict, reasons=reasons(results), next_step=self._next_step(results) if missing else None,
            profile=ProfileRef(id=self.profile.id, version=self.profile.version, digest=self.profile.digest,
                               lineage=self.profile.lineage, region=self.profile.region),
            product=ProductRef(id=self.manifest.id, version=self.manifest.version, digest=self.product_digest(),
                               name=self.manifest.name, vendor=self.manifest.vendor,
                               lender_type=self.manifest.lender_type),
            scope=self.scope, runner={**(self.runner_info or self.runner.describe()), "startup_s": self.startup_s,
                                      **({"jobs": self.jobs} if self.jobs else {})}, seed=self.seed,
            as_of=self.as_of, harness=HarnessInfo(version=__version__, python=platform.python_version()),
            counts=counts(results), started_at=self.started_at, finished_at=self.finished_at or _now(),
            selection=Selection(complete=self.selection is None and not self.interrupted,
                                selected=self.selection, interrupted=self.interrupted),
            requirements=results, not_evaluated=[r.id for r in results if r.status == "not_evaluated"],
            waivers=self.waivers.describe(),
        )

    def document(self) -> dict[str, Any]:
        """The content of verdict.json, JSON-ready."""
        return self.model().model_dump(mode="json")

    def _next_step(self, results: list[RequirementResult]) -> str:
        runner_limited = [r.id for r in results if r.status == "not_evaluated" and "--runner docker" in r.message]
        if runner_limited and self.selection is None and not self.interrupted:
            return (f"{', '.join(runner_limited)} need a container: run `sandbox certify {self.manifest.root} "
                    f"--profile {self.profile.id} --runner docker --seed {self.seed} --as-of {self.as_of}`")
        return (f"run the whole profile: `sandbox certify {self.manifest.root} --profile {self.profile.id} "
                f"--runner {self.runner.name} --seed {self.seed} --as-of {self.as_of}`")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def classify(exc: BaseException) -> Status:
    """failed = the product's fault; broken = the harness's or the environment's."""
    from harness.errors import CertificationFailure

    if isinstance(exc, ProductStartError | CertificationFailure):
        return "failed"
    return "broken"


def timer() -> float:
    return time.perf_counter()
