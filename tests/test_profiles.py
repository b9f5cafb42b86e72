"""Profiles are data: validation, extends/overrides/includes, digests, the exported JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

from harness.checks import validate_profile
from harness.errors import ProfileError
from harness.profiles import available_profiles, export_json_schema, load_profile

pytestmark = pytest.mark.unit

VALID_REQ = """
  - id: TT-CREDIT-001
    title: t
    level: MUST
    capability: credit
    check: credit.bullet_term
    parameters: {max_term_months: 12}
    source: {regulation: r, number: n, article: a, date: 2020-01-01, status: confirmed}
"""


def write(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(body, encoding="utf-8")
    return str(path)


def profile(reqs: str = VALID_REQ, extra: str = "") -> str:
    return f"schema_version: 1\nid: tt\nversion: '1'\ntitle: t\nregion: T\n{extra}requirements:\n{reqs}"


def test_every_shipped_profile_loads_and_its_checks_accept_their_parameters() -> None:
    for name in available_profiles():
        loaded = load_profile(name)
        assert validate_profile(loaded).keys() == {r.id for r in loaded.requirements}
        for req in loaded.requirements:
            assert req.source.status in ("confirmed", "draft") and req.source.number


def test_chongqing_extends_overrides_and_adds() -> None:
    national, chongqing = load_profile("national"), load_profile("chongqing")
    assert chongqing.lineage == ["national", "chongqing"]
    assert {r.id for r in national.requirements} < {r.id for r in chongqing.requirements}
    assert chongqing.requirement("NAT-CREDIT-007").parameters["amount_above"] == "100000.00"
    assert national.requirement("NAT-CREDIT-007").parameters["amount_above"] == "200000.00"
    assert chongqing.requirement("CQ-CREDIT-001").source.status == "draft"
    assert chongqing.requirement("CQ-CREDIT-001").level == "SHOULD"
    assert chongqing.hypothesis.max_examples == 80 and chongqing.hypothesis.seed == national.hypothesis.seed


def test_digest_is_stable_and_changes_with_content(tmp_path: Path) -> None:
    a = load_profile(write(tmp_path, "a", profile()))
    again = load_profile(write(tmp_path, "a", profile()))
    edited = VALID_REQ.replace("max_term_months: 12", "max_term_months: 11")
    changed = load_profile(write(tmp_path, "a", profile(edited)))
    assert a.digest == again.digest != changed.digest
    assert a.digest.startswith("sha256:") and len(a.digest) == 71


def test_exported_json_schema_is_up_to_date() -> None:
    shipped = json.loads((ROOT / "sandbox_profiles" / "profile.schema.json").read_text())
    assert shipped == export_json_schema(), "run `sandbox schema` and commit the result"


BAD = [
    ("level", VALID_REQ.replace("level: MUST", "level: MUSt"), "requirements[0] (TT-CREDIT-001).level"),
    ("missing source", VALID_REQ.replace(
        "    source: {regulation: r, number: n, article: a, date: 2020-01-01, status: confirmed}\n", ""),
     "requirements[0] (TT-CREDIT-001).source: required field is missing"),
    ("bad status", VALID_REQ.replace("status: confirmed", "status: maybe"), ".source.status"),
    ("bad id", VALID_REQ.replace("TT-CREDIT-001", "credit one"), ".id"),
    ("unknown field", VALID_REQ.replace("    title: t\n", "    title: t\n    levle: MUST\n"), "levle: unknown field"),
    ("unknown check", VALID_REQ.replace("credit.bullet_term", "credit.bulet_term"),
     "did you mean 'credit.bullet_term'"),
    ("unknown parameter", VALID_REQ.replace("max_term_months: 12", "max_term: 12"),
     "parameters.max_term: unknown parameter for credit.bullet_term (valid: max_term_months, channel, purpose)"),
    ("float money", VALID_REQ.replace("credit.bullet_term", "credit.human_review").replace(
        "max_term_months: 12", "amount_above: 100000.5"), "never as floats"),
    ("wrong capability", VALID_REQ.replace("capability: credit", "capability: ledger"),
     "check credit.bullet_term belongs to 'credit'"),
]


@pytest.mark.parametrize(("case", "reqs", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_requirement_gives_one_line_naming_file_and_field(tmp_path: Path, case: str, reqs: str,
                                                              expected: str) -> None:
    path = write(tmp_path, "bad", profile(reqs))
    with pytest.raises(ProfileError) as err:
        validate_profile(load_profile(path))
    message = str(err.value)
    assert expected in message and path in message and "\n" not in message


@pytest.mark.parametrize(("extra", "expected"), [
    ("extends: natonal\n", "did you mean 'national'"),
    ("overrides:\n  NAT-CREDIT-999: {level: SHOULD}\n", "overrides.NAT-CREDIT-999: no inherited requirement"),
    ("includes: [nowhere]\n", "includes: no profile 'nowhere'"),
])
def test_bad_extends_overrides_includes(tmp_path: Path, extra: str, expected: str) -> None:
    (tmp_path / "national.yaml").write_text((ROOT / "sandbox_profiles/national.yaml").read_text())
    body = profile(extra=extra if "extends" in extra else "extends: national\n" + extra)
    with pytest.raises(ProfileError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load_profile(write(tmp_path, "child", body))


def test_redefining_an_inherited_requirement_is_refused(tmp_path: Path) -> None:
    (tmp_path / "national.yaml").write_text((ROOT / "sandbox_profiles/national.yaml").read_text())
    body = profile(VALID_REQ.replace("TT-CREDIT-001", "NAT-CREDIT-003"), extra="extends: national\n")
    with pytest.raises(ProfileError, match="already inherited; change it under 'overrides'"):
        load_profile(write(tmp_path, "child", body))


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"bad.yaml: line \d+ column \d+: not valid YAML"):
        load_profile(write(tmp_path, "bad", "id: [unclosed\n"))


def test_check_sources_lists_requirements_whose_citation_cannot_be_followed(tmp_path: Path, capsys) -> None:
    from harness.cli import main

    followable = VALID_REQ.replace("status: confirmed}", "status: confirmed, url: 'https://example.org/r', "
                                   "retrieved: 2026-12-01}")
    assert main(["profiles", write(tmp_path, "ok", profile(followable)), "--check-sources"]) == 0
    assert capsys.readouterr().out == ""
    no_date = followable.replace(", retrieved: 2026-12-01", "")
    assert main(["profiles", write(tmp_path, "gap", profile(no_date)), "--check-sources"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "TT-CREDIT-001.source: missing retrieved" in out[0] and "gap.yaml" in out[0]
    bare = VALID_REQ  # neither url nor retrieved
    assert main(["profiles", write(tmp_path, "bare", profile(bare)), "--check-sources"]) == 1
    assert "missing url, retrieved" in capsys.readouterr().out


def test_every_shipped_source_carries_a_retrieved_date_when_it_has_a_url() -> None:
    for name in available_profiles():
        for req in load_profile(name).requirements:
            if req.source.url:
                assert req.source.retrieved is not None, f"{name}: {req.id} has a url but no retrieved date"


def test_shipped_profiles_check_sources_prints_nothing(capsys) -> None:
    """Every shipped requirement's citation can be followed (url, retrieved date, status) and every shipped
    profile file's version has its CHANGELOG.md entry."""
    from harness.cli import main

    assert main(["profiles", "--check-sources"]) == 0
    assert capsys.readouterr().out == ""


def test_a_version_without_a_changelog_entry_is_listed(tmp_path: Path, monkeypatch, capsys) -> None:
    from harness.cli import main

    followable = VALID_REQ.replace("status: confirmed}", "status: confirmed, url: 'https://example.org/r', "
                                   "retrieved: 2026-12-01}")
    write(tmp_path, "tt", profile(followable))
    monkeypatch.setenv("SANDBOX_PROFILES_DIR", str(tmp_path))
    (tmp_path / "CHANGELOG.md").write_text("# log\n\n## tt\n\n### 0\n- older\n", encoding="utf-8")
    assert main(["profiles", "tt", "--check-sources"]) == 1
    assert "version 1 of tt has no entry" in capsys.readouterr().out
    (tmp_path / "CHANGELOG.md").write_text("# log\n\n## tt\n\n### 1\n- what, why, source\n", encoding="utf-8")
    assert main(["profiles", "tt", "--check-sources"]) == 0
    assert capsys.readouterr().out == ""
