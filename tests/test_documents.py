"""Typed output documents: the committed JSON Schemas in schemas/ are what the models export, every document a
real run writes validates against its schema, and a document that does not parse is one line, exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import QUICK, ROOT
from jsonschema import Draft202012Validator

from harness.api import certify
from harness.campaign import COLOURS, STATUS_COLOURS, VERDICT_COLOURS, VERDICT_STYLE, write_matrix
from harness.cli import main
from harness.documents.base import DocumentError, parse_document
from harness.documents.bundle import BundleManifest, EnvironmentDocument
from harness.documents.campaign import CampaignDocument, PairResult, read_campaign
from harness.documents.certificate import CertificatePredicate, read_predicate
from harness.documents.export import DOCUMENTS, document_schemas, export_schemas, render
from harness.documents.replay import ReplayDocument
from harness.documents.verdict import VerdictDocument
from harness.evidence.bundle import write_manifest
from harness.evidence.certificate import load_private_key, payload_of, sign_statement
from harness.verdict import STATUSES

SCHEMAS = ROOT / "schemas"
REFERENCE = ROOT / "products" / "rural-microloan"
DEFECT = ROOT / "tests" / "defects" / "credit-purpose-gap"  # fails NAT-CREDIT-004
MINI = str(ROOT / "tests" / "profiles" / "evidence-mini.yaml")


def cli(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str, *needles: str) -> None:
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, err


# -- the committed schemas -----------------------------------------------------------------------------
@pytest.mark.unit
def test_committed_schemas_are_what_the_models_export() -> None:
    exported = document_schemas()
    committed = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
    assert committed == sorted(exported), "run `./sandbox schema --documents schemas/` and commit schemas/"
    for name, schema in exported.items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == render(schema), (
            f"schemas/{name} drifted from its model; run `./sandbox schema --documents schemas/`")
        Draft202012Validator.check_schema(schema)


@pytest.mark.unit
def test_sandbox_schema_documents_writes_the_same_files(tmp_path: Path, capsys) -> None:
    code, out, _ = cli(capsys, "schema", "--documents", tmp_path / "out")
    assert code == 0 and "wrote 6 document schemas" in out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(document_schemas())
    for path in export_schemas(tmp_path / "again"):
        assert path.read_text() == (tmp_path / "out" / path.name).read_text() == (SCHEMAS / path.name).read_text()


@pytest.mark.unit
def test_every_document_has_a_schema_version() -> None:
    for name, (model, _, _) in DOCUMENTS.items():
        assert "schema_version" in model.model_fields, name
        assert document_schemas()[f"{name}.schema.json"]["additionalProperties"] is False, name


# -- what runs write validates against the schemas -----------------------------------------------------
@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A partial run (INCOMPLETE), a failing one (with a replay file), a complete one and a tiny campaign, all
    in-process; the signed docker run of the session (conftest ``docker_signed``) gives the certificate."""
    base = tmp_path_factory.mktemp("documents")
    partial = certify(REFERENCE, QUICK, only=["NAT-CREDIT-003"], out=base / "run", allure=True)
    assert partial["verdict"] == "INCOMPLETE"
    failing = certify(DEFECT, QUICK, only=["NAT-CREDIT-004"], out=base / "defect", allure=True)
    assert failing["verdict"] == "NOT_CERTIFIED"
    signable = certify(REFERENCE, MINI, out=base / "mini", allure=True)
    assert signable["verdict"] == "CERTIFIED"
    assert main(["keygen", str(base / "keys" / "officer")]) == 0
    ledger_only = base / "ledger-only.yaml"  # a profile the product does not fit: a not_applicable pair
    ledger_only.write_text(Path(MINI).read_text().replace("id: evidence-mini", "id: ledger-only")
                           .replace("capability: credit", "capability: ledger"))
    assert main(["campaign", "--profiles", MINI, str(ledger_only), "--products", str(REFERENCE),
                 "--out", str(base / "campaign"), "--workers", "1"]) == 0
    return {"base": base, "run": base / "run", "defect": base / "defect", "mini": base / "mini",
            "key": base / "keys" / "officer", "campaign": base / "campaign"}


