"""Scope: a product is certified for the capabilities it implements that the profile certifies; it cannot
escape a MUST by not declaring a capability the profile requires alongside another (exit 2, one line naming
the capability), and a requirement is not_applicable only by a profile rule, which is recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import QUICK, REFERENCE_CREDIT, ROOT, product_copy

from harness.api import certify, statuses
from harness.cli import main
from harness.errors import ScopeError
from harness.manifests import load_manifest
from harness.profiles import load_profile
from harness.scope import product_scope


def _edit_manifest(folder: Path, **changes: object) -> Path:
    data = yaml.safe_load((folder / "product.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    (folder / "product.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


@pytest.mark.unit
def test_declared_capabilities_put_credit_and_resilience_in_scope() -> None:
    scope = product_scope(load_profile("chongqing"), load_manifest(REFERENCE_CREDIT))
    assert scope.capabilities == ["credit", "resilience"] and scope.excluded == []


@pytest.mark.unit
def test_a_credit_product_without_resilience_is_not_certifiable(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    product = _edit_manifest(product_copy(REFERENCE_CREDIT, tmp_path / "p"), capabilities={"credit": {"contract": "1"}})
    with pytest.raises(ScopeError, match="requires capability 'resilience'"):
        product_scope(load_profile("chongqing"), load_manifest(product))
    code = main(["certify", str(product), "--profile", "chongqing", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1, err
    assert "capabilities" in err and "'resilience'" in err and "NAT-RES-001" in err
    assert not (tmp_path / "out" / "verdict.json").exists()  # nothing ran, nothing to sign


@pytest.mark.unit
def test_no_capability_at_all_is_not_certifiable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    product = _edit_manifest(product_copy(REFERENCE_CREDIT, tmp_path / "p"), capabilities={})
    code = main(["certify", str(product), "--profile", "chongqing"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "implements none of the capabilities" in err and len(err.splitlines()) == 1


def test_capabilities_outside_the_scope_are_not_applicable_with_the_rule() -> None:
    doc = certify(ROOT / "products/chain-ledger", "hangzhou", only=["BC-LEDGER-001"])
    assert doc["scope"]["capabilities"] == ["ledger"] and "credit" in doc["scope"]["excluded"]
    credit = [r for r in doc["requirements"] if r["capability"] == "credit"]
    assert credit and {r["status"] for r in credit} == {"not_applicable"}
    assert all(r["rule"].startswith("scope: capability 'credit'") for r in credit)


def test_an_exempt_lender_type_makes_the_apr_cap_not_applicable_by_the_profile_rule(tmp_path: Path) -> None:
    product = _edit_manifest(product_copy(REFERENCE_CREDIT, tmp_path / "p"), lender_type="microcredit_company")
    doc = certify(product, QUICK, only=["NAT-CREDIT-001", "NAT-CREDIT-003"])
    apr = next(r for r in doc["requirements"] if r["id"] == "NAT-CREDIT-001")
    assert apr["status"] == "not_applicable" and "NAT-CREDIT-001.not_applicable_when" in apr["rule"]
    assert "Fa Shi [2020] No. 27" in apr["rule"]
    assert statuses(doc)["NAT-CREDIT-003"] == "passed"


def test_the_default_in_process_run_is_incomplete_and_says_how_to_complete_it() -> None:
    doc = certify(REFERENCE_CREDIT, QUICK, only=["NAT-CREDIT-003", "NAT-RES-001", "NAT-RES-002", "NAT-RES-003",
                                                 "NAT-RES-004"])
    assert doc["verdict"] == "INCOMPLETE"
    assert {statuses(doc)[f"NAT-RES-00{i}"] for i in range(1, 5)} == {"not_evaluated"}
    assert "NAT-RES-001 [MUST] not_evaluated" in " ".join(doc["reasons"])
