"""Input validation: anything malformed becomes :class:`Invalid` naming the field (answered 422)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from xborder_payments.currencies import exponent

MONEY = re.compile(r"^(0|[1-9][0-9]{0,14})(\.[0-9]{1,4})?$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
PARTY_FIELDS = {"person_id", "name", "account", "address", "country", "national_id", "birth_date", "birth_place",
                "phone", "agent_bic"}
CARD_FIELDS = {"pan", "cvv", "pin", "track2"}


class Invalid(ValueError):
    pass


class Unsupported(Invalid):
    """A well-formed currency code the product does not serve (answered 422 urn:sandbox:xb:unsupported-currency)."""


class MinorUnits(Invalid):
    """An amount finer than its currency's ISO 4217 minor units (answered 422 urn:sandbox:xb:minor-units)."""


def obj(value: Any, where: str, required: set[str], optional: frozenset[str] | set[str] = frozenset()
        ) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"{where}: must be an object")
    missing = required - value.keys()
    if missing:
        raise Invalid(f"{where}.{sorted(missing)[0]}: required")
    extra = value.keys() - required - optional
    if extra:
        raise Invalid(f"{where}.{sorted(extra)[0]}: unknown field")
    return value


def text(value: Any, where: str, max_len: int = 140) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= max_len:
        raise Invalid(f"{where}: must be a string of 1 to {max_len} characters")
    return value


def timestamp(value: Any, where: str = "at") -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise Invalid(f"{where}: must be an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise Invalid(f"{where}: needs a UTC offset")
    return parsed


def currency(value: Any, where: str, supported: set[str]) -> str:
    if not isinstance(value, str) or not CURRENCY.fullmatch(value):
        raise Invalid(f"{where}: must be a three-letter ISO 4217 code")
    if value not in supported:
        raise Unsupported(f"{where}: {value} is not served; served: {sorted(supported)}")
    return value


def money(value: Any, where: str, code: str) -> Decimal:
    """A positive amount with no more fraction digits than the currency's ISO 4217 minor units."""
    if not isinstance(value, str) or not MONEY.fullmatch(value):
        raise Invalid(f"{where}: must be a decimal string")
    amount = Decimal(value)
    if amount <= 0:
        raise Invalid(f"{where}: must be positive")
    if -amount.as_tuple().exponent > exponent(code):  # type: ignore[operator]
        raise MinorUnits(f"{where}: {code} has {exponent(code)} minor units")
    return amount


# the contract's maxLength of each Party field (ISO 20022 lengths: Max34Text for an IBAN-sized account, ...)
PARTY_MAX_LENGTH = {"person_id": 64, "name": 140, "account": 34, "address": 140, "national_id": 35,
                    "birth_place": 35, "phone": 20}


def party(value: Any, where: str) -> dict[str, Any]:
    p = obj(value, where, {"name", "account"}, PARTY_FIELDS)
    for key, item in p.items():
        text(item, f"{where}.{key}", PARTY_MAX_LENGTH.get(key, 140))
    if "agent_bic" in p and not BIC.fullmatch(p["agent_bic"]):
        raise Invalid(f"{where}.agent_bic: must be a BIC")
    if "country" in p and not COUNTRY.fullmatch(p["country"]):
        raise Invalid(f"{where}.country: must be an ISO 3166-1 alpha-2 code")
    if "birth_date" in p:
        try:
            date.fromisoformat(p["birth_date"])
        except ValueError:
            raise Invalid(f"{where}.birth_date: must be an ISO 8601 date (YYYY-MM-DD)") from None
    return p


CARD_PATTERNS = {"pan": re.compile(r"^[0-9]{12,19}$"), "cvv": re.compile(r"^[0-9]{3,4}$"),
                 "pin": re.compile(r"^[0-9]{4,6}$")}


def card(value: Any) -> dict[str, Any]:
    c = obj(value, "card", {"pan"}, CARD_FIELDS)
    for key, item in c.items():
        text(item, f"card.{key}", 40)
        if key in CARD_PATTERNS and not CARD_PATTERNS[key].fullmatch(item):
            raise Invalid(f"card.{key}: must be {CARD_PATTERNS[key].pattern}")
    return c
