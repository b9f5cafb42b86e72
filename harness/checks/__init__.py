"""Checks, one module per capability, registered by name with ``@check``.

Checks know the capability contracts and the profile's parameters, nothing about how the product runs:
they never import a runner (optional abilities such as restart come through ``ctx.control``).
"""

from harness.checks import credit_model, credit_rules, credit_schedule, interface
from harness.checks.context import CheckContext
from harness.checks.registry import CheckSpec, Params, check, get_check, registered, validate_profile

__all__ = [
    "CheckContext",
    "CheckSpec",
    "Params",
    "check",
    "credit_model",
    "credit_rules",
    "credit_schedule",
    "get_check",
    "interface",
    "registered",
    "validate_profile",
]
