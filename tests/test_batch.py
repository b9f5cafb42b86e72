"""The credit contract's optional batch operation: declared per product, checked against single decisions
(NAT-IFACE-003), not applicable by the profile's rule to a product without it, and used by the other credit
checks only where declared. Bad declarations are one clear message (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from conftest import REFERENCE_CREDIT, ROOT, product_copy
from hypothesis import given
from hypothesis import strategies as st

from harness.api import certify, statuses
from harness.cli import main
from harness.contracts.base import encode_json, load_contract, to_json
from harness.contracts.credit import CreditClient
from harness.errors import CertificationFailure, ManifestError
from harness.manifests import load_manifest
from harness.profiles import NotApplicableRule

ONE_RATE = ROOT / "tests" / "defects" / "credit-batch-one-rate"


def _manifest_with(folder: Path, credit: dict[str, Any]) -> Path:
    data = yaml.safe_load((folder / "product.yaml").read_text(encoding="utf-8"))
    data["capabilities"]["credit"] = credit
    (folder / "product.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


@pytest.mark.unit
def test_only_the_credit_contract_marks_decide_batch_optional() -> None:
    assert load_contract("credit").optional_operations == ["decide_batch"]
    assert load_manifest(REFERENCE_CREDIT).implemented("credit") == frozenset({"decide_batch"})
    assert load_manifest(ROOT / "tests" / "defects" / "credit-apr-wrong-base").implemented("credit") == frozenset()


@pytest.mark.unit
def test_an_unknown_optional_operation_is_refused_naming_file_field_and_fix(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    product = _manifest_with(product_copy(REFERENCE_CREDIT, tmp_path / "p"),
                             {"contract": "1", "operations": ["decide_fast"]})
    with pytest.raises(ManifestError, match=r"capabilities\.credit\.operations: decide_fast is not an optional "
                                            r"operation of the credit contract; list only decide_batch"):
        load_manifest(product)
    code = main(["certify", str(product), "--profile", "chongqing", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "product.yaml" in err and "Traceback" not in err


@pytest.mark.unit
@pytest.mark.parametrize("rule", [{"reason": "x"}, {"lender_types": ["pawnshop"], "unless_operations": ["decide_batch"],
                                                      "reason": "x"}])
def test_a_not_applicable_rule_has_exactly_one_condition(rule: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="exactly one condition"):
        NotApplicableRule.model_validate(rule)


@pytest.mark.unit
def test_the_batch_rule_applies_only_without_the_operation() -> None:
    rule = NotApplicableRule(unless_operations=["decide_batch"], reason="about the batch operation")
    assert rule.applies("rural_commercial_bank", frozenset()) is True
    assert rule.applies("rural_commercial_bank", frozenset({"decide_batch"})) is False


@pytest.mark.unit
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text() | st.decimals(allow_nan=False)
                    | st.dates(), lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner,
                                                                                              max_size=3),
                    max_leaves=10).filter(lambda body: body is not None))  # None: send() sends no body at all
def test_one_pass_encoding_sends_the_bytes_httpx_sent_for_the_json_ready_copy(body: Any) -> None:
    assert encode_json(body) == httpx.Request("POST", "http://x", json=to_json(body)).content


class _Answer(httpx.BaseTransport):
    def __init__(self, decisions: list[dict[str, Any]]) -> None:
        self.decisions = decisions

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"decisions": self.decisions})


def _decision(app_id: str) -> dict[str, Any]:
    return {"application_id": app_id, "outcome": "declined", "automatic": True, "credit_limit": "0.00",
            "amount": None, "apr": None, "term_months": None, "repayment_type": None, "lender_share": None,
            "reason_codes": ["LOW_INCOME"]}


@pytest.mark.unit
def test_a_batch_answer_out_of_order_or_short_is_a_failure_with_the_exchange() -> None:
    from harness.strategies.credit import risk_grid

    apps = risk_grid()[:3]
    for answer in ([_decision(a["application_id"]) for a in apps][::-1], [_decision(apps[0]["application_id"])]):
        http = httpx.Client(transport=_Answer(answer), base_url="http://product")
        client = CreditClient(http, frozenset({"decide_batch"}))
        with pytest.raises(CertificationFailure, match="not one per application in order") as info:
            client.decide_many(apps)
        assert info.value.evidence["exchange"]["request"]["applications"][0]["application_id"] == "grid-0"


@pytest.mark.unit
def test_without_the_declaration_the_client_decides_one_application_at_a_time() -> None:
    from harness.strategies.credit import risk_grid

    seen: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ["PATH_INFO"])
        body = json.loads(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(_decision(body["application_id"])).encode()]

    client = CreditClient(httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://product"))
    decisions = client.decide_many(risk_grid()[:4])
    assert [d["application_id"] for d in decisions] == [f"grid-{i}" for i in range(4)]
    assert seen == ["/v1/decisions"] * 4


def test_batch_equivalence_is_not_applicable_without_the_operation_and_fails_a_diverging_batch() -> None:
    without = certify(ROOT / "tests" / "defects" / "credit-apr-wrong-base", "chongqing", only=["NAT-IFACE-003"])
    result = next(r for r in without["requirements"] if r["id"] == "NAT-IFACE-003")
    assert result["status"] == "not_applicable"
    assert "does not implement decide_batch" in result["message"]
    diverging = certify(ONE_RATE, "chongqing", only=["NAT-IFACE-003"])
    result = next(r for r in diverging["requirements"] if r["id"] == "NAT-IFACE-003")
    assert result["status"] == "failed" and "decided differently from the same application alone" in result["message"]
    assert "apr: batch" in result["message"]
    batch = result["counterexample"]["applications"]
    assert len({a["contract_date"] for a in batch}) > 1, "the batch mixes rate periods"
    reference = certify(REFERENCE_CREDIT, "chongqing", only=["NAT-IFACE-003"])
    assert statuses(reference)["NAT-IFACE-003"] == "passed"


@pytest.mark.unit
def test_a_misspelt_operation_in_a_not_applicable_rule_is_refused_so_it_cannot_exempt_every_product() -> None:
    from harness.checks.registry import build_params
    from harness.errors import ProfileError
    from harness.profiles import load_profile

    req = load_profile("chongqing").requirement("NAT-IFACE-003")
    typo = req.model_copy(update={"not_applicable_when": NotApplicableRule(unless_operations=["decide_bacth"],
                                                                           reason="typo")})
    with pytest.raises(ProfileError, match=r"NAT-IFACE-003: not_applicable_when\.unless_operations: decide_bacth "
                                           r"is not an optional operation of the credit contract; list only "
                                           r"decide_batch"):
        build_params(typo)
    build_params(req)  # the shipped rule names a real optional operation
