"""Cross-border payments: FX. Minor units, the declared rounding rule, rates against the ECB reference,
round trips, and quote expiry (figures come from the profile)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from hypothesis import strategies as st
from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from harness.checks.common import Dec, dec
from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.cross_border import CrossBorderClient
from harness.errors import HarnessError
from harness.money import fmt, minor_units, quantum
from harness.oracles import ecb_bounds, ecb_rate
from harness.strategies.cross_border import at, days_through, money

ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}


def _iso_currency(code: str) -> str:
    minor_units(code)  # ValueError naming the code when ISO 4217 does not know it
    if code != code.upper():
        raise ValueError(f"write the currency code in capitals ({code.upper()!r}, not {code!r})")
    return code


def _distinct(codes: list[str]) -> list[str]:
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise ValueError(f"{', '.join(twice)} listed more than once; list each currency once")
    return codes


Currency = Annotated[str, AfterValidator(_iso_currency)]
"""An ISO 4217 currency code, in capitals."""
Currencies = Annotated[list[Currency], AfterValidator(_distinct)]
"""Distinct ISO 4217 currency codes."""


def last_day_not_before_first(last: date, info: ValidationInfo) -> date:
    """Field validator for ``last_day``: the range of days drawn from must not be empty."""
    first = info.data.get("first_day")
    if first is not None and last < first:
        raise ValueError(f"{last} is before first_day {first}: no day would be tested; swap or fix them")
    return last


class FxParams(Params):
    currencies: Currencies = Field(min_length=2, description="Currencies the product must quote (ISO 4217)")
    first_day: date = Field(description="Quote dates are drawn from first_day up to and including the run's as-of "
                            "date; last_day (the end of the ECB data the profile relies on) and the day after it are "
                            "boundaries drawn first")
    last_day: date
    max_sell_amount: Dec = Field(Decimal("100000"), gt=0, le=Decimal("1000000000000"))

    _days = field_validator("last_day")(last_day_not_before_first)


NO_RATE = "urn:sandbox:xb:no-rate-for-date"


def oracle_last_day(currencies: list[str]) -> date | None:
    """The last day the ECB oracle has a fixing for every currency (None when it knows none of them)."""
    try:
        return min(ecb_bounds(c)[1] for c in currencies if c != "EUR")
    except (KeyError, ValueError, HarnessError):
        return None


def quote_days(ctx: CheckContext, first: date, last: date, currencies: list[str]) -> st.SearchStrategy[date]:
    """Quote days up to and including the run's as-of date: the clock moves. Boundaries first: the profile's
    last_day, the oracle's last fixing and the day after, the as-of day, weekends."""
    edges = [last] + ([end] if (end := oracle_last_day(currencies)) else [])
    return days_through(first, ctx.as_of, *edges)


def covered(day: date, *currencies: str) -> bool:
    end = oracle_last_day([c for c in currencies if c != "EUR"] or ["USD"])
    return end is not None and day <= end


def answer_on(ctx: CheckContext, client: CrossBorderClient, operation: str, request: dict[str, Any], day: date,
              *currencies: str) -> dict[str, Any] | None:
    """Send the valid ``request`` of ``operation``, dated ``day``. On a day the ECB oracle covers for
    ``currencies``, the product must answer it (200); past the oracle the contract allows an answer or a 422
    problem+json of type urn:sandbox:xb:no-rate-for-date (None), nothing else (a 5xx is a failure anyway)."""
    if covered(day, *currencies):
        return dict(client.call(operation, request))
    status, body = client.attempt(operation, request)
    if status == 200:
        return dict(body)
    if status == 422 and isinstance(body, dict) and body.get("type") == NO_RATE:
        return None
    assert client.last is not None
    ctx.fail(f"{operation} dated {day} (past the ECB oracle's last fixing) answered {status}; the contract allows "
             f"an answer or 422 problem+json type {NO_RATE}", exchange=client.last.as_dict())


def quote_on(ctx: CheckContext, client: CrossBorderClient, request: dict[str, str], day: date
             ) -> dict[str, Any] | None:
    """Quote ``request`` (see :func:`answer_on`)."""
    return answer_on(ctx, client, "quote", request, day, request["sell_currency"], request["buy_currency"])


def pay_on(ctx: CheckContext, client: CrossBorderClient, request: dict[str, Any], day: date) -> dict[str, Any] | None:
    """Pay ``request``, dated ``day``: it counts at its USD equivalent (see :func:`answer_on`)."""
    return answer_on(ctx, client, "pay", request, day, request["currency"], "USD")


