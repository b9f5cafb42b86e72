"""Sign-off: a certificate for the reference product verifies; every kind of tampering is rejected.

Only docker runs can be signed: the session's one container run of (a copy of) the reference product against
tests/profiles/evidence-mini.yaml, signed once (conftest ``docker_signed``; a copy, so the product-changed
test can edit it); each test copies what it tampers with. A docker run of the real chongqing profile is
signed and verified in test_docker_certificate.py, forgeries by the product itself in test_forgery.py.
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI

from harness.api import certify
from harness.cli import main
from harness.evidence.bundle import MANIFEST, write_archive, write_manifest

pytestmark = pytest.mark.container


def cli(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse rejects the arguments themselves
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def signed(docker_signed: dict[str, Path]) -> dict[str, Path]:
    return docker_signed


def statement(cert: Path) -> dict[str, Any]:
    return dict(json.loads(base64.b64decode(json.loads(cert.read_text())["payload"])))


def test_reference_certificate_verifies_with_bundle_archive_and_product(signed, capsys) -> None:
    code, out, err = cli(capsys, "verify", signed["cert"], "--key", signed["pub"], "--bundle", signed["tgz"],
                         "--product", signed["product"])
    assert code == 0, err
    assert out.startswith("VALID rural-microloan 1.0.0 × evidence-mini")
    assert "checked signature, validity, bundle, product" in out
    code, _, err = cli(capsys, "verify", signed["cert"], "--key", signed["pub"], "--bundle", signed["bundle"])
    assert code == 0, err


def test_certificate_is_an_in_toto_statement_about_the_product(signed) -> None:
    envelope = json.loads(signed["cert"].read_text())
    assert envelope["payloadType"] == "application/vnd.in-toto+json" and len(envelope["signatures"]) == 1
    s = statement(signed["cert"])
    verdict = json.loads((signed["bundle"] / "verdict.json").read_text())
    assert s["_type"] == "https://in-toto.io/Statement/v1"
    assert s["subject"][0]["digest"]["sha256"] == verdict["product"]["digest"].removeprefix("sha256:")
    p = s["predicate"]
    assert p["profile"] == {k: verdict["profile"][k] for k in ("id", "version", "digest")}
    assert p["verdict"] == "CERTIFIED" and len(p["requirements"]) == len(verdict["requirements"])
    assert p["signer"] == {"name": "Li Wei", "role": "certification officer"}
    assert p["validity"]["years"] == 3 and p["validity"]["notAfter"][:4] == str(int(p["validity"]["notBefore"][:4]) + 3)
    assert p["bundle"]["digest"].startswith("sha256:") and p["waivers"] == []


def copy_bundle(signed: dict[str, Path], tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(signed["bundle"], target)
    return target


def flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name", ["verdict.json", "junit.xml", "allure-results/*-result.json",
                                  "allure-results/*-attachment.*", "profile.json", "product.yaml",
                                  "environment.json", "bundle.json", MANIFEST])
def test_a_changed_byte_in_any_bundle_file_is_rejected(signed, tmp_path, capsys, name) -> None:
    bundle = copy_bundle(signed, tmp_path)
    target = sorted(bundle.glob(name))[0]
    flip_byte(target)
    code, _, err = cli(capsys, "verify", signed["cert"], "--key", signed["pub"], "--bundle", bundle)
    assert code == 1
    expected = "bundle digest" if name == MANIFEST else f"{target.relative_to(bundle).as_posix()}: SHA-256 differs"
    assert expected in err


def test_a_changed_file_inside_the_archive_is_rejected(signed, tmp_path, capsys) -> None:
    bundle = copy_bundle(signed, tmp_path)
    flip_byte(bundle / "junit.xml")
    archive = write_archive(bundle)
    code, _, err = cli(capsys, "verify", signed["cert"], "--key", signed["pub"], "--bundle", archive)
    assert code == 1 and "junit.xml: SHA-256 differs" in err


def test_added_and_removed_files_are_rejected(signed, tmp_path, capsys) -> None:
    bundle = copy_bundle(signed, tmp_path)
    (bundle / "allure-results" / "extra-result.json").write_text("{}")
    (bundle / "environment.json").unlink()
    code, _, err = cli(capsys, "verify", signed["cert"], "--key", signed["pub"], "--bundle", bundle)
    assert code == 1
    assert "environment.json: listed in MANIFEST.sha256 but missing" in err
    assert "allure-results/extra-result.json: present but not listed" in err


def test_a_changed_verdict_with_a_recomputed_manifest_is_rejected(signed, tmp_path, capsys) -> None:
    bundle = copy_bundle(signed, tmp_path)
    doc = json.loads((bundle / "verdict.json").read_text())
    doc["requirements"][0]["status"] = "failed"
    (bundle / "verdict.json").write_text(json.dumps(doc))
    write_manifest(bundle)  # a careful forger recomputes every digest: the certified bundle digest still differs
    code, _, err = cli(capsys, "verify", signed["cert"], "--key", signed["pub"], "--bundle", bundle)
    assert code == 1 and "bundle digest" in err and "is not the certified" in err


def rewrite(signed: dict[str, Path], tmp_path: Path, change: Any) -> Path:
    envelope = json.loads(signed["cert"].read_text())
    s = statement(signed["cert"])
    change(s)
    envelope["payload"] = base64.b64encode(json.dumps(s).encode()).decode()
    target = tmp_path / "forged.json"
    target.write_text(json.dumps(envelope))
    return target


@pytest.mark.parametrize("field,change", [
    ("verdict", lambda s: s["predicate"].update(verdict="CERTIFIED_WITH_FINDINGS")),
    ("requirement status", lambda s: s["predicate"]["requirements"][0].update(status="waived")),
    ("validity", lambda s: s["predicate"]["validity"].update(notAfter="2099-01-01T00:00:00+00:00")),
    ("subject digest", lambda s: s["subject"][0]["digest"].update(sha256="0" * 64)),
    ("profile digest", lambda s: s["predicate"]["profile"].update(digest="sha256:" + "1" * 64)),
    ("signer", lambda s: s["predicate"]["signer"].update(name="Somebody Else")),
    ("bundle digest", lambda s: s["predicate"]["bundle"].update(digest="sha256:" + "2" * 64)),
])
def test_every_changed_certificate_field_breaks_the_signature(signed, tmp_path, capsys, field, change) -> None:
    forged = rewrite(signed, tmp_path, change)
    code, _, err = cli(capsys, "verify", forged, "--key", signed["pub"])
    assert code == 1, field
    assert "signature does not match the certificate content" in err


def test_a_changed_signature_is_rejected(signed, tmp_path, capsys) -> None:
    envelope = json.loads(signed["cert"].read_text())
    sig = bytearray(base64.b64decode(envelope["signatures"][0]["sig"]))
    sig[0] ^= 0xFF
    envelope["signatures"][0]["sig"] = base64.b64encode(bytes(sig)).decode()
    (tmp_path / "c.json").write_text(json.dumps(envelope))
    code, _, err = cli(capsys, "verify", tmp_path / "c.json", "--key", signed["pub"])
    assert code == 1 and "signature does not match" in err


def test_another_key_is_rejected(signed, capsys) -> None:
    code, _, err = cli(capsys, "verify", signed["cert"], "--key", signed["other"])
    assert code == 1 and "wrong key" in err


def test_an_expired_certificate_is_rejected(signed, capsys) -> None:
    not_after = statement(signed["cert"])["predicate"]["validity"]["notAfter"]
    code, _, err = cli(capsys, "verify", signed["cert"], "--key", signed["pub"], "--at", "2099-12-31")
    assert code == 1 and f"expired on {not_after[:10]}" in err
    code, _, err = cli(capsys, "verify", signed["cert"], "--key", signed["pub"], "--at", "2000-01-01")
    assert code == 1 and "not valid before" in err


def test_a_changed_product_is_rejected(signed, tmp_path, capsys) -> None:
    product = tmp_path / "rural-microloan"
    shutil.copytree(signed["product"], product, ignore=shutil.ignore_patterns("__pycache__"))
    code, _, err = cli(capsys, "verify", signed["cert"], "--key", signed["pub"], "--product", product)
    assert code == 0, err
    policy = product / "rural_microloan" / "policy.py"
    policy.write_text(policy.read_text() + "\n# a one-line change after certification\n")
    code, _, err = cli(capsys, "verify", signed["cert"], "--key", signed["pub"], "--product", product)
    assert code == 1 and "product changed: digest today" in err


def test_only_certified_complete_intact_runs_may_be_signed(signed, tmp_path, capsys) -> None:
    key = signed["key"]
    partial = tmp_path / "partial"
    certify(signed["product"], MINI, out=partial, only=["EV-CREDIT-002"])
    code, _, err = cli(capsys, "sign", partial, "--key", key, "--signer", "A", "--role", "B")
    assert code == 1 and "partial run" in err and "EV-CREDIT-001" in err
    bundle = copy_bundle(signed, tmp_path)
    flip_byte(bundle / "profile.json")
    code, _, err = cli(capsys, "sign", bundle, "--key", key, "--signer", "A", "--role", "B")
    assert code == 1 and "not intact: profile.json" in err


@pytest.mark.parametrize("argv,needle", [
    (["verify", "{missing}", "--key", "{pub}"], "certificate file not found"),
    (["verify", "{garbage}", "--key", "{pub}"], "not a JSON certificate"),
    (["verify", "{cert}", "--key", "{garbage}"], "not a PEM public key"),
    (["verify", "{cert}", "--key", "{key}"], "not a PEM public key"),
    (["verify", "{cert}", "--key", "{pub}", "--bundle", "{missing}"], "no such bundle folder"),
    (["verify", "{cert}", "--key", "{pub}", "--bundle", "{garbage}"], "not a readable .tar.gz"),
    (["verify", "{cert}", "--key", "{pub}", "--at", "someday"], "not an ISO date"),
    (["sign", "{base}", "--key", "{key}", "--signer", "A", "--role", "B"], "MANIFEST.sha256: missing"),
    (["sign", "{bundle}", "--key", "{pub}", "--signer", "A", "--role", "B"], "not an unencrypted PEM private key"),
    (["sign", "{bundle}", "--key", "{key}", "--signer", " ", "--role", "B"], "--signer: must not be empty"),
    (["keygen", "{key}"], "already exists"),
])
def test_bad_input_is_one_line_and_exit_2(signed, tmp_path, capsys, argv, needle) -> None:
    garbage = tmp_path / "garbage.json"
    garbage.write_text("this is not json")
    paths = {**{k: str(v) for k, v in signed.items()}, "missing": str(tmp_path / "nope"), "garbage": str(garbage)}
    code, _, err = cli(capsys, *[a.format(**paths) for a in argv])
    assert code == 2
    assert needle in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
