"""pytest plugin: one test item per requirement of the active profile (registered under ``pytest11``).

    pytest --sandbox-profile chongqing --sandbox-product products/rural-microloan --alluredir out/allure

Options are prefixed and grouped; the profile, product and seed are printed in the report header so any
run can be repeated (cf. pytest-randomly). Without ``--sandbox-*`` options the plugin registers its options
and marker and nothing else: the harness itself is imported only when a certification is asked for.

The verdict is always decided over the whole profile: a ``-k``/``--lf`` selection or an interrupted run
leaves the rest ``not_evaluated`` (INCOMPLETE). Requirements run one after another against one running
product, so the plugin refuses xdist (``-n``) with a usage error rather than split one product's run; with
``--sandbox-jobs N`` a run checks its requirements in N worker processes instead (in-process: a product per
requirement; containers: a container per worker) and still reports them here (harness/jobs.py).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from harness.jobs import JobPool
    from harness.profiles import Requirement
    from harness.session import CertificationRun
    from harness.verdict import Status

RUN_KEY = pytest.StashKey["CertificationRun"]()
POOL_KEY = pytest.StashKey["JobPool"]()
OTHER_FAILURES = pytest.StashKey[int]()  # failures of the user's own tests collected beside the requirements
MARKER = "sandbox_requirement(id): a certification requirement item (added by the sandbox plugin)"


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from harness import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sandbox", "fintech sandbox certification")
    group.addoption("--sandbox-profile", metavar="NAME_OR_PATH", help="profile to certify against")
    group.addoption("--sandbox-product", metavar="DIR", help="product folder holding product.yaml")
    group.addoption("--sandbox-runner", default="inprocess", choices=("inprocess", "docker"),
                    help="how the product runs")
    group.addoption("--sandbox-seed", type=int, default=None, help="run seed (default: the profile's)")
    group.addoption("--sandbox-as-of", metavar="YYYY-MM-DD", default=None,
                    help="the run's date, used by every check that needs 'today' (default: today, UTC)")
    group.addoption("--sandbox-out", metavar="DIR", default=None, help="write verdict.json here")
    group.addoption("--sandbox-waivers", metavar="FILE", default=None,
                    help="waivers file (YAML): failed waivable requirements become 'waived'")
    group.addoption("--sandbox-jobs", metavar="N", type=int, default=None,
                    help="check the requirements in N worker processes, each on a product of its own "
                         "(in-process runner only; the result is the same for every N)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)
    profile = config.getoption("sandbox_profile")
    product = config.getoption("sandbox_product")
    if not profile and not product:
        return
    if not profile or not product:
        raise pytest.UsageError("--sandbox-profile and --sandbox-product go together; give both")
    if getattr(config, "workerinput", None) is not None or (config.getoption("numprocesses", None) or 0) != 0:
        raise pytest.UsageError("--sandbox-profile runs one product's requirements in one process and cannot be "
                                "split across xdist workers; drop -n/--numprocesses (or use -n 0)")
    from harness.errors import HarnessError
    from harness.session import CertificationRun

    try:
        run = CertificationRun.prepare(profile, product, config.getoption("sandbox_runner"),
                                       config.getoption("sandbox_seed"), config.getoption("sandbox_waivers"),
                                       _as_of(config.getoption("sandbox_as_of")))
    except HarnessError as exc:
        raise pytest.UsageError(str(exc)) from None
    jobs = config.getoption("sandbox_jobs")
    if jobs is not None:
        if jobs < 1:
            raise pytest.UsageError(f"--sandbox-jobs: must be at least 1, got {jobs}")
        run.jobs = jobs
    run.runner.progress = lambda message: _progress(config, message)  # type: ignore[method-assign]
    config.stash[RUN_KEY] = run
    profile_path = str(Path(run.profile.path).resolve())
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        config.args.append(profile_path)  # the user's own test paths run too; the requirements are added
    else:
        config.args[:] = [profile_path]  # no paths given: collect the certification only


def _as_of(text: str | None) -> Any:
    from datetime import date

    from harness.errors import IncorrectUsage

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise pytest.UsageError(str(IncorrectUsage(
            f"--sandbox-as-of: {text!r} is not a date; give YYYY-MM-DD, e.g. 2026-12-01"))) from None


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
            f"product {run.manifest.id} {run.manifest.version}, runner {run.runner.name}, seed {run.seed}, "
            f"as of {run.as_of}"]


def pytest_sessionstart(session: pytest.Session) -> None:
    run = session.config.stash.get(RUN_KEY, None)
    if run is not None:
        def stop() -> None:
            run.interrupted = True
            session.shouldstop = f"sandbox: interrupted by {run.interrupt.signal}"

        run.interrupt.on_set = stop
        run.interrupt.install()
        session.config.hook.pytest_sandbox_run_started(run=run)
        for warning in run.waivers.warnings:
            session.config.hook.pytest_sandbox_progress(message=f"warning: {warning}")


def pytest_collection_finish(session: pytest.Session) -> None:
    """A run that selected only some requirements (``-k``) records the selection: never a full certification."""
    run = session.config.stash.get(RUN_KEY, None)
    if run is not None:
        chosen = [item.requirement.id for item in session.items if isinstance(item, RequirementItem)]
        if len(chosen) < len(run.profile.requirements):
            run.selection = chosen
        if run.jobs:
            from harness.jobs import start_pool

            pool = start_pool(run, session.config.getoption("sandbox_profile"),
                              session.config.getoption("sandbox_product"), chosen)
            if pool is not None:
                session.config.stash[POOL_KEY] = pool


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
        self.status: str | None = None  # not_applicable / not_evaluated, decided before or instead of the check
        self.rule: str | None = None
        self.examples = 0
        self.evidence: dict[str, Any] = {}
        self.statistics: dict[str, Any] | None = None
        self.duration = 0.0
        self.replay: list[dict[str, Any]] | None = None  # the failing example's requests, from a worker
        self.remote_duration: float | None = None  # the check's time in its worker
        for key in ("level", "capability", "check", "severity"):
            self.user_properties.append((key, getattr(requirement, key)))
        self.add_marker(pytest.mark.sandbox_requirement(requirement.id))

    def runtest(self) -> None:
        from harness.checks.registry import get_check
        from harness.errors import CertificationFailure, NotEvaluable
        from harness.interrupts import RunInterrupted
        from harness.reporting import allure as allure_map

        run = self.config.stash[RUN_KEY]
        req = self.requirement
        allure_map.label(run.profile, req, run.seed)
        self.rule = run.not_applicable(req)
        if self.rule is not None:
            self.status = "not_applicable"
            pytest.skip(f"not applicable: {self.rule}")
        waiver = run.waivers.for_requirement(req.id)
        if waiver is not None:
            allure_map.waiver(waiver.model_dump(mode="json"))
        started = time.perf_counter()
        log_offset = len(run.product_log())
        pool = self.config.stash.get(POOL_KEY, None)
        try:
            if pool is not None and req.id in pool:
                self._run_in_worker(pool, run)
                return
            ctx = run.context(req)
            started = time.perf_counter()  # product start-up is timed once, as runner.startup_s
            spec = get_check(req.check)
            try:
                spec.func(ctx, run.params[req.id])
            finally:
                self.examples, self.evidence, self.statistics = ctx.examples, ctx.evidence, ctx.statistics
        except NotEvaluable as exc:
            self.status = "not_evaluated"
            pytest.skip(f"not evaluated: {exc}")
        except RunInterrupted as exc:
            self.status = "not_evaluated"
            pytest.skip(f"not evaluated: {exc} while this requirement ran")
        except Exception as exc:
            self.error = exc
            if isinstance(exc, CertificationFailure):
                self.evidence.update(exc.evidence)
                if exc.counterexample is not None:
                    allure_map.attach_json("counterexample", exc.counterexample)
            raise
        finally:
            self.duration = self.remote_duration if self.remote_duration is not None else (
                time.perf_counter() - started)
            log = run.product_log()[log_offset:]
            if log.strip():
                self.evidence.setdefault("product log", log[-200_000:])
            allure_map.attach_evidence(self.evidence)

    def _run_in_worker(self, pool: JobPool, run: CertificationRun) -> None:
        """Report what a worker found (see harness/jobs.py) as if the check had run here."""
        from harness.errors import NotEvaluable
        from harness.jobs import replay_outcome

        outcome = pool.outcome(self.requirement.id, run.interrupt)
        self.examples, self.evidence, self.statistics = outcome.examples, outcome.evidence, outcome.statistics
        self.replay, self.remote_duration = outcome.replay, outcome.duration_s
        if outcome.startup_s is not None:
            run.startup_s = max(run.startup_s or 0.0, outcome.startup_s)
        if outcome.runner is not None and run.runner_info is None:
            run.runner_info = outcome.runner  # the first requirement reported ran on lane 0
        if outcome.kind == "not_evaluated":
            raise NotEvaluable(outcome.message)
        replay_outcome(outcome)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        from harness.errors import CertificationFailure

        exc = excinfo.value
        if isinstance(exc, CertificationFailure):
            lines = [f"{self.requirement.id} failed: {exc.message}"]
            if exc.counterexample is not None:
                lines.append(f"counterexample: {exc.counterexample}")
            return "\n".join(lines)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.requirement.id} {self.requirement.title}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if not isinstance(item, RequirementItem):
        if report.failed and RUN_KEY in item.config.stash:
            item.config.stash[OTHER_FAILURES] = item.config.stash.get(OTHER_FAILURES, 0) + 1
        return report
    from harness.session import classify

    run = item.config.stash[RUN_KEY]
    done = call.when == "call" or (call.when == "setup" and not report.passed)
    if not done:
        return report
    req = item.requirement
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        status: Status = "not_applicable" if item.status == "not_applicable" else "not_evaluated"
        message = reason.removeprefix("Skipped: ").removeprefix("not applicable: ").removeprefix("not evaluated: ")
        result = run.result_for(req, status, message, rule=item.rule, duration_s=item.duration)
    elif report.passed:
        result = run.result_for(req, "passed", examples=item.examples, duration_s=item.duration,
                                statistics=item.statistics)
    else:
        exc = item.error or (call.excinfo.value if call.excinfo else None)
        status = classify(exc) if exc is not None else "broken"
        counterexample = getattr(exc, "counterexample", None)
        message = getattr(exc, "message", None) or (f"{type(exc).__name__}: {exc}" if exc else "error")
        result = run.result_for(req, status, message, counterexample=counterexample, examples=item.examples,
                                duration_s=item.duration, evidence=item.evidence, statistics=item.statistics)
        if item.replay is not None and req.id in run.replays:
            run.replays[req.id] = item.replay
    item.config.hook.pytest_sandbox_requirement_done(result=result)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    run = session.config.stash.get(RUN_KEY, None)
    if run is None:
        return
    from harness.reporting.outputs import write_verdict
    from harness.verdict import SIGNABLE

    run.interrupt.uninstall()
    pool = session.config.stash.get(POOL_KEY, None)
    if pool is not None:
        pool.close(interrupted=run.interrupt.is_set or exitstatus == pytest.ExitCode.INTERRUPTED)
    if exitstatus == pytest.ExitCode.INTERRUPTED or session.shouldstop or session.shouldfail:
        run.interrupted = True  # Ctrl-C, SIGTERM, -x or --maxfail: what was not reached is not_evaluated
    try:
        run.close()
    finally:
        out = session.config.getoption("sandbox_out")
        if out:
            write_verdict(Path(out), run.model())
        alluredir = session.config.getoption("allure_report_dir", None)
        if alluredir:
            from harness.reporting.allure import write_run_facts

            write_run_facts(Path(alluredir), run.model())
        session.config.hook.pytest_sandbox_run_finished(run=run)
    if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED):
        # pytest's own codes: 0 for a signable verdict, 1 (tests failed) for NOT CERTIFIED and INCOMPLETE alike;
        # `sandbox certify` maps the verdict to its own codes (4 = INCOMPLETE; pytest uses 4 for usage errors).
        ok = run.verdict() in SIGNABLE and not session.config.stash.get(OTHER_FAILURES, 0)
        session.exitstatus = pytest.ExitCode.OK if ok else pytest.ExitCode.TESTS_FAILED
    if run.interrupt.is_set:
        session.exitstatus = pytest.ExitCode.INTERRUPTED


def pytest_unconfigure(config: pytest.Config) -> None:
    """After JUnit and Allure wrote their files: seal the output folder as an evidence bundle."""
    run = config.stash.get(RUN_KEY, None)
    out = config.getoption("sandbox_out", None)
    if run is not None and out:
        from harness.evidence.bundle import write_bundle

        write_bundle(Path(out), run)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return
    document = run.model()
    terminalreporter.write_sep("=", f"sandbox verdict: {document.verdict} (seed {run.seed}, as of {run.as_of})")
    for r in document.requirements:
        terminalreporter.write_line(f"{r.status:14} {r.id} [{r.level}] {r.title}")
    for line in document.reasons:
        terminalreporter.write_line(f"because: {line}")
    if document.next_step:
        terminalreporter.write_line(f"to complete it: {document.next_step}")