def supported(ctx: CheckContext, client: CrossBorderClient, wanted: list[str]) -> dict[str, Any]:
    info = client.info()
    missing = sorted(set(wanted) - set(info["currencies"]))
    if missing:
        ctx.fail(f"the product does not offer {missing}, which the profile requires", info=info)
    return info


def pairs(currencies: list[str]) -> st.SearchStrategy[tuple[str, str]]:
    return st.tuples(st.sampled_from(currencies), st.sampled_from(currencies)).filter(lambda p: p[0] != p[1])


def quote_request(sell: str, buy: str, amount: str, day: date, second: int = 36_000) -> dict[str, str]:
    return {"sell_currency": sell, "buy_currency": buy, "sell_amount": amount, "at": at(day, second)}


def exact_minor_units(value: str, currency: str) -> bool:
    digits = len(value.partition(".")[2])
    return digits == minor_units(currency)


@check("cross_border.minor_units", params=FxParams)
def minor_units_check(ctx: CheckContext, p: FxParams) -> None:
    """Every amount is written with exactly its currency's ISO 4217 minor units; finer amounts are refused."""
    client = ctx.client(CrossBorderClient)
    supported(ctx, client, p.currencies)
    op = client.contract.operations["quote"]

    @ctx.given(pair=pairs(p.currencies), day=quote_days(ctx, p.first_day, p.last_day, p.currencies),
               data=st.data())
    def prop(pair: tuple[str, str], day: date, data: st.DataObject) -> None:
        sell, buy = pair
        amount = data.draw(money(sell, quantum(sell), p.max_sell_amount), label="sell_amount")
        quote = quote_on(ctx, client, quote_request(sell, buy, amount, day), day)
        if quote is None:
            return
        for field, currency in (("sell_amount", sell), ("buy_amount", buy)):
            if not exact_minor_units(quote[field], currency):
                ctx.fail(f"{field} {quote[field]} {currency} is not written with the {minor_units(currency)} "
                         f"minor units of ISO 4217", quote=quote)
        finer = f"{amount}{'.' if minor_units(sell) == 0 else ''}5"
        response, exchange = client.send(op.method, op.path, quote_request(sell, buy, finer, day))
        if response.status_code < 400:
            ctx.fail(f"{finer} {sell} has more fraction digits than {sell}'s {minor_units(sell)} minor units, "
                     f"but was accepted", exchange=exchange.as_dict())

    prop()


@check("cross_border.rounding", params=FxParams)
def rounding(ctx: CheckContext, p: FxParams) -> None:
    """Converted amounts equal sell_amount × rate rounded to the buy currency's minor units by the declared
    rule, in the quote and in the executed conversion."""
    client = ctx.client(CrossBorderClient)
    info = supported(ctx, client, p.currencies)
    rule = ROUNDING[info["rounding"]]

    @ctx.given(pair=pairs(p.currencies), day=quote_days(ctx, p.first_day, p.last_day, p.currencies),
               data=st.data())
    def prop(pair: tuple[str, str], day: date, data: st.DataObject) -> None:
        sell, buy = pair
        amount = data.draw(money(sell, quantum(sell), p.max_sell_amount), label="sell_amount")
        quote = quote_on(ctx, client, quote_request(sell, buy, amount, day), day)
        if quote is None:
            return
        expected = (dec(quote["sell_amount"]) * dec(quote["rate"])).quantize(quantum(buy), rounding=rule)
        if dec(quote["buy_amount"]) != expected:
            ctx.fail(f"{quote['sell_amount']} {sell} × {quote['rate']} = {expected} {buy} under the declared "
                     f"{info['rounding']} rule, but the quote says {quote['buy_amount']}", quote=quote)
        done = client.convert(quote["quote_id"], quote["quoted_at"])
        if done["status"] != "executed" or dec(done.get("buy_amount", "-1")) != expected:
            ctx.fail(f"executing the quote gave {done.get('buy_amount')} {buy}, quoted {expected}",
                     quote=quote, conversion=done)

    prop()


class ReferenceParams(FxParams):
    max_spread: Dec = Field(ge=0, lt=1, description="Largest spread (fraction of the reference rate) a quote may "
                            "declare")
    reference_tolerance: Dec = Field(Decimal("0.0005"), ge=0, lt=1,
                                     description="Relative slack for the product's rate source vs the ECB fixing")


