"""What a check receives: the requirement, its product clients, and Hypothesis wired to the profile.

A check never learns how the product runs; optional abilities (restart, logs) go through
:class:`ProductControl`, which the runner implements.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, NoReturn, Protocol, TypeVar

from hypothesis import HealthCheck, Phase, reject, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import settings as Settings
from hypothesis.control import current_build_context
from hypothesis.errors import Flaky, UnsatisfiedAssumption

from harness.contracts.base import ContractClient, to_json
from harness.errors import CertificationFailure
from harness.interrupts import InterruptFlag
from harness.manifests import Manifest
from harness.profiles import Profile, Requirement
from harness.wire import ProductHttp

C = TypeVar("C", bound=ContractClient)


def _without_local_constants() -> None:
    """Hypothesis (6.131+) also draws constants it mines from the source of every loaded module outside
    site-packages: the harness, the products and any tests. Which of those are loaded differs between
    processes and grows as one process certifies more products, so the same seed drew different examples
    (GZ-IFACE-001 on the cross-border reference passed alone and failed after the AI product had been
    certified in the same process). Generation must depend only on the strategies and the seed, so the pool
    of local constants stays empty; Hypothesis' built-in constants still apply. There is no public setting
    for this: the provider's lookup is replaced where it exists."""
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants
    except ImportError:  # an older Hypothesis without local constants
        return
    if hasattr(providers, "_get_local_constants"):
        empty = Constants()
        providers._get_local_constants = lambda: empty
        providers.CONSTANTS_CACHE.cache.clear()


_without_local_constants()


class ProductControl(Protocol):
    """Optional abilities of the runner; each raises RunnerLimitation (→ not_evaluated) where unsupported."""

    def restart(self, *, kill: bool = True) -> float: ...
    def logs(self) -> str: ...
    def data_dir(self) -> Path: ...
    def data_files(self) -> list[str]: ...
    def read_data(self, relative: str) -> bytes: ...
    def write_data(self, relative: str, content: bytes) -> None: ...
    def egress_attempts(self) -> list[dict[str, Any]]: ...