def documents(produced: dict[str, Path], signed: dict[str, Path] | None = None) -> list[tuple[str, Path, Any]]:
    """(schema name, file, JSON) of every document the runs above wrote (and the signed docker run's)."""
    files: list[tuple[str, Path]] = []
    bundles = [produced[k] for k in ("run", "defect", "mini")] + ([signed["bundle"]] if signed else [])
    bundles += [p.parent for p in produced["campaign"].glob("*/bundle.json")]
    for bundle in bundles:
        files += [(name, bundle / f"{name}.json") for name in ("verdict", "bundle", "environment")]
        files += [("replay", path) for path in sorted((bundle / "replay").glob("*.json"))]
    files.append(("campaign", produced["campaign"] / "campaign.json"))
    found = [(name, path, json.loads(path.read_text(encoding="utf-8"))) for name, path in files]
    if signed:
        statement = payload_of(json.loads(signed["cert"].read_text()))
        found.append(("certificate-predicate", signed["cert"], statement["predicate"]))
    return found


def validate(found: list[tuple[str, Path, Any]]) -> None:
    schemas = {name: json.loads((SCHEMAS / f"{name}.schema.json").read_text()) for name in DOCUMENTS}
    for name, path, data in found:
        validator = Draft202012Validator(schemas[name], format_checker=Draft202012Validator.FORMAT_CHECKER)
        problems = [f"{'.'.join(map(str, e.absolute_path)) or '(document)'}: {e.message}"
                    for e in validator.iter_errors(data)]
        assert problems == [], f"{path} against schemas/{name}.schema.json: {problems[:3]}"
        model = DOCUMENTS[name][0]
        parsed = parse_document(model, data, str(path))  # and it parses through its model, unchanged
        assert parsed.model_dump(mode="json") == data, path


def test_every_produced_document_validates_against_its_schema(produced) -> None:
    found = documents(produced)
    kinds = {name for name, _, _ in found}
    unsigned = set(DOCUMENTS) - {"certificate-predicate"}  # only a docker run is signed: next test
    assert kinds == unsigned, f"no document of kind {unsigned - kinds} was produced"
    assert [p for n, p, _ in found if n == "replay"] == [produced["defect"] / "replay" / "NAT-CREDIT-004.json"]
    validate(found)


@pytest.mark.container
def test_a_signed_docker_run_s_documents_validate_against_their_schemas(produced, docker_signed) -> None:
    found = documents(produced, docker_signed)
    assert {name for name, _, _ in found} == set(DOCUMENTS)
    validate([f for f in found if f[1].is_relative_to(docker_signed["base"])])


def test_documents_say_what_the_runs_did(produced) -> None:
    partial = VerdictDocument.model_validate_json((produced["run"] / "verdict.json").read_bytes())
    manifest = BundleManifest.model_validate_json((produced["run"] / "bundle.json").read_bytes())
    environment = EnvironmentDocument.model_validate_json((produced["run"] / "environment.json").read_bytes())
    assert manifest.verdict == partial.verdict == "INCOMPLETE" and manifest.as_of == partial.as_of
    assert manifest.product.digest == partial.product.digest and manifest.profile.digest == partial.profile.digest
    assert environment.harness == partial.harness.version and environment.seed == partial.seed
    replay = ReplayDocument.model_validate_json((produced["defect"] / "replay" / "NAT-CREDIT-004.json").read_bytes())
    assert replay.requirement == "NAT-CREDIT-004" and replay.requests and replay.counterexample
    campaign = read_campaign(produced["campaign"] / "campaign.json")
    (pair,) = campaign.pairs
    assert (pair.verdict, pair.exit_code, pair.rerun) == ("CERTIFIED", 0, True)
    assert set(pair.counts) == set(STATUSES) and pair.counts["passed"] == 3
    assert [(p.product, p.profile) for p in campaign.not_applicable] == [("rural-microloan", "ledger-only")]


@pytest.mark.container
def test_the_certificate_predicate_says_what_was_signed(docker_signed) -> None:
    predicate = read_predicate(payload_of(json.loads(docker_signed["cert"].read_text())))
    assert predicate.verdict == "CERTIFIED" and predicate.signer.name == "Li Wei" and predicate.runner == "docker"
    assert predicate.validity.notAfter.year == predicate.validity.notBefore.year + 3


@pytest.mark.container
def test_a_predicate_signed_before_schema_version_parses_as_version_1(docker_signed) -> None:
    predicate = payload_of(json.loads(docker_signed["cert"].read_text()))["predicate"]
    del predicate["schema_version"]
    assert parse_document(CertificatePredicate, predicate, "old").schema_version == 1
    predicate["requirements"][0]["status"] = "skipped"  # the old status vocabulary does not parse
    with pytest.raises(DocumentError, match=r"^old: requirements\.0\.status: Input should be 'passed'"):
        parse_document(CertificatePredicate, predicate, "old")


