"""Bad input never gives a traceback (issue 11, item 7).

A generated corpus of malformed inputs (profiles, check parameters, manifests, waivers files, command-line
arguments, certificates and keys), each run through ``sandbox`` in-process. Every case must end with exit code
2 (1 where the command's contract says so: a parseable but invalid certificate), one line on stderr that
names the file or the option, and no traceback. Every case fails while the input is validated: running the
product is refused outright (``pytest.main`` is replaced by a bomb), so a mutation that turns out valid fails
loudly instead of starting a certification.

The corpus is built from mutations of good documents: wrong types, missing and extra fields, impossible
dates, negative and zero numbers, duplicate keys, deep nesting, alias bombs, binary garbage, empty files, a
folder instead of a file, non-UTF-8 bytes, huge numbers. Add a case with :func:`add`; the categories are
listed (with their sizes) by ``test_corpus_size``.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REFERENCE_CREDIT, ROOT

from harness.cli import main

pytestmark = pytest.mark.unit

NATIONAL = ROOT / "sandbox_profiles" / "national"  # for ``extends:`` (an absolute path without .yaml)
MINI_TEXT = (ROOT / "tests" / "profiles" / "evidence-mini.yaml").read_text(encoding="utf-8")
MINI = yaml.safe_load(MINI_TEXT)
MANIFEST_TEXT = (REFERENCE_CREDIT / "product.yaml").read_text(encoding="utf-8").replace('sources: ["."]\n', "")
MANIFEST = yaml.safe_load(MANIFEST_TEXT)
WAIVER = {"requirement": "CQ-CREDIT-001", "product": "rural-microloan", "version": "1.0.0",
          "reason": "balance rule being rewritten (RISK-7)", "approver": "Chongqing sandbox office",
          "expires": date(2099, 12, 31)}
WAIVERS = {"waivers": [WAIVER]}
SOURCE = MINI["requirements"][0]["source"]
MISSING = object()  # a field value meaning "delete the field"

Make = Callable[[Path], tuple[list[str], str]]  # tmp folder → (argv, what the error line must name)


@dataclass(frozen=True)
class Case:
    category: str
    name: str
    make: Make
    code: int = 2
    known: str | None = None  # a traceback in a file this change may not edit: xfail(strict) with the reason


CASES: list[Case] = []


def add(category: str, name: str, make: Make, code: int = 2, known: str | None = None) -> None:
    CASES.append(Case(category, name, make, code, known))


# -- writing documents ------------------------------------------------------------------------------
def dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def put(path: Path, content: str | bytes | None) -> Path:
    """Write ``content`` to ``path`` (None: make ``path`` a folder; DIR_MISSING: leave nothing there)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if content is None:
        path.mkdir()
    elif content is ABSENT:
        pass
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


ABSENT = "\0absent"


def setpath(doc: Any, dotted: str, value: Any) -> Any:
    """A deep copy of ``doc`` with ``dotted`` (``a.0.b``) set to ``value`` (MISSING deletes it)."""
    doc = copy.deepcopy(doc)
    *parents, last = [int(p) if p.isdigit() else p for p in dotted.split(".")]
    node = doc
    for part in parents:
        node = node[part]
    if value is MISSING:
        del node[last]
    else:
        node[last] = value
    return doc


# -- YAML-level garbage, shared by every YAML input ------------------------------------------------
def _deep(kind: str, depth: int) -> str:
    return ("[" * depth + "]" * depth) if kind == "list" else ("{a: " * depth + "1" + "}" * depth)


BOMB = "\n".join(['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
                 + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]) + "\n"
IMPOSSIBLE_DATES = ["2027-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-06-00", "2025-02-29",
                    "2026-01-32"]


