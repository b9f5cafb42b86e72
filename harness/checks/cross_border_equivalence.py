"""Cross-border payments: every foreign currency counts at its USD equivalent on the trade date, in the annual
FX quota (Hui Fa [2007] No. 1 Art. 2: USD 50,000 "equivalent") and in the large-value totals (PBOC Order
[2016] No. 3 Art. 5: USD 10,000 "foreign-currency equivalent").

The ECB reference rates (the harness's oracle) give the USD equivalent. Decisions are asserted only clearly
inside or outside a limit (a margin of twice the rate tolerance), so a product whose rate source differs from
the oracle by less than the tolerance is never failed on a rounding edge; the totals it states must agree with
the oracle within the tolerance and with its own per-purchase equivalents exactly.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import strategies as st
from pydantic import Field, field_validator

from harness.checks.common import Dec, dec
from harness.checks.context import CheckContext
from harness.checks.cross_border_fx import (
    Currencies,
    answer_on,
    covered,
    last_day_not_before_first,
    oracle_last_day,
    pay_on,
    quote_days,
)
from harness.checks.registry import Params, check
from harness.contracts.cross_border import CrossBorderClient
from harness.money import fmt, quantum
from harness.oracles import ecb_rate
from harness.strategies import ids
from harness.strategies.cross_border import at, unique_id

FRACTIONS = (Decimal("0.3"), Decimal("0.45"), Decimal("0.6"), Decimal("0.7"))


class EquivalenceParams(Params):
    currencies: Currencies = Field(min_length=1, description="Foreign currencies bought and sent (not CNY)")
    quota_usd: Dec = Field(gt=0, le=Decimal("1000000000"), description="Annual FX quota, USD equivalent")
    report_usd: Dec = Field(gt=0, le=Decimal("1000000000"),
                            description="Large-value threshold for a person's foreign-currency day total, USD")
    first_day: date = Field(description="Trade dates are drawn up to and including the run's as-of date; past "
                            "the ECB data a 422 no-rate-for-date problem is allowed, never a 5xx")
    last_day: date
    tolerance: Dec = Field(Decimal("0.0005"), ge=0, lt=Decimal("0.05"),
                           description="Relative slack between the product's rate source and the ECB fixing")

    _days = field_validator("last_day")(last_day_not_before_first)

    @field_validator("currencies")
    @classmethod
    def _foreign(cls, codes: list[str]) -> list[str]:
        if "CNY" in codes:
            raise ValueError("CNY is not a foreign currency here; list only the currencies counted in USD")
        return codes


def in_currency(usd: Decimal, currency: str, day: date) -> Decimal:
    """The amount of ``currency`` worth ``usd`` on ``day`` (ECB; past its data, at its last fixing: the product
    may then answer the no-rate problem), to the currency's minor units."""
    end = oracle_last_day([currency, "USD"])
    rate = Decimal(1) if currency == "USD" else ecb_rate(currency, "USD", min(day, end) if end else day)
    return (usd / rate).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def judged(currency: str, day: date) -> bool:
    """Whether the oracle can judge an amount in ``currency`` on ``day`` (USD needs no rate)."""
    return currency == "USD" or covered(day, currency, "USD")


def usd_of(amount: Decimal, currency: str, day: date) -> Decimal:
    return amount if currency == "USD" else amount * ecb_rate(currency, "USD", day)


