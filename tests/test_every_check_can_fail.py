"""A check that cannot fail is a defect: every registered check is used by a profile and is the target of
at least one seeded-defect product (whose own test asserts it fails there while the reference passes)."""

from __future__ import annotations

import pytest
from conftest import ROOT

from harness.checks import registered
from harness.manifests import load_manifest
from harness.profiles import available_profiles, load_profile

pytestmark = pytest.mark.unit


def _checks_by_requirement() -> dict[str, str]:
    return {r.id: r.check for name in available_profiles() for r in load_profile(name).requirements}


def test_every_seeded_defect_declares_requirements_that_exist() -> None:
    known = _checks_by_requirement()
    for folder in sorted((ROOT / "tests" / "defects").iterdir()):
        manifest = load_manifest(folder)
        assert manifest.seeded_defect is not None, f"{folder.name}: add seeded_defect to product.yaml"
        unknown = set(manifest.seeded_defect.requirements) - known.keys()
        assert not unknown, f"{folder.name} targets unknown requirements {unknown}"


def test_every_check_is_in_a_profile_and_has_a_seeded_defect() -> None:
    by_requirement = _checks_by_requirement()
    targeted = {by_requirement[req] for folder in (ROOT / "tests" / "defects").iterdir()
                for req in load_manifest(folder).seeded_defect.requirements}  # type: ignore[union-attr]
    checks = set(registered())
    assert checks <= set(by_requirement.values()), f"checks in no profile: {checks - set(by_requirement.values())}"
    assert checks <= targeted, f"checks no seeded defect can fail: {sorted(checks - targeted)}"