# -- documents that do not parse: one line naming the file and the field, exit 2 ------------------------
def test_a_replay_file_that_does_not_parse_is_one_line(produced, tmp_path, capsys) -> None:
    bundle = tmp_path / "defect"
    shutil.copytree(produced["defect"], bundle)
    replay = bundle / "replay" / "NAT-CREDIT-004.json"
    data = json.loads(replay.read_text())
    data["requests"][0]["method"] = 5
    replay.write_text(json.dumps(data))
    code, _, err = cli(capsys, "replay", bundle, "--product", DEFECT)
    assert code == 2
    one_line_error(err, f"{bundle}: replay/NAT-CREDIT-004.json: requests.0.method:", "not a replay file")


@pytest.mark.container
def test_a_signed_predicate_that_does_not_parse_is_one_line(docker_signed, tmp_path, capsys) -> None:
    statement = payload_of(json.loads(docker_signed["cert"].read_text()))
    del statement["predicate"]["signer"]
    envelope = sign_statement(statement, load_private_key(docker_signed["key"]))
    (tmp_path / "odd.json").write_text(json.dumps(envelope))
    code, _, err = cli(capsys, "verify", tmp_path / "odd.json", "--key", docker_signed["pub"])
    assert code == 2
    one_line_error(err, f"{tmp_path / 'odd.json'}: predicate: signer: Field required", "certificate predicate")


def test_an_old_bundle_manifest_is_refused_by_sign_in_one_line(produced, tmp_path, capsys) -> None:
    bundle = tmp_path / "mini"
    shutil.copytree(produced["mini"], bundle)
    data = json.loads((bundle / "bundle.json").read_text())
    del data["schema_version"]
    (bundle / "bundle.json").write_text(json.dumps({"schema": "sandbox-bundle/1", **data}))
    write_manifest(bundle)  # intact as a bundle; only the document is of the old format
    code, _, err = cli(capsys, "sign", bundle, "--key", produced["key"], "--signer", "A", "--role", "B")
    assert code == 2
    one_line_error(err, f"{bundle}: bundle.json: schema: Extra inputs are not permitted", "schema version 2")


def test_an_old_campaign_json_is_refused_by_rerun_failed_in_one_line(produced, tmp_path, capsys) -> None:
    out = tmp_path / "campaign"
    out.mkdir()
    data = json.loads((produced["campaign"] / "campaign.json").read_text())
    del data["schema_version"]
    (out / "campaign.json").write_text(json.dumps({"schema": "sandbox-campaign/1", **data}))
    code, _, err = cli(capsys, "campaign", "--profiles", MINI, "--products", REFERENCE, "--out", out,
                       "--rerun-failed")
    assert code == 2
    one_line_error(err, f"{out / 'campaign.json'}: schema: Extra inputs are not permitted", "without --rerun-failed")


# -- the campaign shows the new statuses and verdicts -------------------------------------------------
@pytest.mark.unit
def test_campaign_colours_every_status_and_incomplete_is_not_green(tmp_path) -> None:
    assert set(STATUS_COLOURS) == set(STATUSES)
    assert set(VERDICT_COLOURS) == set(VERDICT_STYLE) == {"CERTIFIED", "CERTIFIED_WITH_FINDINGS", "NOT_CERTIFIED",
                                                          "INCOMPLETE"}
    assert "green" not in VERDICT_STYLE["INCOMPLETE"]
    assert VERDICT_COLOURS["INCOMPLETE"] not in (VERDICT_COLOURS["CERTIFIED"], STATUS_COLOURS["passed"])
    crashed = PairResult(product="p", profile="q", product_id="p", profile_id="q", key="p__q", exit_code=3,
                         seconds=0.1, verdict="INCOMPLETE", bundle=str(tmp_path / "none"), archive="", error="boom")
    table = write_matrix([crashed], tmp_path)
    assert table.loc[("q", "VERDICT", ""), "p"] == "INCOMPLETE"  # a run without a verdict still shows up
    assert f"background-color: {COLOURS['INCOMPLETE']}" in (tmp_path / "matrix.html").read_text()
    CampaignDocument(workers=1, wall_seconds=0.1, pairs=[crashed])  # and it is a valid campaign entry
