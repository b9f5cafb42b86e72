"""Invoice identity: the same invoice must be recognised however its number was typed."""

from __future__ import annotations

import re
import unicodedata

_NOISE = re.compile(r"[\s\-\u2010-\u2015\u2212\uff0d_./]+")


def normalise(number: str) -> str:
    """NFKC (full-width digits and letters → ASCII), case fold, drop spaces, dashes and separators."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", number)).casefold().upper()


def invoice_key(debtor: str, creditor: str, number: str) -> str:
    return f"{debtor}|{creditor}|{normalise(number)}"
