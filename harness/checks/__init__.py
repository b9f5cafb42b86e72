"""Checks, one module per capability, registered by name with ``@check``.

Checks know the capability contracts and the profile's parameters, nothing about how the product runs:
they never import a runner (optional abilities such as restart come through ``ctx.control``). Every
module in this package is imported on first use of the registry, so a new capability is a new module.
"""

from harness.checks.context import CheckContext
from harness.checks.registry import CheckSpec, Params, check, get_check, registered, validate_profile

__all__ = ["CheckContext", "CheckSpec", "Params", "check", "get_check", "registered", "validate_profile"]
