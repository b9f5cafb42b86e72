"""Which requirements of a profile a product is certified against (its scope), and which may not apply.

The rule, decided here once and used by every entry point:

* A profile certifies the capabilities of its requirements. A product is in scope for those it implements;
  it must implement at least one, or it is **not certifiable** under the profile (ScopeError, exit 2).
* ``scope.requires`` in a profile names capabilities a product must implement alongside another (national:
  a credit product must also implement resilience). A product lacking one is **not certifiable** (exit 2,
  naming the capability and the MUST requirements it would escape): a product never escapes a requirement
  by not declaring a capability.
* Requirements of capabilities outside the product's scope are ``not_applicable`` with that rule recorded,
  and the verdict (and certificate) states the scope. Within the scope, a requirement is ``not_applicable``
  only by its own ``not_applicable_when`` rule (e.g. an exempt lender type).
"""

from __future__ import annotations

from harness.documents.verdict import Scope
from harness.errors import ScopeError
from harness.manifests import Manifest
from harness.profiles import Profile, Requirement


def product_scope(profile: Profile, manifest: Manifest) -> Scope:
    """The product's scope under the profile, or ScopeError naming the manifest field and the fix."""
    where = f"{manifest.root / 'product.yaml'}: capabilities"
    declared = set(manifest.capabilities)
    certified = [c for c in profile.capabilities if c in declared]
    if not certified:
        raise ScopeError(
            f"{where}: the product implements none of the capabilities profile {profile.id!r} certifies "
            f"({', '.join(profile.capabilities)}); it is not certifiable under this profile (declared: "
            f"{', '.join(sorted(declared)) or 'none'})")
    for capability in certified:
        for needed in profile.scope.requires.get(capability, []):
            if needed not in declared:
                musts = [r.id for r in profile.requirements if r.capability == needed and r.level == "MUST"]
                raise ScopeError(
                    f"{where}: profile {profile.id!r} requires capability {needed!r} of every {capability!r} "
                    f"product (MUST {', '.join(musts) or 'none'}); implement its contract and declare "
                    f"'{needed}: {{contract: \"1\"}}' — without it the product is not certifiable here")
    return Scope(capabilities=certified, excluded=[c for c in profile.capabilities if c not in declared],
                 required={k: list(v) for k, v in profile.scope.requires.items()})


def not_applicable_rule(req: Requirement, manifest: Manifest, scope: Scope) -> str | None:
    """The profile rule that makes ``req`` not applicable to this product, or None when it applies."""
    if req.capability not in scope.capabilities:
        return (f"scope: capability {req.capability!r} is outside this product's certified scope "
                f"({', '.join(scope.capabilities)})")
    rule = req.not_applicable_when
    if rule is not None and rule.applies(manifest.lender_type, manifest.implemented(req.capability)):
        if rule.unless_operations:
            return f"{req.id}.not_applicable_when: {rule.describe()}"
        return f"{req.id}.not_applicable_when: lender type {manifest.lender_type}: {rule.describe()}"
    return None
