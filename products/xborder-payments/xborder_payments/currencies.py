"""ISO 4217 minor units of the currencies this service handles, and the rounding rules it knows."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

# ISO 4217 exponents (the service's own table, kept in step with the standard).
EXPONENTS = {
    "AUD": 2, "CAD": 2, "CHF": 2, "CNY": 2, "CZK": 2, "DKK": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2,
    "IDR": 2, "INR": 2, "ISK": 0, "JPY": 0, "KRW": 0, "MXN": 2, "MYR": 2, "NOK": 2, "NZD": 2, "PHP": 2,
    "PLN": 2, "SEK": 2, "SGD": 2, "THB": 2, "USD": 2, "ZAR": 2,
}
ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}


def exponent(code: str) -> int:
    return EXPONENTS[code]


def quantum(code: str) -> Decimal:
    return Decimal(1).scaleb(-EXPONENTS[code])


def to_minor(amount: Decimal, code: str, rule: str = "half_up") -> Decimal:
    return amount.quantize(quantum(code), rounding=ROUNDING[rule])


def fmt(amount: Decimal, code: str) -> str:
    return f"{amount.quantize(quantum(code)):f}"
