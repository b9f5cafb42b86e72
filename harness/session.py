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
from datetime import UTC, datetime
from typing import Any

import httpx

from harness import __version__
from harness.checks.context import CheckContext
from harness.checks.registry import Params, validate_profile
from harness.errors import HarnessError, NotApplicable, ProductStartError
from harness.manifests import Manifest, load_manifest
from harness.profiles import Profile, Requirement, load_profile
from harness.runners import Runner, get_runner
from harness.verdict import RequirementResult, Verdict, counts, decide
from harness.waivers import WaiverSet, select_waivers, waiver_record


@dataclass
class CertificationRun:
    profile: Profile
    manifest: Manifest
    runner: Runner
    seed: int
    params: dict[str, Params]
    results: list[RequirementResult] = field(default_factory=list)
    started_at: str = field(default_factory=lambda: _now())
    finished_at: str = ""
    _http: httpx.Client | None = None
    _start_error: BaseException | None = None
    _product_digest: str = ""
    selection: list[str] | None = None  # requirement IDs when only some were run (pytest -k)
    startup_s: float | None = None  # seconds the runner took to make the product ready
    waivers: WaiverSet = field(default_factory=WaiverSet)
    replays: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # failed requirement → requests
    _exchanges: deque[tuple[int, dict[str, Any]]] = field(default_factory=lambda: deque(maxlen=100))
    _ctx: CheckContext | None = None

    @classmethod
    def prepare(cls, profile: str, product: str, runner: str = "inprocess", seed: int | None = None,
                waivers: str | None = None) -> CertificationRun:
        """Load and validate everything before any product code runs (HarnessError on bad input)."""
        loaded = load_profile(profile)
        params = validate_profile(loaded)
        manifest = load_manifest(product)
        chosen = get_runner(runner)
        run = cls(loaded, manifest, chosen, loaded.hypothesis.seed if seed is None else seed, params)
        if waivers:
            run.waivers = select_waivers(waivers, loaded, manifest)
        return run

    # -- running -------------------------------------------------------------------------------------
    def ensure_started(self) -> httpx.Client:
        if self._start_error is not None:
            raise self._start_error
        if self._http is None:
            try:
                began = time.perf_counter()
                self.runner.start(self.manifest, self.profile)
                self.startup_s = round(time.perf_counter() - began, 3)
                self._http = httpx.Client(transport=self.runner.transport(), base_url="http://product",
                                          timeout=self.profile.hypothesis.request_timeout_s,
                                          event_hooks={"response": [self._record]})
            except BaseException as exc:
                self._start_error = exc
                self.runner.stop()
                raise
        return self._http

    def context(self, req: Requirement) -> CheckContext:
        if req.capability not in self.manifest.capabilities:
            raise NotApplicable(f"product {self.manifest.id} does not implement capability {req.capability!r}")
        http = self.ensure_started()
        self._exchanges.clear()
        self._ctx = CheckContext(requirement=req, profile=self.profile, manifest=self.manifest, seed=self.seed,
                                 http=http, control=self.runner)
        return self._ctx

    def _record(self, response: httpx.Response) -> None:
        """Keep each exchange, tagged with the example it belongs to, for replay files."""
        try:
            response.read()
            request = response.request
            self._exchanges.append((self._ctx.examples if self._ctx else 0, {
                "method": request.method, "path": request.url.raw_path.decode("ascii", "replace"),
                "content_type": request.headers.get("content-type", ""),
                "body": request.content.decode("utf-8", "replace"),
                "status": response.status_code, "response": response.text[:20_000],
            }))
        except Exception:  # recording evidence must never change a result
            return

    def failing_exchanges(self) -> list[dict[str, Any]]:
        """The requests of the last (shrunk, failing) example: what a replay re-sends."""
        if not self._exchanges:
            return []
        last = self._exchanges[-1][0]
        return [exchange for tag, exchange in self._exchanges if tag == last]

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
    def result_for(self, req: Requirement, status: str, message: str = "", *, counterexample: Any = None,
                   examples: int = 0, duration_s: float = 0.0, evidence: dict[str, Any] | None = None
                   ) -> RequirementResult:
        waiver = self.waivers.for_requirement(req.id)
        record = None
        if status == "failed":
            self.replays[req.id] = self.failing_exchanges()
            if waiver is not None:
                status, record = "waived", waiver_record(waiver, "failed")
        result = RequirementResult(
            id=req.id, title=req.title, level=req.level, capability=req.capability, check=req.check,
            severity=req.severity, status=status,  # type: ignore[arg-type]
            message=message, counterexample=counterexample, source=req.source.model_dump(mode="json"),
            examples=examples, duration_s=round(duration_s, 3), evidence=dict(evidence or {}), waiver=record,
        )
        self.results.append(result)
        return result

    def verdict(self) -> Verdict:
        return decide(self.results)

    def document(self) -> dict[str, Any]:
        """The content of verdict.json (see DESIGN.md; stable keys, extended never renamed)."""
        return {
            "schema": "sandbox-verdict/1",
            "verdict": self.verdict(),
            "profile": {"id": self.profile.id, "version": self.profile.version, "digest": self.profile.digest,
                        "lineage": self.profile.lineage, "region": self.profile.region},
            "product": {"id": self.manifest.id, "version": self.manifest.version, "digest": self.product_digest(),
                        "name": self.manifest.name, "vendor": self.manifest.vendor,
                        "lender_type": self.manifest.lender_type},
            "runner": {**self.runner.describe(), "startup_s": self.startup_s},
            "seed": self.seed,
            "harness": {"version": __version__, "python": platform.python_version()},
            "counts": counts(self.results),
            "started_at": self.started_at,
            "finished_at": self.finished_at or _now(),
            "requirements": [r.as_json() for r in self.results],
            "not_evaluated": [r.id for r in self.results if r.needs_runner],
            **({"selection": self.selection} if self.selection is not None else {}),
            "waivers": self.waivers.describe(),
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def classify(exc: BaseException) -> str:
    """failed = the product's fault; broken = the harness's or the environment's."""
    from harness.errors import CertificationFailure

    if isinstance(exc, ProductStartError | CertificationFailure):
        return "failed"
    return "broken"


def timer() -> float:
    return time.perf_counter()