def hypothesis_profile(profile: Profile) -> str:
    """Register (once) and return the Hypothesis settings profile for a sandbox profile."""
    name = f"sandbox:{profile.id}:{profile.digest[7:19]}"
    budget = profile.hypothesis
    settings.register_profile(
        name,
        max_examples=budget.max_examples,
        deadline=budget.deadline_ms,
        derandomize=False,  # reproducibility comes from the run seed, applied with @seed
        database=None,
        report_multiple_bugs=False,
        print_blob=False,
        # The explain phase re-runs the failing example many times to annotate it; against a product over
        # HTTP that costs more than the whole search. Shrinking stays on: counterexamples are minimal.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    return name


@dataclass
class CheckContext:
    requirement: Requirement
    profile: Profile
    manifest: Manifest
    seed: int
    http: ProductHttp
    control: ProductControl
    as_of: date = field(default_factory=lambda: datetime.now(UTC).date())
    interrupt: InterruptFlag = field(default_factory=InterruptFlag)
    evidence: dict[str, Any] = field(default_factory=dict)
    examples: int = 0
    statistics: dict[str, Any] | None = None
    _clients: dict[type, ContractClient] = field(default_factory=dict)
    _first_failure: int | None = None
    _last_failure: CertificationFailure | None = None
    _limit: int = 0
    _explicit: bool = False

    def now(self) -> datetime:
        """The end of the run's as-of day (UTC): the only "now" a check may use, so a replay reproduces it."""
        return datetime.combine(self.as_of, time.max, tzinfo=UTC)

    def client(self, cls: type[C]) -> C:
        if cls not in self._clients:
            self._clients[cls] = cls(self.http, self.manifest.implemented(cls.contract_name))
        return self._clients[cls]  # type: ignore[return-value]

    def settings(self, **overrides: Any) -> settings:
        parent = settings.get_profile(hypothesis_profile(self.profile))
        if self.requirement.max_examples is not None:
            overrides.setdefault("max_examples", self.requirement.max_examples)
        return settings(parent, **overrides)

    def given(self, *, explicit: Sequence[dict[str, Any]] = (), **strategies: Any
              ) -> Callable[[Callable[..., None]], Callable[[], None]]:
        """Like ``@hypothesis.given`` with keyword strategies, run under the profile's budget and the run
        seed; a failure carries the shrunk example as its counterexample (so draw everything up front:
        ``st.data()`` draws would not be recorded). ``explicit`` examples (keyword dicts, e.g. one per
        enumerated value of a regulatory dimension, built with :func:`minimal`) run first, every time."""

        def decorate(prop: Callable[..., None]) -> Callable[[], None]:
            @functools.wraps(prop)
            def example(**kwargs: Any) -> None:
                self._within_budget()
                try:
                    prop(**kwargs)
                except CertificationFailure as exc:
                    if exc.counterexample is None:
                        exc.counterexample = to_json(kwargs)
                    self._failed()
                    self._last_failure = exc
                    raise
                except Exception:
                    self._failed()
                    raise

            from hypothesis import given

            chosen = self.settings()
            test = hypothesis_seed(self.seed)(chosen(given(**strategies)(example)))
            cases = list(explicit)

            def run() -> None:
                self._start_budget(chosen)
                self._last_failure = None
                # Explicit cases first, as @example would run them (never shrunk, never rejected), but called
                # directly: Hypothesis pretty-prints every @example up front, 27 ms for a risk grid.
                for case in cases:
                    self._explicit = True
                    try:
                        example(**case)
                    finally:
                        self._explicit = False
                try:
                    test()
                except Flaky as exc:
                    if _budget_artefact(exc) and self._last_failure is not None:
                        raise self._last_failure from None  # the smallest failure the budget allowed
                    raise _not_reproducible(exc) from None

            return run

        return decorate

    def run_state_machine(self, machine: Callable[[], Any], **overrides: Any) -> None:
        """Run a Hypothesis ``RuleBasedStateMachine`` (a model of what the product must hold) against the
        product under the profile's budget and the run seed; a failure carries the shrunk sequence of
        operations as its counterexample."""
        from hypothesis.stateful import get_state_machine_test

        budget = self.profile.hypothesis.shrink_examples

        def counted() -> Any:
            self.interrupt.check()
            self.examples += 1  # one generated sequence of operations
            spent = self.examples - self._first_failure if self._first_failure is not None else 0
            if spent >= budget or self.examples >= self._limit:
                _stop_shrinking()  # past the budget: the next failing sequence is the counterexample
            return machine()

        chosen = self.settings(**overrides)
        self._start_budget(chosen)
        test = get_state_machine_test(counted, settings=chosen)  # type: ignore[arg-type]
        try:
            with accepted_shrinks(budget):
                hypothesis_seed(self.seed)(test)()
        except Flaky as exc:
            raise _not_reproducible(exc) from None
        except CertificationFailure as exc:
            steps = [line for note in getattr(exc, "__notes__", []) for line in note.splitlines()]
            if exc.counterexample is None and steps:
                exc.counterexample = {"steps": steps}
            raise

    # -- a deterministic shrinking budget -------------------------------------------------------------
    def _start_budget(self, chosen: Settings) -> None:
        self._first_failure = None
        self._limit = self.examples + chosen.max_examples + self.profile.hypothesis.shrink_examples

    def _failed(self) -> None:
        if self._first_failure is None:
            self._first_failure = self.examples

    def _within_budget(self) -> None:
        """Shrinking is bounded by a count of examples, never by seconds, so the same seed shrinks to the same
        counterexample on an idle or a loaded machine. Past the budget, a new candidate is rejected without
        reaching the product (``hypothesis.reject``: the shrinker keeps its best failure); the final replay of
        that failure always runs for real."""
        self.interrupt.check()  # Ctrl-C/SIGTERM: stop between examples, never inside one
        budget = self.profile.hypothesis.shrink_examples
        spent = self.examples - self._first_failure if self._first_failure is not None else 0
        if (not self._explicit and (spent >= budget or self.examples >= self._limit)
                and not current_build_context().is_final):
            reject()
        self.examples += 1

    def fail(self, message: str, *, counterexample: Any = None, **evidence: Any) -> NoReturn:
        self._failed()
        raise CertificationFailure(message, counterexample=counterexample, evidence=to_json(evidence))

    def attach(self, name: str, data: Any) -> None:
        """Keep a named piece of evidence (JSON data, text, or PNG bytes) for the report."""
        self.evidence[name] = data


def minimal(strategy: Any) -> Any:
    """The simplest value a strategy draws (deterministic: no seed, no database), for explicit examples."""
    from hypothesis import Phase, find

    # Hypothesis' first draw is the all-simplest choice sequence, which no shrink can improve on; so generate
    # only (shrinking and the explain phase re-ran this ~3000 times: 5-7 s per value on cross-border transfers)
    return find(strategy, lambda _: True, settings=Settings(database=None, derandomize=True, max_examples=1,
                                                            phases=(Phase.generate,),
                                                            suppress_health_check=list(HealthCheck)))


@contextmanager
def accepted_shrinks(count: int) -> Iterator[None]:
    """Bound the shrinking of a state machine by a count of accepted shrinks (deterministic, unlike a time
    limit). A sequence of operations draws as it runs, so the example budget of :meth:`CheckContext.given`
    cannot reject one early without Hypothesis calling the data generation inconsistent; Hypothesis has no
    public setting for this count, so its engine constant is set for the duration, where it exists."""
    from hypothesis.internal.conjecture import engine

    previous = getattr(engine, "MAX_SHRINKS", None)
    if previous is None:
        yield
        return
    engine.MAX_SHRINKS = count
    try:
        yield
    finally:
        engine.MAX_SHRINKS = previous


def _stop_shrinking() -> None:
    """Within :func:`accepted_shrinks`: end shrinking at the next failing sequence. The limit counts sequences
    run (deterministic), where Hypothesis' own count of accepted shrinks let a state machine run 800
    sequences to accept 30."""
    from hypothesis.internal.conjecture import engine

    if hasattr(engine, "MAX_SHRINKS"):
        engine.MAX_SHRINKS = 0


def _budget_artefact(exc: Flaky) -> bool:
    """Hypothesis replayed an example that had passed after the example budget ran out, so the budget
    rejected it (``reject()`` in :meth:`CheckContext._within_budget`) and Hypothesis called the two runs
    inconsistent. The product did nothing differently: the failure already seen is the result."""
    inner = list(getattr(exc, "exceptions", ()))
    return bool(inner) and all(isinstance(e, UnsatisfiedAssumption) for e in inner)


def _not_reproducible(exc: Flaky) -> CertificationFailure:
    inner = [e for e in getattr(exc, "exceptions", ()) if isinstance(e, CertificationFailure)]
    first = inner[0] if inner else None
    message = first.message if first else str(exc).splitlines()[0]
    return CertificationFailure(
        f"failure not reproducible on replay (the product answers differently to the same input): {message}",
        counterexample=first.counterexample if first else None,
        evidence=first.evidence if first else {},
    )
