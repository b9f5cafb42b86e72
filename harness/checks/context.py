"""What a check receives: the requirement, its product clients, and Hypothesis wired to the profile.

A check never learns how the product runs; optional abilities (restart, logs) go through
:class:`ProductControl`, which the runner implements.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, Protocol, TypeVar

import httpx
from hypothesis import HealthCheck, Phase, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Flaky

from harness.contracts.base import ContractClient, to_json
from harness.errors import CertificationFailure
from harness.manifests import Manifest
from harness.profiles import Profile, Requirement

C = TypeVar("C", bound=ContractClient)


class ProductControl(Protocol):
    """Optional abilities of the runner; each raises NotApplicable (→ skipped) where unsupported."""

    def restart(self, *, kill: bool = True) -> float: ...
    def logs(self) -> str: ...
    def data_dir(self) -> Path: ...
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
    http: httpx.Client
    control: ProductControl
    evidence: dict[str, Any] = field(default_factory=dict)
    examples: int = 0
    _clients: dict[type, ContractClient] = field(default_factory=dict)

    def client(self, cls: type[C]) -> C:
        if cls not in self._clients:
            self._clients[cls] = cls(self.http)
        return self._clients[cls]  # type: ignore[return-value]

    def settings(self, **overrides: Any) -> settings:
        parent = settings.get_profile(hypothesis_profile(self.profile))
        if self.requirement.max_examples is not None:
            overrides.setdefault("max_examples", self.requirement.max_examples)
        return settings(parent, **overrides)

    def given(self, **strategies: Any) -> Callable[[Callable[..., None]], Callable[[], None]]:
        """Like ``@hypothesis.given`` with keyword strategies, run under the profile's budget and the run
        seed; a failure carries the shrunk example as its counterexample (so draw everything up front:
        ``st.data()`` draws would not be recorded)."""

        def decorate(prop: Callable[..., None]) -> Callable[[], None]:
            @functools.wraps(prop)
            def example(**kwargs: Any) -> None:
                self.examples += 1
                try:
                    prop(**kwargs)
                except CertificationFailure as exc:
                    if exc.counterexample is None:
                        exc.counterexample = to_json(kwargs)
                    raise

            from hypothesis import given

            test = hypothesis_seed(self.seed)(self.settings()(given(**strategies)(example)))

            def run() -> None:
                try:
                    with shrink_time_limit(self.profile.hypothesis.shrink_seconds):
                        test()
                except Flaky as exc:
                    raise _not_reproducible(exc) from None

            return run

        return decorate

    def run_state_machine(self, machine: Callable[[], Any], **overrides: Any) -> None:
        """Run a Hypothesis ``RuleBasedStateMachine`` (a model of what the product must hold) against the
        product under the profile's budget and the run seed; a failure carries the shrunk sequence of
        operations as its counterexample."""
        from hypothesis.stateful import get_state_machine_test

        def counted() -> Any:
            self.examples += 1  # one generated sequence of operations
            return machine()

        test = get_state_machine_test(counted, settings=self.settings(**overrides))  # type: ignore[arg-type]
        try:
            with shrink_time_limit(self.profile.hypothesis.shrink_seconds):
                hypothesis_seed(self.seed)(test)()
        except Flaky as exc:
            raise _not_reproducible(exc) from None
        except CertificationFailure as exc:
            steps = [line for note in getattr(exc, "__notes__", []) for line in note.splitlines()]
            if exc.counterexample is None and steps:
                exc.counterexample = {"steps": steps}
            raise

    def fail(self, message: str, *, counterexample: Any = None, **evidence: Any) -> NoReturn:
        raise CertificationFailure(message, counterexample=counterexample, evidence=to_json(evidence))

    def attach(self, name: str, data: Any) -> None:
        """Keep a named piece of evidence (JSON data, text, or PNG bytes) for the report."""
        self.evidence[name] = data


@contextmanager
def shrink_time_limit(seconds: float) -> Iterator[None]:
    """Bound the time Hypothesis spends shrinking one failure. Every shrink step is a round trip to the
    product, so Hypothesis' default (300 s) is far too long for a certification run. Hypothesis has no
    public setting for this; the engine constant is patched only where it exists."""
    from hypothesis.internal.conjecture import engine

    previous = getattr(engine, "MAX_SHRINKING_SECONDS", None)
    if previous is None:
        yield
        return
    engine.MAX_SHRINKING_SECONDS = seconds  # type: ignore[assignment]
    try:
        yield
    finally:
        engine.MAX_SHRINKING_SECONDS = previous


def _not_reproducible(exc: Flaky) -> CertificationFailure:
    inner = [e for e in getattr(exc, "exceptions", ()) if isinstance(e, CertificationFailure)]
    first = inner[0] if inner else None
    message = first.message if first else str(exc).splitlines()[0]
    return CertificationFailure(
        f"failure not reproducible on replay (the product answers differently to the same input): {message}",
        counterexample=first.counterexample if first else None,
        evidence=first.evidence if first else {},
    )