@check("cross_border.fx_reference", params=ReferenceParams)
def fx_reference(ctx: CheckContext, p: ReferenceParams) -> None:
    """The executed rate is within the quoted spread of the ECB reference rate, the spread within the
    maximum, and a round trip loses at most twice the spread (plus one minor unit per leg)."""
    client = ctx.client(CrossBorderClient)
    supported(ctx, client, p.currencies)

    @ctx.given(pair=pairs(p.currencies), day=quote_days(ctx, p.first_day, p.last_day, p.currencies),
               data=st.data())
    def prop(pair: tuple[str, str], day: date, data: st.DataObject) -> None:
        sell, buy = pair
        amount = data.draw(money(sell, quantum(sell) * 10_000, p.max_sell_amount), label="sell_amount")
        there = quote_on(ctx, client, quote_request(sell, buy, amount, day), day)
        if there is None:
            return
        spread = dec(there["spread"])
        if spread > p.max_spread:
            ctx.fail(f"quoted spread {spread} exceeds the maximum {p.max_spread}", quote=there)
        if not covered(day, sell, buy):
            return  # past the oracle: structure, rounding and spread checked, the reference cannot be
        reference = ecb_rate(sell, buy, day)
        allowed = reference * (spread + p.reference_tolerance)
        if abs(dec(there["rate"]) - reference) > allowed:
            ctx.fail(f"{sell}/{buy} rate {there['rate']} on {day} is more than {spread} (+{p.reference_tolerance}) "
                     f"away from the ECB reference {reference}", quote=there, ecb_reference=str(reference))
        client.convert(there["quote_id"], there["quoted_at"])
        back = client.quote(quote_request(buy, sell, there["buy_amount"], day, 36_001))
        client.convert(back["quote_id"], back["quoted_at"])
        start, end = dec(there["sell_amount"]), dec(back["buy_amount"])
        slack = quantum(sell) + quantum(buy) * dec(back["rate"])
        floor = start * (1 - 2 * spread - 2 * p.reference_tolerance) - slack
        if end < floor:
            ctx.fail(f"round trip {start} {sell} → {there['buy_amount']} {buy} → {end} {sell} lost "
                     f"{start - end}, more than twice the spread {spread} allows ({fmt(start - floor, sell)})",
                     there=there, back=back)

    prop()


class ExpiryParams(Params):
    currencies: Currencies = Field(min_length=2)
    first_day: date
    last_day: date
    max_ttl_seconds: int = Field(ge=1, le=86_400, description="Longest quote lifetime the product may declare")

    _days = field_validator("last_day")(last_day_not_before_first)


@check("cross_border.quote_expiry", params=ExpiryParams)
def quote_expiry(ctx: CheckContext, p: ExpiryParams) -> None:
    """A quote is executed until it expires and refused after; its lifetime is the declared one."""
    client = ctx.client(CrossBorderClient)
    info = supported(ctx, client, p.currencies)
    ttl = int(info["quote_ttl_seconds"])
    if ttl > p.max_ttl_seconds:
        ctx.fail(f"declared quote lifetime {ttl} s exceeds the maximum {p.max_ttl_seconds} s", info=info)

    # The lifetime's edges every time (a sample of 0..ttl rarely draws them): executed at the instant it was
    # given and at the instant it expires (the lifetime includes both), refused one second later.
    edge_pair, edge_day = (p.currencies[0], p.currencies[1]), p.first_day
    explicit = [{"pair": edge_pair, "day": edge_day, "late": 1, "early": early} for early in (0, ttl)]

    @ctx.given(pair=pairs(p.currencies), day=quote_days(ctx, p.first_day, p.last_day, p.currencies),
               late=st.integers(1, 86_400),
               early=st.integers(0, ttl), explicit=explicit)
    def prop(pair: tuple[str, str], day: date, late: int, early: int) -> None:
        sell, buy = pair
        quote = quote_on(ctx, client, quote_request(sell, buy, fmt(Decimal(100), sell), day), day)
        if quote is None:
            return
        expires = datetime.fromisoformat(quote["expires_at"])
        quoted = datetime.fromisoformat(quote["quoted_at"])
        if expires - quoted != timedelta(seconds=ttl):
            ctx.fail(f"quote lives {(expires - quoted).total_seconds():g} s, declared {ttl} s", quote=quote)
        valid = client.convert(quote["quote_id"], (quoted + timedelta(seconds=early)).isoformat())
        if valid["status"] != "executed":
            ctx.fail(f"quote refused {early} s after it was given (lifetime {ttl} s)", quote=quote, conversion=valid)
        stale = client.quote(quote_request(sell, buy, fmt(Decimal(100), sell), day))
        stale_end = datetime.fromisoformat(stale["expires_at"])
        expired = client.convert(stale["quote_id"], (stale_end + timedelta(seconds=late)).isoformat())
        if expired["status"] != "refused":
            ctx.fail(f"quote executed {late} s after it expired", quote=stale, conversion=expired)

    prop()