def yaml_garbage(good: str, key_line: str) -> list[tuple[str, str | bytes | None]]:
    """Malformed versions of the YAML text ``good``; ``key_line`` is one of its top-level lines (duplicated)."""
    rng = random.Random(20201)
    first = key_line.split(":", 1)[0]
    cases: list[tuple[str, str | bytes | None]] = [
        ("empty file", b""),
        ("blank lines only", b"  \n\n  \n"),
        ("comment only", b"# nothing here\n"),
        ("top-level list", b"- a\n- b\n"),
        ("top-level scalar", b"just some text\n"),
        ("top-level null", b"~\n"),
        ("top-level number", b"12345\n"),
        ("a folder instead of the file", None),
        ("no such file", ABSENT),
        ("binary garbage (seed 1)", rng.randbytes(512)),
        ("binary garbage (seed 2)", rng.randbytes(4096)),
        ("binary garbage (zip header)", b"PK\x03\x04" + rng.randbytes(200)),
        ("non-UTF-8 (latin-1 comment)", good.encode() + "\n# caf\xe9 cr\xe8me\n".encode("latin-1")),
        ("non-UTF-8 (UTF-16)", good.encode("utf-16")),
        ("non-UTF-8 (lone continuation byte)", good.encode() + b"\n\x80\n"),
        ("NUL byte", good + "\nextra: a\x00b\n"),
        ("control character", good + "\nextra: \x07\n"),
        ("tab indentation", good.replace("\n  ", "\n\t", 1) if "\n  " in good else good + "\nextra:\n\t- 1\n"),
        ("unclosed flow sequence", good + "\nextra: [1, 2\n"),
        ("unclosed quote", good + '\nextra: "never closed\n'),
        ("stray indentation", good + "\n   oops: 1\n  broken: 2\n"),
        ("two documents", good + "\n---\n" + good),
        ("undefined alias", good + "\nextra: *nowhere\n"),
        ("python object tag", good + "\nextra: !!python/object/apply:os.system [echo owned]\n"),
        ("unknown tag", good + "\nextra: !vault secret\n"),
        ("bad binary tag", good + "\nextra: !!binary '***'\n"),
        ("duplicate top-level key", good + "\n" + key_line + "\n"),
        ("duplicate key, quoted", good + f'\n"{first}": duplicated\n'),
        ("duplicate key in a flow mapping", good + "\nextra: {a: 1, b: 2, a: 3}\n"),
        ("duplicate key in a nested block", good + "\nextra:\n  inner: 1\n  other: 2\n  inner: 3\n"),
        ("duplicate anchor", good + "\nx1: &a 1\nx2: &a 2\n"),
        ("deep nesting, list 20000", good + "\nextra: " + _deep("list", 20_000) + "\n"),
        ("deep nesting, mapping 20000", good + "\nextra: " + _deep("map", 20_000) + "\n"),
        ("deep nesting, list 100", good + "\nextra: " + _deep("list", 100) + "\n"),
        ("deep nesting, block 80", good + "\nextra:\n" + "".join("  " * i + "k:\n" for i in range(1, 80))
         + "  " * 80 + "k: 1\n"),
        ("alias bomb (billion laughs)", good + "\n" + BOMB),
        ("alias bomb inside a mapping value", good + "\n" + BOMB.replace("l8: &l8", "extra:\n  nested: &l8")),
        ("recursive alias", good + "\nextra: &loop [1, *loop]\n"),
        ("too many aliases", good + "\nanchor: &v 1\nextra: [" + ", ".join(["*v"] * 1500) + "]\n"),
        ("huge integer (5000 digits)", good + "\nextra: " + "9" * 5000 + "\n"),
        ("huge file (5 MiB)", good + "\n# " + "x" * (5 * 1024 * 1024) + "\n"),
    ]
    cases += [(f"impossible date {d}", good + f"\nextra: {d}\n") for d in IMPOSSIBLE_DATES]
    cases.append(("impossible date-time", good + "\nextra: 2026-01-01 25:61:00\n"))
    return cases


def impossible_dates_in_place(text: str) -> list[tuple[str, str]]:
    """``text`` with each of its dates (the first three) replaced by impossible ones, unquoted."""
    found = list(dict.fromkeys(re.findall(r"(?<![\"'\w-])\d{4}-\d{2}-\d{2}(?![\"'\w-])", text)))[:3]
    return [(f"{day} → {bad}", text.replace(day, bad, 1)) for day in found for bad in IMPOSSIBLE_DATES[:3]]


