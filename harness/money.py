"""Money is ``Decimal`` with the ISO 4217 minor units of its currency; never a float (cf. py-moneyed)."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from iso4217 import Currency

FEN = Decimal("0.01")


@cache
def minor_units(currency: str) -> int:
    """ISO 4217 exponent (CNY 2, JPY 0, KWD 3); ValueError for an unknown code."""
    try:
        exponent = Currency(currency.upper()).exponent
    except ValueError:
        raise ValueError(f"{currency!r} is not an ISO 4217 currency code") from None
    return int(exponent or 0)


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def to_decimal(value: object) -> Decimal:
    """Parse a money value from its JSON form (a string or int); floats are refused."""
    if isinstance(value, float):
        raise TypeError(f"money must not be a float ({value!r}); send a decimal string")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal amount") from None


def round_half_up(amount: Decimal, currency: str = "CNY") -> Decimal:
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def round_down(amount: Decimal, currency: str = "CNY") -> Decimal:
    return amount.quantize(quantum(currency), rounding=ROUND_DOWN)


def is_representable(amount: Decimal, currency: str) -> bool:
    """True when ``amount`` has no more fraction digits than the currency's minor units allow."""
    return amount == amount.quantize(quantum(currency))


def fmt(amount: Decimal, currency: str = "CNY") -> str:
    """The contract's wire form: exactly the currency's minor units."""
    return str(amount.quantize(quantum(currency)))
