"""Error taxonomy.

Two families, never mixed up (see Schemathesis ``core/failures.py`` and Allure's status rule):

* :class:`HarnessError` and subclasses: the *tool*, the input given to it, or the environment is wrong.
  In a certification run these make a requirement ``broken`` (could not be evaluated); on the command
  line they are one clear line and exit code 2.
* :class:`CertificationFailure` (an ``AssertionError``): the *product* misbehaved. Allure shows it as
  ``failed``; the verdict counts it against the product.
"""

from __future__ import annotations

from typing import Any


class HarnessError(Exception):
    """Base class for problems of the harness, its input or its environment."""


class IncorrectUsage(HarnessError):
    """A command-line argument or option is wrong."""


class ProfileError(HarnessError):
    """A sandbox profile file is missing or invalid."""


class ManifestError(HarnessError):
    """A product manifest (``product.yaml``) is missing or invalid."""


class ScopeError(HarnessError):
    """The product is not certifiable under the profile (it lacks a capability the profile requires)."""


class RunnerError(HarnessError):
    """The runner could not provide the product (environment problem, e.g. no Docker engine)."""


class ContractError(HarnessError):
    """A contract document shipped with the harness is unusable (a harness bug)."""


class NotEvaluable(Exception):
    """The requirement applies, but this run cannot evaluate it (reported as ``not_evaluated`` with the reason;
    a MUST makes the verdict INCOMPLETE). Whether a requirement *applies* is the profile's decision
    (harness.scope), never a check's."""


class RunnerLimitation(NotEvaluable):
    """This runner cannot evaluate the requirement (e.g. a crash test in-process); ``--runner docker`` can."""


class CertificationFailure(AssertionError):
    """The product violated a requirement.

    ``counterexample`` holds the (shrunk) input that shows it, as JSON-ready data; ``evidence`` holds
    extra named attachments (request/response pairs, logs, tables).
    """

    def __init__(
        self,
        message: str,
        *,
        counterexample: Any = None,
        evidence: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.counterexample = counterexample
        self.evidence: dict[str, Any] = dict(evidence or {})


class ProductError(CertificationFailure):
    """The product answered garbage, a 5xx, did not answer in time, or died."""


class ProductStartError(ProductError):
    """The product could not be started (import error, crash on start, never became ready)."""