def refuse_to_run(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("a bad-input case reached the certification run (pytest.main): the input was accepted")


# == profiles: YAML level (through `sandbox profiles PATH`) ==========================================
def _profile_file(content: str | bytes | None, command: str = "profiles") -> Make:
    def make(tmp: Path) -> tuple[list[str], str]:
        path = put(tmp / "profile.yaml", content)
        if command == "profiles":
            return ["profiles", str(path)], str(path)
        return ["certify", str(REFERENCE_CREDIT), "--profile", str(path)], str(path)

    return make


for _name, _content in yaml_garbage(MINI_TEXT, "id: evidence-mini"):
    add("profile-yaml", _name, _profile_file(_content))
for _name, _content in impossible_dates_in_place(MINI_TEXT):
    add("profile-yaml", f"in-place date {_name}", _profile_file(_content, "certify"))

# == profiles: fields (through `sandbox certify`, which validates before anything runs) ================
PROFILE_BAD_VALUES: dict[str, list[Any]] = {
    "schema_version": [2, "1", None],
    "id": ["Evidence Mini", 5, "", None, MISSING, "x" * 300 + " "],
    "version": [None, [1], {"a": 1}, 1.5, MISSING],
    "title": [None, 5, MISSING],
    "region": [[], MISSING],
    "extends": ["no-such-parent", 5, "", "../" * 40 + "etc/passwd", "x" * 400],
    "includes": ["national", ["no-such-profile"], [5]],
    "focus": ["credit", 5],
    "hypothesis": ["fast", 7, {"max_examples": 0}, {"max_examples": -1}, {"max_examples": 10**30},
                   {"max_examples": "many"}, {"seed": -1}, {"request_timeout_s": 0}, {"request_timeout_s": -5},
                   {"request_timeout_s": 10**9}, {"deadline_ms": 0}, {"shrink_examples": 0},
                   {"derandomize": "sometimes"}, {"turbo": True}],
    "protected_attributes": ["gender", 5],
    "certificate": [{"validity_years": 0}, {"validity_years": 11}, {"validity_years": "three"}, "forever"],
    "container_limits": [{"memory_mb": 0}, {"cpus": 0}, {"cpus": -1}, {"pids": 1}, {"disk": 1}],
    "scope": [{"requires": {"credit": ["no_such_capability"]}}, {"requires": "credit"}, {"other": 1}],
    "overrides": [{"NAT-NOPE-001": {"level": "MUST"}}, "all", {"EV-CREDIT-001": "x"}],
    "remove": [["EV-CREDIT-009"], "EV-CREDIT-001"],
    "requirements": ["none", [5], [{}], MINI["requirements"][:1] * 2],
    "requirements.0.id": ["ev-credit-001", "EV-CREDIT-1", 1, MISSING],
    "requirements.0.title": [None, MISSING],
    "requirements.0.level": ["MAY", "must", None, MISSING],
    "requirements.0.capability": ["Credit", "credit-scoring", 5, MISSING],
    "requirements.0.check": ["credit.no_such_check", "nope", "ledger.conservation", MISSING],
    "requirements.0.severity": ["fatal", 3],
    "requirements.0.waivable": ["maybe", 2],
    "requirements.0.max_examples": [0, -10, 10**9, "lots"],
    "requirements.0.parameters": ["x", [1, 2], {"unknown_parameter": 1}, {"min_codes": "one"}],
    "requirements.0.not_applicable_when": [{"lender_types": []}, {"lender_types": ["pawnshop"]}, "never"],
    "requirements.0.source": [MISSING, "a law", {}],
    "requirements.0.source.date": ["2027-02-30", "yesterday", None, MISSING],
    "requirements.0.source.status": ["final", MISSING],
    "requirements.0.source.url": [5],
    "requirements.0.unknown_field": [1],
    "unknown_top_level_field": [1],
}

for _field, _values in PROFILE_BAD_VALUES.items():
    for _value in _values:
        _label = "missing" if _value is MISSING else repr(_value)[:40]
        add("profile-field", f"{_field} = {_label}", _profile_file(dump(setpath(MINI, _field, _value)), "certify"))


def _extending(patch: dict[str, Any]) -> Make:
    """A profile that extends the real national profile (by absolute path) with ``patch``."""
    doc = {"schema_version": 1, "id": "child", "version": "1", "title": "t", "region": "r",
           "extends": str(NATIONAL), **patch}
    return _profile_file(dump(doc), "certify")


EXTENDING: dict[str, dict[str, Any]] = {
    "override a money cap negative": {"overrides": {"NAT-CREDIT-002": {"parameters": {"cap": "-200000.00"}}}},
    "override a review threshold zero": {"overrides": {"NAT-CREDIT-007": {"parameters": {"amount_above": "0"}}}},
    "override an APR tolerance zero": {"overrides": {"NAT-CREDIT-005": {"parameters": {"apr_tolerance": "0"}}}},
    "override restarts zero": {"overrides": {"NAT-RES-002": {"parameters": {"restarts": 0}}}},
    "override an unknown parameter": {"overrides": {"NAT-CREDIT-003": {"parameters": {"max_term": 12}}}},
    "override a level": {"overrides": {"NAT-CREDIT-003": {"level": "MAY"}}},
    "override an unknown requirement": {"overrides": {"NAT-CREDIT-099": {"level": "MUST"}}},
    "remove an unknown requirement": {"remove": ["NAT-CREDIT-099"]},
    "redefine an inherited requirement": {"requirements": [{**MINI["requirements"][2], "id": "NAT-CREDIT-003"}]},
    "scope names an unknown capability": {"scope": {"requires": {"credit": ["teleport"]}}},
    "extends itself": {"extends": "profile"},
}
for _name, _patch in EXTENDING.items():
    add("profile-extends", _name, _extending(_patch))

# names with a line break in them must not break the one line
add("line-break-in-a-name", "profile field", _profile_file(dump({**MINI, "bad\nfield": 1}), "certify"))
add("line-break-in-a-name", "override key", _profile_file(dump({**MINI, "overrides": {"NAT\nX": {}}}), "certify"))
add("line-break-in-a-name", "requirement id", _profile_file(dump(setpath(MINI, "requirements.0.id", "A\nB")),
                                                            "certify"))
add("line-break-in-a-name", "check parameter name",
    _profile_file(dump(setpath(MINI, "requirements.0.parameters", {"min\ncodes": 1})), "certify"))


# == check parameters: one requirement per check with vacuous or impossible figures =====================
def _with_check(check: str, parameters: dict[str, Any]) -> Make:
    capability = check.split(".", 1)[0]
    requirement = {"id": "TS-PARAM-001", "title": "t", "level": "MUST", "capability": capability, "check": check,
                   "parameters": parameters, "source": SOURCE}
    doc = {"schema_version": 1, "id": "params", "version": "1", "title": "t", "region": "r",
           "requirements": [requirement]}
    return _profile_file(dump(doc), "certify")


LPR = [{"effective": date(2020, 4, 20), "rate": "0.0385"}]
FX = {"currencies": ["USD", "EUR"], "first_day": date(2023, 1, 2), "last_day": date(2026, 10, 30)}
HMDA = yaml.safe_load((ROOT / "sandbox_profiles" / "beijing.yaml").read_text(encoding="utf-8"))[
    "requirements"][0]["parameters"]["dataset"]
PARAMETERS: dict[str, tuple[dict[str, Any], dict[str, list[Any]]]] = {
    # check: (good parameters, {parameter: bad values})
    "credit.apr_cap": ({"multiple": "4", "valid_until": date(2026, 10, 31), "lpr_1y": LPR},
                       {"multiple": ["-4", "0", 4.0],
                        "lpr_1y": [[], [{"effective": date(2020, 4, 20), "rate": "-0.01"}],
                                   [{"effective": date(2020, 4, 20), "rate": "0"}]],
                        "valid_until": [date(2019, 1, 1)]}),
    "credit.internet_credit_line": ({"cap": "200000.00"}, {"cap": ["-200000.00", "0", "0.001", "1e30", 200000.0],
                                                           "channel": ["mobile", ""]}),
    "credit.bullet_term": ({"max_term_months": 12}, {"max_term_months": [0, -12, 60, 10**12, "twelve"]}),
    "credit.microloan_balance": ({"cap": "300000.00"}, {"cap": ["-300000.00", "0"], "income_years": [0, -1, 4],
                                                        "income_divisor": [0, -3]}),
    "credit.co_lending_share": ({"min_lender_share": "0.30"}, {"min_lender_share": ["0", "-0.1", "1.5"]}),
    "credit.prohibited_purposes": ({"purposes": ["securities"]}, {"purposes": [[], [""], "securities"]}),
    "credit.human_review": ({"amount_above": "200000.00"}, {"amount_above": ["-1", "0", "1e20"]}),
    "credit.schedule_accuracy": ({}, {"max_apr": ["0", "-0.24", "2"], "max_principal": ["-5", "999"],
                                      "max_term_months": [0, 61], "apr_tolerance": ["0", "-0.0005", "0.5"]}),
    "credit.interface_robustness": ({}, {"anything": [1]}),
    "receivables.face_value_cap": ({"max_financing_ratio": "1"}, {"max_financing_ratio": ["0", "-1", "1.5"]}),
    "receivables.single_financing": ({}, {"steps": [0, 1, 10**6]}),
    "receivables.concurrent_financing": ({}, {"max_parallel": [1, 0], "max_variants": [-1]}),
    "cross_border.minor_units": (FX, {"currencies": [["USD"], ["USD", "USD"], ["usd", "EUR"], ["ZZZ", "USD"]],
                                      "last_day": [date(2020, 1, 1)], "max_sell_amount": ["0", "-1"]}),
    "cross_border.fx_reference": ({**FX, "max_spread": "0.01"}, {"max_spread": ["-0.01", "1"],
                                                                 "reference_tolerance": ["-1", "5"]}),
    "cross_border.quote_expiry": ({**FX, "max_ttl_seconds": 300}, {"max_ttl_seconds": [0, -300, 10**9]}),
    "cross_border.iso20022": (FX, {"max_total_digits": [0, 19], "max_fraction_digits": [-1, 19],
                                   "currencies": [[]]}),
    "cross_border.pfi_c2": (FX, {"outbound_forbidden": [["email"]]}),
    "cross_border.annual_quota": ({"quota_usd": "50000.00", "first_day": date(2024, 1, 1)},
                                  {"quota_usd": ["-50000.00", "0"], "persons": [0]}),
    "cross_border.large_value_reports": ({"thresholds": {"CNY": "200000.00", "USD": "10000.00"},
                                          "first_day": date(2025, 3, 3)},
                                         {"thresholds": [{"CNY": "-1", "USD": "1"}, {"CNY": "1"}, {}]}),
    "cross_border.travel_rule": ({"thresholds": {"USD": "1000.00"}, "first_day": date(2023, 1, 2),
                                  "last_day": date(2026, 10, 30)},
                                 {"thresholds": [{}, {"USD": "0"}, {"XYZ": "1"}], "last_day": [date(2022, 1, 1)]}),
    "cross_border.sanctions_screening": ({"min_recall": "0.95", "max_false_positive_rate": "0.02",
                                          "test_list": [{"entry_id": "A", "name": "Ann"},
                                                        {"entry_id": "B", "name": "Bob"}]},
                                         {"min_recall": ["0"], "max_false_positive_rate": ["1"],
                                          "test_list": [[{"entry_id": "A", "name": "Ann"}],
                                                        [{"entry_id": "", "name": "Ann"},
                                                         {"entry_id": "B", "name": ""}]]}),
    "ledger.conservation": ({}, {"steps": [0, -5]}),
    "resilience.durability": ({}, {"steps": [0], "burst_max": [0], "max_lost_acknowledged": [-1]}),
    "resilience.recovery_time": ({"rto_s": "5"}, {"rto_s": ["0", "-5"], "restarts": [0], "warm_bookings": [0]}),
    "resilience.isolation": ({}, {"settle_s": ["-1", "0"], "requests": [0]}),
    "resilience.resource_caps": ({}, {"requests": [0], "oversize_kb": [0, 10**30]}),
    "ai_model.lineage": ({"dataset": HMDA}, {"clock_skew_minutes": [-1, 10**6]}),
}
for _check, (_good, _bad) in PARAMETERS.items():
    for _param, _values in _bad.items():
        for _value in _values:
            add("check-parameter", f"{_check} {_param}={repr(_value)[:30]}",
                _with_check(_check, {**_good, _param: _value}))


# == manifests (through `sandbox certify DIR --profile chongqing`) ====================================
def _product(content: str | bytes | None, *, name: str = "product.yaml") -> Make:
    def make(tmp: Path) -> tuple[list[str], str]:
        folder = tmp / "product"
        folder.mkdir()
        put(folder / name, content)
        return ["certify", str(folder), "--profile", "chongqing"], str(folder / "product.yaml")

    return make


for _name, _content in yaml_garbage(MANIFEST_TEXT, "id: rural-microloan"):
    add("manifest-yaml", _name, _product(_content))
add("manifest-yaml", "unquoted impossible date as version", _product(MANIFEST_TEXT.replace("1.0.0", "2027-02-30")))

MANIFEST_BAD_VALUES: dict[str, list[Any]] = {
    "id": ["Rural Microloan", 5, "", None, MISSING],
    "name": [None, ["a"], MISSING],
    "vendor": [MISSING, {"name": "x"}],
    "version": [1.0, [1], None, MISSING],
    "description": [5],
    "lender_type": ["shadow_bank", None, 3, MISSING],
    "capabilities": ["credit", ["credit"], {"lending": {"contract": "1"}}, {"credit": {"contract": "9"}},
                     {"credit": {"contract": 1}}, {"credit": {}}, {"credit": None}, MISSING],
    "sources": [["no-such-folder"], ".", [5]],
    "inprocess": [{"app": "no_colon_here"}, {"app": 5}, "x", {}, {"app": "a:b", "port": 1}],
    "container": [{"dockerfile": 5}, {"wheels": "numpy"}, "docker"],
    "seeded_defect": [{"requirements": []}, "yes"],
    "colour": ["red"],
}
for _field, _values in MANIFEST_BAD_VALUES.items():
    for _value in _values:
        _label = "missing" if _value is MISSING else repr(_value)[:40]
        add("manifest-field", f"{_field} = {_label}", _product(dump(setpath(MANIFEST, _field, _value))))
add("manifest-field", "neither inprocess nor container",
    _product(dump({k: v for k, v in MANIFEST.items() if k not in ("inprocess", "container")})))


def _product_path(kind: str) -> Make:
    def make(tmp: Path) -> tuple[list[str], str]:
        target = {"missing": tmp / "nope", "file": put(tmp / "notes.txt", "hello: [\n"),
                  "long": tmp / ("p" * 300)}[kind]
        return ["certify", str(target), "--profile", "chongqing"], str(target)

    return make


add("manifest-path", "no such product folder", _product_path("missing"))
add("manifest-path", "a text file instead of the folder", _product_path("file"))
add("manifest-path", "a folder name too long for the file system", _product_path("long"))


# == waivers (through `sandbox certify ... --waivers FILE`) ==========================================
def _waivers(content: str | bytes | None) -> Make:
    def make(tmp: Path) -> tuple[list[str], str]:
        path = put(tmp / "waivers.yaml", content)
        return ["certify", str(REFERENCE_CREDIT), "--profile", "chongqing", "--waivers", str(path)], str(path)

    return make


WAIVERS_TEXT = dump(WAIVERS)
for _name, _content in yaml_garbage(WAIVERS_TEXT, "waivers: []"):
    add("waivers-yaml", _name, _waivers(_content))
for _name, _content in impossible_dates_in_place(WAIVERS_TEXT):
    add("waivers-yaml", f"in-place expiry {_name}", _waivers(_content))

WAIVER_BAD_VALUES: dict[str, list[Any]] = {
    "waivers": ["all", {}, [5], ["CQ-CREDIT-001"], None, MISSING],
    "waivers.0.requirement": ["cq-credit-001", 5, "", MISSING],
    "waivers.0.product": ["", None, MISSING],
    "waivers.0.version": [1.0, "", MISSING],
    "waivers.0.reason": ["", MISSING],
    "waivers.0.approver": [None, "", MISSING],
    "waivers.0.expires": ["2027-02-30", "soon", "", None, MISSING],
    "waivers.0.scope": ["everything"],
    "signed_by": ["me"],
}
for _field, _values in WAIVER_BAD_VALUES.items():
    for _value in _values:
        _label = "missing" if _value is MISSING else repr(_value)[:40]
        add("waivers-field", f"{_field} = {_label}", _waivers(dump(setpath(WAIVERS, _field, _value))))
add("waivers-field", "waiver for a requirement the profile does not make waivable",
    _waivers(dump({"waivers": [{**WAIVER, "requirement": "NAT-CREDIT-001"}]})))
add("waivers-field", "two waivers for the same requirement", _waivers(dump({"waivers": [WAIVER, WAIVER]})))


# == command-line arguments ===========================================================================
def _argv(argv: list[str], names: str) -> Make:
    return lambda tmp: ([a.replace("{tmp}", str(tmp)) for a in argv], names.replace("{tmp}", str(tmp)))


REF = str(REFERENCE_CREDIT)
CLI: list[tuple[str, list[str], str]] = [
    ("no command", [], "command"),
    ("unknown command", ["certfy"], "certfy"),
    ("unknown option", ["profiles", "--turbo"], "--turbo"),
    ("certify without a product", ["certify"], "PRODUCT_DIR"),
    ("certify without --profile", ["certify", REF], "--profile"),
    ("--profile without a value", ["certify", REF, "--profile"], "--profile"),
    ("unknown runner", ["certify", REF, "--profile", "chongqing", "--runner", "vm"], "--runner"),
    ("negative seed", ["certify", REF, "--profile", "chongqing", "--seed", "-3"], "--seed"),
    ("seed not a number", ["certify", REF, "--profile", "chongqing", "--seed", "abc"], "--seed"),
    ("empty seed", ["certify", REF, "--profile", "chongqing", "--seed", ""], "--seed"),
    ("fractional seed", ["certify", REF, "--profile", "chongqing", "--seed", "1.5"], "--seed"),
    ("impossible --as-of", ["certify", REF, "--profile", "chongqing", "--as-of", "2027-02-30"], "--as-of"),
    ("--as-of in words", ["certify", REF, "--profile", "chongqing", "--as-of", "tomorrow"], "--as-of"),
    ("empty --as-of", ["certify", REF, "--profile", "chongqing", "--as-of", ""], "--as-of"),
    ("misspelt profile name", ["certify", REF, "--profile", "chongqin"], "chongqin"),
    ("empty profile name", ["certify", REF, "--profile", ""], "no profile named"),
    ("profile path missing", ["certify", REF, "--profile", "missing/file.yaml"], "missing/file.yaml"),
    ("profile path is a folder", ["certify", REF, "--profile", "{tmp}/"], "{tmp}"),
    ("profile name too long", ["certify", REF, "--profile", "x" * 300], "x" * 300),
    ("profiles: unknown name", ["profiles", "atlantis"], "atlantis"),
    ("profiles: name too long", ["profiles", "y" * 300], "y" * 300),
    ("empty product path", ["certify", "", "--profile", "chongqing"], "product.yaml"),
    ("--waivers missing", ["certify", REF, "--profile", "chongqing", "--waivers", "{tmp}/none.yaml"],
     "{tmp}/none.yaml"),
    ("--waivers name too long", ["certify", REF, "--profile", "chongqing", "--waivers", "w" * 300], "w" * 300),
    ("verify without --key", ["verify", "{tmp}/c.json"], "--key"),
    ("verify --at in words", ["verify", "{tmp}/c.json", "--key", "{tmp}/k.pub", "--at", "someday"], "--at"),
    ("sign with an empty --signer", ["sign", "{tmp}", "--key", "{tmp}/k", "--signer", " ", "--role", "r"],
     "--signer"),
    ("sign with an empty --role", ["sign", "{tmp}", "--key", "{tmp}/k", "--signer", "s", "--role", ""], "--role"),
    ("report: no such bundle", ["report", "{tmp}/no-bundle"], "{tmp}/no-bundle"),
    ("replay: no such bundle", ["replay", "{tmp}/no-bundle", "--product", REF], "{tmp}/no-bundle"),
    ("keygen: key exists", ["keygen", "{tmp}/existing"], "{tmp}/existing"),
    ("keygen: a file where its folder should be", ["keygen", "{tmp}/existing/k"], "{tmp}/existing"),
    ("keygen --force onto a folder", ["keygen", "{tmp}/folder", "--force"], "{tmp}/folder"),
    ("keygen: name too long", ["keygen", "{tmp}/" + "k" * 300], "k" * 300),
]
for _name, _argv_list, _names in CLI:
    add("cli-argument", _name, _argv(_argv_list, _names))


def _out(kind: str) -> Make:
    def make(tmp: Path) -> tuple[list[str], str]:
        put(tmp / "existing", "a file")
        (tmp / "busy.tar.gz").mkdir()
        out = {"file": str(tmp / "existing"), "under a file": str(tmp / "existing" / "out"),
               "the product folder": REF, "inside the product": f"{REF}/results",
               "the repository (holds the product)": str(ROOT), "the current folder": ".", "root": "/",
               "empty": "", "name too long": str(tmp / ("o" * 300)), "archive is a folder": str(tmp / "busy"),
               "product source (relative)": "products/rural-microloan/out"}[kind]
        return ["certify", REF, "--profile", "chongqing", "--out", out], "--out"

    return make


for _kind in ("file", "under a file", "the product folder", "inside the product",
              "the repository (holds the product)", "the current folder", "root", "empty", "name too long",
              "archive is a folder", "product source (relative)"):
    add("cli-out", f"--out is {_kind}", _out(_kind))


# == certificates and keys (sandbox verify / sign) =====================================================
@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from harness.evidence.certificate import generate_keypair

    base = tmp_path_factory.mktemp("keys")
    private, public = generate_keypair(base / "centre")
    other = ec.generate_private_key(ec.SECP256R1())
    (base / "ec.pem").write_bytes(other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))
    (base / "ec.pub").write_bytes(other.public_key().public_bytes(serialization.Encoding.PEM,
                                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    return {"private": private, "public": public, "ec_private": base / "ec.pem", "ec_public": base / "ec.pub"}


KEYS: dict[str, Path] = {}  # filled by the test from the fixture (cases are built at import time)


def _signed(statement: Any) -> str:
    from harness.evidence.certificate import load_private_key, sign_statement

    return json.dumps(sign_statement(statement, load_private_key(KEYS["private"])))


STATEMENT = {"_type": "https://in-toto.io/Statement/v1", "predicateType": "urn:fintech-sandbox:certification:v1",
             "subject": [{"name": "x", "digest": {"sha256": "0" * 64}}]}
CERTIFICATES: list[tuple[str, Callable[[], str | bytes | None], int, str | None]] = [
    # name, content (called when the case runs), exit code, known traceback
    ("no such certificate", lambda: ABSENT, 2, None),
    ("a folder instead of the certificate", lambda: None, 2, None),
    ("empty certificate", lambda: b"", 2, None),
    ("binary garbage", lambda: random.Random(7).randbytes(700), 2, None),
    ("non-UTF-8 bytes", lambda: b'{"payload": "caf\xe9"}', 2, None),
    ("not JSON", lambda: "payload: yes\n", 2, None),
    ("truncated JSON", lambda: '{"payload": "abc", "payloadType": ', 2, None),
    ("a JSON list", lambda: "[1, 2, 3]", 2, None),
    ("a JSON string", lambda: '"certificate"', 2, None),
    ("an empty JSON object", lambda: "{}", 2, None),
    ("envelope without signatures", lambda: '{"payload": "e30=", "payloadType": "x"}', 2, None),
    ("JSON nested 100000 deep", lambda: "[" * 100_000 + "]" * 100_000, 2, None),
    ("JSON with a 5000-digit number", lambda: '{"payload": ' + "1" * 5000 + "}", 2, None),
    ("payload not base64", lambda: json.dumps({"payload": "!!!", "payloadType": "x", "signatures": []}), 1, None),
    ("signatures not a list", lambda: json.dumps({"payload": "e30=", "payloadType": "x", "signatures": "s"}), 1, None),
    ("signed, but not an in-toto statement", lambda: _signed({"hello": "world"}), 1, None),
    ("signed statement that is not a sandbox one", lambda: _signed({**STATEMENT, "predicateType": "urn:x"}), 1, None),
    ("signed statement with a garbage predicate", lambda: _signed({**STATEMENT, "predicate": {"x": 1}}), 2, None),
    ("signed statement with a predicate of the wrong type", lambda: _signed({**STATEMENT, "predicate": [1]}), 2, None),
]


def _certificate(content: Callable[[], str | bytes | None]) -> Make:
    def make(tmp: Path) -> tuple[list[str], str]:
        path = put(tmp / "cert.json", content())
        return ["verify", str(path), "--key", str(KEYS["public"])], str(path)

    return make


for _name, _content_fn, _code, _known in CERTIFICATES:
    add("certificate", _name, _certificate(_content_fn), code=_code, known=_known)

KEY_FILES: list[tuple[str, Callable[[], str | bytes | None], str | None]] = [
    ("no such key", lambda: ABSENT, None),
    ("a folder instead of the key", lambda: None, None),
    ("empty key file", lambda: b"", None),
    ("binary garbage", lambda: random.Random(9).randbytes(300), None),
    ("non-UTF-8 bytes", lambda: b"-----BEGIN PUBLIC KEY-----\n\xff\xfe\n-----END PUBLIC KEY-----\n", None),
    ("PEM armour around garbage", lambda: "-----BEGIN PUBLIC KEY-----\nnotbase64!!\n-----END PUBLIC KEY-----\n", None),
    ("PEM armour around garbage (private)", lambda: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
     None),
    ("truncated key", lambda: KEYS["public"].read_text()[:60], None),
    ("an EC key instead of Ed25519 (public)", lambda: KEYS["ec_public"].read_bytes(), None),
    ("an EC key instead of Ed25519 (private)", lambda: KEYS["ec_private"].read_bytes(), None),
    ("the other half of the pair (public for private, private for public)", lambda: b"SWAP", None),
]


def _key(command: str, content: Callable[[], str | bytes | None]) -> Make:
    def make(tmp: Path) -> tuple[list[str], str]:
        value = content()
        if value == b"SWAP":
            value = KEYS["private" if command == "verify" else "public"].read_bytes()
        path = put(tmp / "key.pem", value)
        if command == "verify":
            return ["verify", str(put(tmp / "cert.json", "{}")), "--key", str(path)], str(path)
        return ["sign", str(tmp), "--key", str(path), "--signer", "Li Wei", "--role", "officer"], str(path)

    return make


for _command in ("verify", "sign"):
    for _name, _content_fn, _known in KEY_FILES:
        add(f"key-{_command}", _name, _key(_command, _content_fn), known=_known)
add("key-verify", "key name too long",
    lambda tmp: (["verify", str(put(tmp / "c.json", "{}")), "--key", str(tmp / ("k" * 300))], "k" * 300))
add("certificate", "certificate name too long",
    lambda tmp: (["verify", str(tmp / ("c" * 300)), "--key", str(KEYS["public"])], "c" * 300))


def _bundle(kind: str) -> Make:
    def make(tmp: Path) -> tuple[list[str], str]:
        target = {"missing": tmp / "none", "empty folder": put(tmp / "bundle", None),
                  "garbage archive": put(tmp / "b.tar.gz", random.Random(3).randbytes(400)),
                  "empty archive": put(tmp / "e.tar.gz", b"")}[kind]
        return ["sign", str(target), "--key", str(KEYS["private"]), "--signer", "Li Wei", "--role", "officer"], str(
            target)

    return make


for _kind in ("missing", "empty folder", "garbage archive", "empty archive"):
    add("bundle", f"sign a bundle: {_kind}", _bundle(_kind))


# == the test ===========================================================================================
def _params() -> list[Any]:
    seen: Counter[str] = Counter()
    params = []
    for case in CASES:
        ident = f"{case.category}: {case.name}"
        seen[ident] += 1
        if seen[ident] > 1:
            ident += f" #{seen[ident]}"
        marks = [pytest.mark.xfail(reason=case.known, strict=True)] if case.known else []
        params.append(pytest.param(case, id=ident, marks=marks))
    return params


def test_corpus_size(capsys: pytest.CaptureFixture[str]) -> None:
    counts = Counter(case.category for case in CASES)
    with capsys.disabled():
        print(f"\nbad-input corpus: {len(CASES)} cases: "
              + ", ".join(f"{category} {n}" for category, n in sorted(counts.items())))
    assert len(CASES) >= 200


@pytest.mark.parametrize("case", _params())
def test_bad_input_is_one_line_and_exit_code(case: Case, tmp_path: Path, keys: dict[str, Path],
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    KEYS.update(keys)
    monkeypatch.setattr(pytest, "main", refuse_to_run)  # no case may reach the certification run
    put(tmp_path / "existing", "a file")
    (tmp_path / "folder").mkdir()
    argv, names = case.make(tmp_path)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse errors leave through SystemExit
        code = exc.code
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert "Traceback" not in captured.err + captured.out
    assert code == case.code, captured.err
    if case.code == 1:  # verify: "INVALID <file>" then one line per reason
        assert lines and lines[0] == f"INVALID {argv[1]}" and all(line.startswith("  - ") for line in lines[1:])
    else:
        assert len(lines) == 1, captured.err
        assert names in lines[0], lines[0]


def _library_params() -> list[Any]:
    """The cases that are a product and a profile only (``certify PRODUCT --profile P``): what a library caller
    of :func:`harness.api.certify` can get wrong the same way."""
    import shutil
    import tempfile

    chosen = []
    folder = Path(tempfile.mkdtemp(prefix="bad-input-library-"))
    try:
        for n, case in enumerate(CASES):
            if case.code != 2 or case.known is not None or not case.category.startswith(("manifest", "profile")):
                continue
            (folder / str(n)).mkdir()
            argv, _ = case.make(folder / str(n))
            if argv[:1] == ["certify"] and len(argv) == 4 and argv[2] == "--profile":
                chosen.append(pytest.param(case, id=f"{case.category}: {case.name}"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return chosen


@pytest.mark.parametrize("case", _library_params())
def test_bad_input_to_the_library_raises_what_the_cli_says(case: Case, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """``harness.api.certify`` refuses the same input before pytest starts, with the CLI's message in a
    HarnessError (before: "did not complete (pytest exit 4)", the file and the field unnamed)."""
    from harness.api import certify
    from harness.errors import HarnessError

    monkeypatch.setattr(pytest, "main", refuse_to_run)
    put(tmp_path / "existing", "a file")
    (tmp_path / "folder").mkdir()
    argv, names = case.make(tmp_path)
    if argv[:1] != ["certify"] or len(argv) != 4 or argv[2] != "--profile":
        pytest.fail(f"not a product-and-profile case: {argv}")  # _library_params chose it: keep them in step
    code = main(argv)
    said = capsys.readouterr().err.strip()
    assert code == 2 and names in said
    with pytest.raises(HarnessError) as raised:
        certify(argv[1], argv[3])
    assert names in str(raised.value) and str(raised.value) in said, (str(raised.value), said)
