"""Strategies for cross-border payments: parties, transfers, amounts by currency, identifiers, and the name
variants a sanctions screener must still catch (case, spacing, diacritics, other scripts, token order,
initials, typos) plus names that are on no list.

Name variants are drawn from a seeded ``random.Random`` (a measurement over a fixed sample, reported with
its counts), the rest are Hypothesis strategies (shrinking to a minimal failing transfer).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal, get_args

from hypothesis import strategies as st
from rapidfuzz import fuzz
from stdnum.cn import ric

from harness.money import fmt
from harness.strategies import ids
from harness.strategies.money import amounts

BEIJING = timezone(timedelta(hours=8))
DIACRITICS = {"a": "áàâä", "e": "éèêë", "i": "íìîï", "o": "óòôö", "u": "úùûü", "c": "ç", "n": "ñ", "s": "š", "z": "ž"}
VARIANT_KINDS = ("case", "spacing", "diacritics", "script", "token_order", "initials", "typo1", "typo2")
FIRST_NAMES = ("James", "Maria", "Pierre", "Sofia", "Lukas", "Emma", "Noah", "Olivia", "Mateo", "Chloe", "Kenji",
               "Aiko", "Ravi", "Priya", "Tomasz", "Agnieszka", "Lars", "Ingrid", "Diego", "Lucia", "Wen", "Jia",
               "Hyun", "Minji", "Kofi", "Amara", "Sean", "Niamh", "Pablo", "Elena", "Hugo", "Clara")
LAST_NAMES = ("Smith", "Garcia", "Dubois", "Rossi", "Schmidt", "Jensen", "Tanaka", "Sato", "Sharma", "Patel",
              "Nowak", "Kowalski", "Larsen", "Berg", "Fernandez", "Lopez", "Zhou", "Huang", "Park", "Kim",
              "Mensah", "Okafor", "Murphy", "Kelly", "Silva", "Costa", "Martin", "Bernard", "Novak", "Horvat")
BANKS = ("BUKBGB22", "DEUTDEFF", "BNPAFRPP", "HSBCHKHH", "CITIUS33", "MHCBJPJT", "DBSSSGSG")


# -- time and money ------------------------------------------------------------------------------------
def at(day: date, seconds: int = 36_000) -> str:
    """ISO timestamp (Beijing time) ``seconds`` after midnight of ``day``."""
    return (datetime.combine(day, time(), BEIJING) + timedelta(seconds=seconds)).isoformat()


def days(first: date, last: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=first, max_value=last)


def day_boundaries(first: date, as_of: date, *edges: date) -> list[date]:
    """The days a date rule breaks on, ``first``..``as_of`` inclusive: the first day, the as-of day and the
    day before, every edge (e.g. the last day of a rate table) and the day after it, and the weekend before
    the as-of day and before every edge."""
    out = [first, as_of, as_of - timedelta(days=1)]
    for edge in (*edges, as_of):
        out += [edge, edge + timedelta(days=1)]
        saturday = edge - timedelta(days=(edge.weekday() - 5) % 7)
        out += [saturday, saturday + timedelta(days=1)]
    return sorted({d for d in out if first <= d <= as_of})


def days_through(first: date, as_of: date, *edges: date) -> st.SearchStrategy[date]:
    """Days from ``first`` up to and including the run's as-of date, its boundaries drawn often."""
    return st.one_of(st.sampled_from(day_boundaries(first, as_of, *edges)), st.dates(first, max(first, as_of)))


def money(currency: str, low: Decimal | str, high: Decimal | str,
          boundaries: tuple[Decimal | str, ...] = ()) -> st.SearchStrategy[str]:
    """Wire-form amounts in ``currency`` (its ISO 4217 minor units), boundaries tried first."""
    return amounts(low, high, currency=currency, boundaries=boundaries).map(lambda a: fmt(a, currency))


