"""The check registry (cf. Schemathesis ``core/registries.py``).

``@check("credit.apr_cap", params=AprCapParams)`` registers a function ``fn(ctx, params)``. The params
model (pydantic, unknown keys forbidden) is filled from the requirement's ``parameters`` in the profile,
so every figure lives in the profile, never in the check.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from harness._yaml import did_you_mean
from harness.errors import IncorrectUsage, ProfileError

if TYPE_CHECKING:
    from harness.checks.context import CheckContext
    from harness.profiles import Profile, Requirement


class Params(BaseModel):
    """Base for check parameters: unknown keys are rejected with the list of valid ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)


P = TypeVar("P", bound=Params)
CheckFunc = Callable[["CheckContext", Any], None]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    func: CheckFunc
    params_model: type[Params]
    description: str
    timed: bool = False  # it measures time (throughput, latency, recovery): with --jobs it runs alone

    @property
    def capability(self) -> str:
        return self.name.split(".", 1)[0]


_REGISTRY: dict[str, CheckSpec] = {}


def check(name: str, *, params: type[Params] = Params, timed: bool = False) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check under ``capability.name``; a duplicate name is a usage error. ``timed``: the check
    measures time, so a parallel run (harness/jobs.py) checks it alone, after the others."""

    def register(func: CheckFunc) -> CheckFunc:
        if name in _REGISTRY:
            raise IncorrectUsage(f"check {name!r} is registered twice ({_REGISTRY[name].func.__module__})")
        doc = (func.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = CheckSpec(name, func, params, doc[0] if doc else "", timed)
        return func

    return register


def registered() -> dict[str, CheckSpec]:
    _load_builtin_checks()
    return dict(_REGISTRY)


def get_check(name: str) -> CheckSpec:
    _load_builtin_checks(name.split(".", 1)[0])
    if name not in _REGISTRY:
        _load_builtin_checks()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise IncorrectUsage(f"no check named {name!r}{did_you_mean(name, _REGISTRY)}") from None


def build_params(req: Requirement) -> Params:
    """Validate a requirement's parameters against its check; errors name the profile file and field."""
    where = f"{req.defined_in or 'profile'}: requirement {req.id}"
    _load_builtin_checks(req.check.split(".", 1)[0])
    spec = _REGISTRY.get(req.check)
    if spec is None:
        _load_builtin_checks()  # for the "did you mean" list
        spec = _REGISTRY.get(req.check)
    if spec is None:
        raise ProfileError(
            f"{where}: check: no check named {req.check!r}{did_you_mean(req.check, _REGISTRY)}"
        )
    if spec.capability != req.capability:
        raise ProfileError(f"{where}: capability: check {req.check} belongs to {spec.capability!r}, "
                           f"not {req.capability!r}; fix the capability")
    rule = req.not_applicable_when
    if rule is not None and rule.unless_operations:  # a misspelt operation would exempt every product
        from harness.contracts.base import load_contract

        optional = load_contract(req.capability).optional_operations
        unknown = sorted(set(rule.unless_operations) - set(optional))
        if unknown:
            raise ProfileError(f"{where}: not_applicable_when.unless_operations: {', '.join(unknown)} "
                               f"{'is' if len(unknown) == 1 else 'are'} not an optional operation of the "
                               f"{req.capability} contract; list only {', '.join(optional) or 'nothing'}")
    try:
        return spec.params_model.model_validate(req.parameters)
    except ValidationError as exc:
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")  # a typo explains "missing"
        err = errors[0]
        field = ".".join(str(p) if str(p).isprintable() else repr(str(p)) for p in err["loc"])  # one line
        valid = ", ".join(spec.params_model.model_fields)
        if err["type"] == "extra_forbid" or err["type"] == "extra_forbidden":
            raise ProfileError(f"{where}: parameters.{field}: unknown parameter for {req.check} "
                               f"(valid: {valid}){did_you_mean(field, spec.params_model.model_fields)}") from None
        if err["type"] == "missing":
            raise ProfileError(f"{where}: parameters.{field}: required by {req.check}; add it") from None
        raise ProfileError(f"{where}: parameters.{field}: {err['msg']} (got {err.get('input')!r})") from None


def validate_profile(profile: Profile) -> dict[str, Params]:
    """Check every requirement of a profile against the registry; returns params by requirement ID."""
    return {req.id: build_params(req) for req in profile.requirements}


_LOADED: set[str] = set()
_INFRASTRUCTURE = {"registry", "context", "common", "statistics"}
_EVERY_CAPABILITY = {"conformance"}  # modules registering a check for each capability (<capability>.conformance)


def _load_builtin_checks(capability: str | None = None) -> None:
    """Import the check modules of ``harness.checks`` (each registers its checks) once. Modules are named
    after their capability (``credit_rules``, ``ledger_chain``, ``resilience``), so a run imports only
    what its profile needs: a credit-only run never imports the AI or blockchain libraries."""
    import harness.checks as package

    for info in pkgutil.iter_modules(package.__path__):
        name = info.name
        if name in _INFRASTRUCTURE or name.startswith("_") or name in _LOADED:
            continue
        if (capability is None or name == capability or name.startswith(capability + "_")
                or name in _EVERY_CAPABILITY):
            importlib.import_module(f"harness.checks.{name}")
            _LOADED.add(name)