@check("cross_border.usd_equivalence", params=EquivalenceParams)
def usd_equivalence(ctx: CheckContext, p: EquivalenceParams) -> None:
    """A purchase in any foreign currency uses the quota at its USD equivalent on the trade date: the stated
    equivalent agrees with the ECB rate, the year's usage is the sum of them, and a purchase taking the total
    clearly past the quota is refused. Transfers in any foreign currency add up in USD: a day total clearly
    below the threshold files no report, clearly above it a report with that total.

    Every currency at the first day runs first, every time (a product that counts only USD fails at any seed)."""
    client = ctx.client(CrossBorderClient)
    margin = 2 * p.tolerance + Decimal("0.01")
    days = quote_days(ctx, p.first_day, p.last_day, [*p.currencies, "USD"])
    explicit = [{"currency": c, "day": p.first_day, "share": Decimal("0.6")} for c in p.currencies]

    def agrees(stated: str, expected: Decimal, what: str, **evidence: Any) -> None:
        slack = expected * p.tolerance + Decimal("0.01")
        if abs(dec(stated) - expected) > slack:
            ctx.fail(f"{what}: the product states USD {stated}, the ECB rate gives {fmt(expected, 'USD')} "
                     f"(tolerance {p.tolerance})", **evidence)

    def quota(currency: str, day: date, share: Decimal, person: str) -> None:
        first = in_currency(p.quota_usd * share, currency, day)
        request = {"purchase_id": f"{person}-1", "person_id": person, "currency": currency,
                   "amount": fmt(first, currency), "at": at(day)}
        bought = answer_on(ctx, client, "fx_purchase", request, day, currency, "USD")
        if bought is None or not judged(currency, day):
            return  # past the ECB data: the 422 problem, or an answer the oracle cannot judge
        if bought["status"] != "executed":
            ctx.fail(f"{fmt(first, currency)} {currency} (about {share:.0%} of the quota) was refused", result=bought)
        agrees(bought["usd_equivalent"], usd_of(first, currency, day),
               f"{fmt(first, currency)} {currency} on {day}", result=bought)
        second = in_currency(p.quota_usd * (1 - share + margin), currency, day)
        again = client.fx_purchase({**request, "purchase_id": f"{person}-2", "amount": fmt(second, currency)})
        if again["status"] == "executed":
            ctx.fail(f"{person} bought {fmt(first, currency)} then {fmt(second, currency)} {currency} on {day}: "
                     f"USD {fmt(usd_of(first + second, currency, day), 'USD')} together, past the "
                     f"{p.quota_usd} quota, but both were executed", first=bought, second=again)
        usage = client.fx_usage(person, day.year)
        if dec(usage["used_usd"]) != dec(bought["usd_equivalent"]):
            ctx.fail(f"{person}'s {day.year} usage is USD {usage['used_usd']}; the one executed purchase counted "
                     f"USD {bought['usd_equivalent']}", usage=usage, purchase=bought)

    def reports(currency: str, day: date, share: Decimal, person: str) -> None:
        amount = in_currency(p.report_usd * share, currency, day)
        rest = in_currency(p.report_usd * (1 - share + margin), currency, day)
        total = Decimal(0)
        for n, part in enumerate((amount, rest)):
            request = unique_id(transfer(currency, part, day, person), f"EQ{n}")
            paid = pay_on(ctx, client, request, day)
            if paid is None or not judged(currency, day):
                return
            if paid["status"] != "executed":
                ctx.fail(f"a complete transfer of {request['amount']} {currency} was {paid['status']}", payment=paid)
            total += part
            filed = [r for r in client.reports(day.isoformat())
                     if r["person_id"] == person and r["currency_class"] == "FOREIGN"]
            if n == 0 and filed:
                ctx.fail(f"{person} sent {fmt(part, currency)} {currency} on {day} (USD "
                         f"{fmt(usd_of(part, currency, day), 'USD')}, below the {p.report_usd} threshold), but a "
                         "large-value report was filed", report=filed[0])
            if n == 1:
                if not filed:
                    ctx.fail(f"{person} sent {fmt(total, currency)} {currency} on {day} (USD "
                             f"{fmt(usd_of(total, currency, day), 'USD')}, past the {p.report_usd} threshold), but no "
                             "large-value report was filed")
                agrees(filed[0]["total"], usd_of(total, currency, day), f"the {day} foreign-currency day total",
                       report=filed[0])

    @ctx.given(currency=st.sampled_from(p.currencies), day=days, share=st.sampled_from(FRACTIONS),
               explicit=explicit)
    def prop(currency: str, day: date, share: Decimal) -> None:
        run = ids.fresh()
        quota(currency, day, share, f"EQ{run:06d}Q")
        reports(currency, day, share, f"EQ{run:06d}R")

    prop()


def transfer(currency: str, amount: Decimal, day: date, person: str) -> dict[str, Any]:
    """A complete transfer by ``person`` (names on no test list)."""
    return {"payment_id": "EQ", "at": at(day, 3_600), "amount": fmt(amount, currency), "currency": currency,
            "originator": {"person_id": person, "name": "Lukas Berg", "account": "6222000000000001",
                           "country": "CN", "address": "8 Zhujiang Road, Guangzhou"},
            "beneficiary": {"name": "Receiver Ltd", "account": "GB29NWBK60161331926819", "agent_bic": "NWBKGB2L"}}