def unique_id(request: dict[str, Any], prefix: str = "X") -> dict[str, Any]:
    """``request`` with a payment ID never used before in this run (products keep state across examples)."""
    return {**request, "payment_id": f"{prefix}{ids.fresh():09d}"}


# -- identifiers (PFI C2) -------------------------------------------------------------------------------
@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    """A valid resident identity card number (GB 11643-1999 check digit, validated by python-stdnum).
    Region 110101 (Beijing Dongcheng) is valid in python-stdnum for every birth date drawn here."""
    born = draw(st.dates(min_value=date(1960, 1, 1), max_value=date(2004, 12, 31)))
    body = f"110101{born:%Y%m%d}{draw(st.integers(100, 999))}"
    number = body + ric.calc_check_digit(body + "0")
    return str(ric.validate(number))


def phones() -> st.SearchStrategy[str]:
    return st.builds(lambda p, n: f"1{p}{n:08d}", st.sampled_from(["38", "39", "58", "86", "89"]),
                     st.integers(10_000_000, 99_999_999))


# -- parties and transfers ------------------------------------------------------------------------------
def _person_name() -> st.SearchStrategy[str]:
    return st.builds(lambda f, s: f"{f} {s}", st.sampled_from(FIRST_NAMES), st.sampled_from(LAST_NAMES))


@st.composite
def originators(draw: st.DrawFn, *, complete: bool = True) -> dict[str, Any]:
    """A natural-person originator; ``complete`` ones carry address, national ID, birth date and place."""
    person = {"person_id": f"C{draw(st.integers(1, 99_999)):05d}", "name": draw(_person_name()),
              "account": f"6222{draw(st.integers(10**11, 10**12 - 1))}", "country": "CN",
              "phone": draw(phones())}
    if complete:
        person.update(address=f"{draw(st.integers(1, 999))} Tianhe Road, Guangzhou",
                      national_id=draw(resident_ids()), birth_date="1988-05-17", birth_place="Guangzhou")
    return person


@st.composite
def beneficiaries(draw: st.DrawFn) -> dict[str, Any]:
    account = f"GB{draw(st.integers(10, 99))}BUKB{draw(st.integers(10**13, 10**14 - 1))}"
    return {"name": draw(_person_name()), "account": account,
            "agent_bic": draw(st.sampled_from(BANKS)), "country": draw(st.sampled_from(["GB", "DE", "HK", "US", "SG"]))}


@st.composite
def transfers(draw: st.DrawFn, currency: str, amount: st.SearchStrategy[str], day: date) -> dict[str, Any]:
    """A complete, valid outbound transfer request."""
    return {"payment_id": f"T{draw(st.integers(1, 10**9)):010d}", "at": at(day, draw(st.integers(0, 86_399))),
            "amount": draw(amount), "currency": currency, "originator": draw(originators()),
            "beneficiary": draw(beneficiaries()), "purpose": "Family support"}


# -- sanctions-screening names -------------------------------------------------------------------------
def _typo(name: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha() and i > 0 and name[i - 1].isalpha()]
    if not letters:
        return name
    i = rng.choice(letters)
    how = rng.choice(("substitute", "delete", "transpose", "double"))
    if how == "substitute":
        return name[:i] + rng.choice("aeioustrnl".replace(name[i].lower(), "")) + name[i + 1:]
    if how == "delete":
        return name[:i] + name[i + 1:]
    if how == "transpose" and i + 1 < len(name) and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name[:i] + name[i] + name[i:]


def _diacritics(name: str, rng: random.Random) -> str:
    out = [rng.choice(DIACRITICS[c]) if c in DIACRITICS and rng.random() < 0.5 else c for c in name]
    changed = "".join(out)
    return changed if changed != name else name.replace(name[0], unicodedata.normalize("NFC", name[0] + "\u0301"), 1)


