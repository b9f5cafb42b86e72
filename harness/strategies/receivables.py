"""Receivables test data: parties, invoices, face values, and cosmetic variants of an invoice number.

A variant is the same invoice typed differently (case, spacing, dashes, full-width digits and letters as
an East Asian input method produces them); a platform must recognise it as the same invoice.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

VARIANT_KINDS = ("lower", "spaces", "dashes", "fullwidth", "mixed")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the Unified Social Credit Code alphabet (GB 32100-2015)


def party_ids() -> st.SearchStrategy[str]:
    """18-character IDs shaped like Unified Social Credit Codes (opaque to the platform)."""
    return st.text(alphabet=_USCC_CHARS, min_size=14, max_size=14).map(lambda s: "9131" + s)


_SHORT_NUMBERS = st.builds(lambda prefix, year, serial: f"{prefix}{year}{serial:07d}",
                          st.sampled_from(["FP", "INV", "SHINV", "HT", "DZFP"]), st.integers(2021, 2026),
                          st.integers(1, 9_999_999))
_LONGEST = 64  # the contract's maxLength for invoice_number
_INVOICE_NUMBERS = st.one_of(_SHORT_NUMBERS, _SHORT_NUMBERS, _SHORT_NUMBERS,
                             _SHORT_NUMBERS.map(lambda n: (n * 8)[:_LONGEST]))


def invoice_numbers() -> st.SearchStrategy[str]:
    """Invoice numbers with letters and digits, e.g. ``FP2025004711`` or ``SHINV20260000123``; one in four
    at the contract's longest, 64 characters (a valid registration a platform must accept)."""
    return _INVOICE_NUMBERS


def face_units(max_units: int = 5_000_000_000) -> st.SearchStrategy[int]:
    """Face values in minor units, from small tickets to tens of millions (digit counts vary)."""
    return st.one_of(st.integers(100, 100_000), st.integers(100, max_units))


def due_dates(start: date = date(2030, 1, 1)) -> st.SearchStrategy[date]:
    """Due dates in a fixed future window: never relative to today, so a seed replays the same dates."""
    return st.dates(min_value=start, max_value=start + timedelta(days=330))


def units_to_str(units: int, decimals: int) -> str:
    return f"{Decimal(units).scaleb(-decimals):.{decimals}f}"


def str_to_units(amount: str, decimals: int) -> int:
    return int(Decimal(amount).scaleb(decimals))


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _insert(text: str, sep: str, position: int) -> str:
    cut = 1 + position % max(1, len(text) - 1)
    return text[:cut] + sep + text[cut:]


def cosmetic_variant(number: str, kind: str, position: int = 0) -> str:
    """``number`` typed differently; the result always differs from ``number``."""
    if kind == "lower":
        variant = number.lower() if number.lower() != number else number.upper()
    elif kind == "spaces":
        variant = " " + _insert(number, " ", position)
    elif kind == "dashes":
        variant = _insert(_insert(number, "-", position), "-", position + 4)
    elif kind == "fullwidth":
        variant = _fullwidth(number)
    elif kind == "mixed":
        variant = _fullwidth(_insert(number.lower(), " - ", position))
    else:
        raise ValueError(f"unknown variant kind {kind!r} (valid: {', '.join(VARIANT_KINDS)})")
    return variant if variant != number else number + " "


def variant_kinds() -> st.SearchStrategy[str]:
    return st.sampled_from(VARIANT_KINDS)


def receivable_body(debtor: str, creditor: str, number: str, face: str, currency: str, due: date) -> dict[str, Any]:
    return {"debtor": debtor, "creditor": creditor, "invoice_number": number, "face_value": face,
            "currency": currency, "due_date": due.isoformat()}
