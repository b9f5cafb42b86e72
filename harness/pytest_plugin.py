"""pytest plugin: one test item per requirement of the active profile (registered under ``pytest11``).

    pytest --sandbox-profile chongqing --sandbox-product products/rural-microloan --alluredir out/allure

Options are prefixed and grouped; the profile, product and seed are printed in the report header so any
run can be repeated (cf. pytest-randomly). Without ``--sandbox-profile`` the plugin does nothing.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from harness import hookspecs
from harness.checks.registry import get_check
from harness.errors import CertificationFailure, HarnessError, NotApplicable, RunnerLimitation
from harness.profiles import Requirement
from harness.reporting import allure as allure_map
from harness.reporting.outputs import write_verdict
from harness.runners import RUNNERS
from harness.session import CertificationRun, classify

RUN_KEY = pytest.StashKey[CertificationRun]()


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sandbox", "fintech sandbox certification")
    group.addoption("--sandbox-profile", metavar="NAME_OR_PATH", help="profile to certify against")
    group.addoption("--sandbox-product", metavar="DIR", help="product folder holding product.yaml")
    group.addoption("--sandbox-runner", default="inprocess", choices=RUNNERS, help="how the product runs")
    group.addoption("--sandbox-seed", type=int, default=None, help="run seed (default: the profile's)")
    group.addoption("--sandbox-out", metavar="DIR", default=None, help="write verdict.json here")
    group.addoption("--sandbox-waivers", metavar="FILE", default=None,
                    help="waivers file (YAML): failed waivable requirements become 'waived'")


def pytest_configure(config: pytest.Config) -> None:
    profile = config.getoption("sandbox_profile")
    product = config.getoption("sandbox_product")
    if not profile and not product:
        return
    if not profile or not product:
        raise pytest.UsageError("--sandbox-profile and --sandbox-product go together; give both")
    try:
        run = CertificationRun.prepare(profile, product, config.getoption("sandbox_runner"),
                                       config.getoption("sandbox_seed"), config.getoption("sandbox_waivers"))
    except HarnessError as exc:
        raise pytest.UsageError(str(exc)) from None
    run.runner.progress = lambda message: _progress(config, message)  # type: ignore[method-assign]
    config.stash[RUN_KEY] = run
    config.args[:] = [str(Path(run.profile.path).resolve())]


def _progress(config: pytest.Config, message: str) -> None:
    """Runner steps happen inside a requirement, where pytest captures output: show them past the capture."""
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        config.hook.pytest_sandbox_progress(message=message)
        return
    with capture.global_and_fixture_disabled():
        config.hook.pytest_sandbox_progress(message=message)


def pytest_report_header(config: pytest.Config) -> list[str]:
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return []
    return [f"sandbox: profile {run.profile.id} {run.profile.version} ({run.profile.digest}), "
            f"product {run.manifest.id} {run.manifest.version}, runner {run.runner.name}, seed {run.seed}"]


def pytest_sessionstart(session: pytest.Session) -> None:
    run = session.config.stash.get(RUN_KEY, None)
    if run is not None:
        session.config.hook.pytest_sandbox_run_started(run=run)
        for warning in run.waivers.warnings:
            session.config.hook.pytest_sandbox_progress(message=f"warning: {warning}")


def pytest_collection_finish(session: pytest.Session) -> None:
    """A run that selected only some requirements (``-k``) says so in verdict.json: never a full certification."""
    run = session.config.stash.get(RUN_KEY, None)
    if run is not None:
        chosen = [item.requirement.id for item in session.items if isinstance(item, RequirementItem)]
        if len(chosen) < len(run.profile.requirements):
            run.selection = chosen


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    run = parent.config.stash.get(RUN_KEY, None)
    if run is not None and file_path.resolve() == Path(run.profile.path).resolve():
        return ProfileFile.from_parent(parent, path=file_path)
    return None


class ProfileFile(pytest.File):
    def collect(self) -> Any:
        run = self.config.stash[RUN_KEY]
        for req in run.profile.requirements:
            yield RequirementItem.from_parent(self, name=req.id, requirement=req)


class RequirementItem(pytest.Item):
    def __init__(self, *, requirement: Requirement, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.requirement = requirement
        self.error: BaseException | None = None
        self.needs_runner = False
        self.examples = 0
        self.evidence: dict[str, Any] = {}
        self.duration = 0.0
        for key in ("level", "capability", "check", "severity"):
            self.user_properties.append((key, getattr(requirement, key)))
        self.add_marker(pytest.mark.sandbox_requirement(requirement.id))

    def runtest(self) -> None:
        run = self.config.stash[RUN_KEY]
        req = self.requirement
        allure_map.label(run.profile, req, run.seed)
        waiver = run.waivers.for_requirement(req.id)
        if waiver is not None:
            allure_map.waiver(waiver.model_dump(mode="json"))
        started = time.perf_counter()
        log_offset = len(_safe_logs(run))
        try:
            ctx = run.context(req)
            started = time.perf_counter()  # product start-up is timed once, as runner.startup_s
            spec = get_check(req.check)
            try:
                spec.func(ctx, run.params[req.id])
            finally:
                self.examples, self.evidence = ctx.examples, ctx.evidence
        except NotApplicable as exc:
            self.needs_runner = isinstance(exc, RunnerLimitation)
            pytest.skip(f"{'not evaluated' if self.needs_runner else 'not applicable'}: {exc}")
        except Exception as exc:
            self.error = exc
            if isinstance(exc, CertificationFailure):
                self.evidence.update(exc.evidence)
                if exc.counterexample is not None:
                    allure_map.attach_json("counterexample", exc.counterexample)
            raise
        finally:
            self.duration = time.perf_counter() - started
            log = _safe_logs(run)[log_offset:]
            if log.strip():
                self.evidence.setdefault("product log", log[-200_000:])
            allure_map.attach_evidence(self.evidence)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        exc = excinfo.value
        if isinstance(exc, CertificationFailure):
            lines = [f"{self.requirement.id} failed: {exc.message}"]
            if exc.counterexample is not None:
                lines.append(f"counterexample: {exc.counterexample}")
            return "\n".join(lines)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.requirement.id} {self.requirement.title}"


def _safe_logs(run: CertificationRun) -> str:
    try:
        return run.runner.logs()
    except Exception as exc:  # a log we cannot read must not turn a result into an error
        return f"(product log unavailable: {exc})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if not isinstance(item, RequirementItem):
        return report
    run = item.config.stash[RUN_KEY]
    done = call.when == "call" or (call.when == "setup" and not report.passed)
    if not done:
        return report
    req = item.requirement
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        result = run.result_for(req, "skipped", reason.removeprefix("Skipped: "), duration_s=item.duration)
        result.needs_runner = item.needs_runner
    elif report.passed:
        result = run.result_for(req, "passed", examples=item.examples, duration_s=item.duration)
    else:
        exc = item.error or (call.excinfo.value if call.excinfo else None)
        status = classify(exc) if exc is not None else "broken"
        counterexample = getattr(exc, "counterexample", None)
        message = getattr(exc, "message", None) or (f"{type(exc).__name__}: {exc}" if exc else "error")
        result = run.result_for(req, status, message, counterexample=counterexample, examples=item.examples,
                                duration_s=item.duration, evidence=item.evidence)
    item.config.hook.pytest_sandbox_requirement_done(result=result)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    run = session.config.stash.get(RUN_KEY, None)
    if run is None:
        return
    try:
        run.close()
    finally:
        out = session.config.getoption("sandbox_out")
        if out:
            write_verdict(Path(out), run.document())
        session.config.hook.pytest_sandbox_run_finished(run=run)
    if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and run.results:
        session.exitstatus = 1 if run.verdict() == "NOT_CERTIFIED" else 0


def pytest_unconfigure(config: pytest.Config) -> None:
    """After JUnit and Allure wrote their files: seal the output folder as an evidence bundle."""
    run = config.stash.get(RUN_KEY, None)
    out = config.getoption("sandbox_out", None)
    if run is not None and out and run.results:
        from harness.evidence.bundle import write_bundle

        write_bundle(Path(out), run)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    run = config.stash.get(RUN_KEY, None)
    if run is None or not run.results:
        return
    terminalreporter.write_sep("=", f"sandbox verdict: {run.verdict()} (seed {run.seed})")
    for r in run.results:
        terminalreporter.write_line(f"{r.status:8} {r.id} [{r.level}] {r.title}")
