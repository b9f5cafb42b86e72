"""Money strategies: Decimal amounts with exactly the currency's ISO 4217 minor units, boundaries first."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from hypothesis import strategies as st

from harness.money import quantum


@cache
def amounts(min_value: Decimal | str, max_value: Decimal | str, *, currency: str = "CNY",
            boundaries: tuple[Decimal | str, ...] = ()) -> st.SearchStrategy[Decimal]:
    """Amounts in [min, max] in the currency's minor units; each boundary b is tried as b − 1 unit, b, b + 1.
    Cached: Hypothesis computes properties of each strategy object once, so reuse them."""
    lo, hi, q = Decimal(min_value), Decimal(max_value), quantum(currency)
    places = -q.as_tuple().exponent  # type: ignore[operator]
    edges = sorted({x for b in boundaries for x in (Decimal(b) - q, Decimal(b), Decimal(b) + q) if lo <= x <= hi})
    general = st.decimals(min_value=lo, max_value=hi, places=places, allow_nan=False, allow_infinity=False)
    if not edges:
        return general
    return st.one_of(st.sampled_from(edges), general)