VARIANTS: dict[str, Callable[[dict[str, Any], random.Random], str | None]] = {
    "case": lambda e, r: r.choice([e["name"].upper(), e["name"].lower(), e["name"].swapcase()]),
    "spacing": lambda e, r: r.choice(["  ".join(e["name"].split()), "".join(e["name"].split()),
                                      " " + e["name"].replace(" ", "-") + " "]),
    "diacritics": lambda e, r: _diacritics(e["name"], r),
    "script": lambda e, r: r.choice(list(e["scripts"].values())) if e.get("scripts") else None,
    "token_order": lambda e, r: " ".join(reversed(e["name"].split())) if len(e["name"].split()) > 1 else None,
    "initials": lambda e, r: " ".join([t[0] + "." for t in e["name"].split()[:-1]] + e["name"].split()[-1:])
    if len(e["name"].split()) > 1 else None,
    "typo1": lambda e, r: _typo(e["name"], r),
    "typo2": lambda e, r: _typo(_typo(e["name"], r), r),
}


def name_variants(entries: list[dict[str, Any]], per_entry: int, seed: int) -> list[dict[str, str]]:
    """``per_entry`` variants of every list entry, cycling through the kinds that apply to it."""
    rng = random.Random(seed)
    out: list[dict[str, str]] = []
    for entry in entries:
        kinds = [k for k in VARIANT_KINDS if VARIANTS[k](entry, random.Random(0)) is not None]
        for i in range(per_entry):
            kind = kinds[i % len(kinds)]
            variant = VARIANTS[kind](entry, rng)
            if variant:
                out.append({"entry_id": entry["entry_id"], "kind": kind, "name": variant})
    return out


def non_list_names(entries: list[dict[str, Any]], count: int, seed: int, *, min_distance: float = 70) -> list[str]:
    """``count`` distinct person names none of whose tokens is close to a token of a list name."""
    listed = {t.lower() for e in entries for t in e["name"].split()}
    first = [n for n in FIRST_NAMES if all(fuzz.ratio(n.lower(), t) < min_distance for t in listed)]
    last = [n for n in LAST_NAMES if all(fuzz.ratio(n.lower(), t) < min_distance for t in listed)]
    pool = [f"{f} {s}" for f in first for s in last]
    rng = random.Random(seed)
    rng.shuffle(pool)
    return pool[:count]


def _initials(given: list[str], last: str) -> str:
    """Given names reduced to initials, each part of a hyphenated one too ("J.-L. Moreau")."""
    return " ".join(["-".join(part[0] + "." for part in g.split("-") if part) for g in given] + [last])


def _plain(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


RequiredKind = Literal["listed", "case", "token_order", "spacing", "hyphenation", "diacritics", "initials",
                       "script"]
REQUIRED_KINDS: tuple[str, ...] = get_args(RequiredKind)


def required_variants(entries: list[dict[str, Any]], kinds: Sequence[str] = REQUIRED_KINDS) -> list[dict[str, str]]:
    """The deterministic variants of every list entry a screener must catch, each one: the name as listed,
    in capitals and in lower case, tokens reversed, spaces doubled or removed, a hyphenated part written
    apart or together, accents dropped, given names as initials, and every listed script, as written and
    reversed. No randomness: the same list always gives the same variants."""
    out: dict[tuple[str, str], str] = {}
    for e in entries:
        name, words = e["name"], e["name"].split()
        forms: dict[str, list[str]] = {
            "listed": [name], "case": [name.upper(), name.lower()],
            "token_order": [" ".join(reversed(words))] if len(words) > 1 else [],
            "spacing": ["  ".join(words), "".join(words)],
            "hyphenation": [name.replace("-", " "), name.replace("-", "")] if "-" in name else [],
            "diacritics": [_plain(name)] if _plain(name) != name else [],
            "initials": [_initials(words[:-1], words[-1])] if len(words) > 1 else [],
            "script": [f for s in e.get("scripts", {}).values() for f in (s, " ".join(reversed(s.split())))],
        }
        for kind in kinds:
            for form in forms[kind]:
                out.setdefault((e["entry_id"], form), kind)
    return [{"entry_id": entry_id, "kind": kind, "name": form} for (entry_id, form), kind in out.items()]
