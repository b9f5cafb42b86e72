"""Cross-border payments: quotas and anti-money-laundering duties. The individual annual FX quota and
large-value reports are stateful (a Hypothesis state machine holds the model); the travel rule is a
property of every transfer (sanctions screening: cross_border_screening)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from pydantic import Field, field_validator

from harness.checks.common import Dec, dec
from harness.checks.context import CheckContext, minimal
from harness.checks.cross_border_fx import Currency, answer_on, last_day_not_before_first, pay_on, quote_days
from harness.checks.registry import Params, check
from harness.contracts.cross_border import CrossBorderClient
from harness.errors import HarnessError
from harness.money import fmt
from harness.strategies import ids
from harness.strategies.cross_border import (
    at,
    money,
    transfers,
    unique_id,
)

Threshold = Annotated[Dec, Field(gt=0, le=Decimal("1000000000"))]
"""A threshold: a positive amount (0 or less would make every payment reportable)."""


class QuotaParams(Params):
    quota_usd: Dec = Field(gt=0, le=Decimal("1000000000"), decimal_places=2,
                           description="Annual FX purchase quota per natural person, USD equivalent")
    first_day: date
    persons: int = Field(2, ge=1, le=5)


@check("cross_border.annual_quota", params=QuotaParams)
def annual_quota(ctx: CheckContext, p: QuotaParams) -> None:
    """A person buys at most the quota per calendar year, purchases on their behalf included, split
    purchases included; the quota resets on 1 January (not on an anniversary)."""
    client = ctx.client(CrossBorderClient)
    quota = p.quota_usd

    class Quota(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            run = ids.fresh()
            self.people = [f"Q{run:06d}P{i}" for i in range(p.persons)]
            self.used: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
            self.day = p.first_day

        @initialize(offset=st.integers(0, 364))
        def start(self, offset: int) -> None:
            self.day = p.first_day + timedelta(days=offset)

        def buy(self, who: int, amount: Decimal, on_behalf: bool) -> None:
            person = self.people[who]
            request = {"purchase_id": f"{person}-{len(self.used)}-{amount}", "person_id": person,
                       "currency": "USD", "amount": fmt(amount, "USD"), "at": at(self.day)}
            if on_behalf:
                request["buyer_id"] = f"{person}-AGENT"
            result = answer_on(ctx, client, "fx_purchase", request, self.day, "USD")
            if result is None:
                return  # past the rate table: the contract's 422 no-rate-for-date problem, nothing counted
            key = (person, self.day.year)
            allowed = self.used[key] + amount <= quota
            if allowed and result["status"] != "executed":
                ctx.fail(f"{person} bought {self.used[key]} USD in {self.day.year}; {amount} more is within the "
                         f"{quota} quota but was refused", request=request, result=result)
            if not allowed and result["status"] == "executed":
                ctx.fail(f"{person} bought {self.used[key]} USD in {self.day.year}; {amount} more exceeds the "
                         f"{quota} quota but was executed", request=request, result=result)
            if allowed:
                self.used[key] += amount

        @rule(who=st.integers(0, p.persons - 1), on_behalf=st.booleans(),
              amount=st.one_of(st.sampled_from([quota, quota / 2, quota / 5]),
                               st.decimals(Decimal("0.01"), quota, places=2)))
        def purchase(self, who: int, on_behalf: bool, amount: Decimal) -> None:
            self.buy(who, amount, on_behalf)

        @rule(who=st.integers(0, p.persons - 1), extra=st.sampled_from([Decimal(0), Decimal("0.01")]))
        def top_up(self, who: int, extra: Decimal) -> None:
            """Buy exactly what is left of the quota (or one cent more): the boundary."""
            left = quota - self.used[(self.people[who], self.day.year)]
            if left + extra > 0:
                self.buy(who, left + extra, on_behalf=False)

        @rule(step=st.sampled_from([1, 30, 120, 200]))
        def later(self, step: int) -> None:
            self.day += timedelta(days=step)

        @rule(at_new_year=st.booleans())
        def year_end(self, at_new_year: bool) -> None:
            self.day = date(self.day.year, 12, 31) + timedelta(days=int(at_new_year))

        @invariant()
        def usage_reported(self) -> None:
            for person in self.people:
                usage = client.fx_usage(person, self.day.year)
                if dec(usage["used_usd"]) != self.used[(person, self.day.year)]:
                    ctx.fail(f"{person}'s {self.day.year} usage is {usage['used_usd']} USD, the purchases add up to "
                             f"{self.used[(person, self.day.year)]}", usage=usage)

    ctx.run_state_machine(Quota, stateful_step_count=25)


class ReportParams(Params):
    thresholds: dict[str, Threshold] = Field(description="Per person per day: CNY total, and USD-equivalent total")
    first_day: date
    persons: int = Field(2, ge=1, le=5)

    @field_validator("thresholds")
    @classmethod
    def _cny_and_usd(cls, thresholds: dict[str, Decimal]) -> dict[str, Decimal]:
        if set(thresholds) != {"CNY", "USD"}:
            raise ValueError(f"give exactly CNY and USD (got {', '.join(sorted(thresholds)) or 'none'})")
        return thresholds


@check("cross_border.large_value_reports", params=ReportParams)
def large_value_reports(ctx: CheckContext, p: ReportParams) -> None:
    """A report is filed exactly when a person's day total (CNY, or foreign currency in USD) reaches the
    threshold, the boundary included, and never below it."""
    client = ctx.client(CrossBorderClient)
    if set(p.thresholds) != {"CNY", "USD"}:
        raise HarnessError(f"{ctx.requirement.id}: parameters.thresholds must give CNY and USD")

    start_days = quote_days(ctx, p.first_day, p.first_day, ["CNY", "USD"])

    class Reports(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.run = ids.fresh()
            self.people = [f"R{self.run:06d}P{i}" for i in range(p.persons)]
            self.totals: dict[tuple[str, date, str], Decimal] = defaultdict(Decimal)
            self.day = p.first_day
            self.count = 0

        @initialize(start=st.one_of(st.just(p.first_day), start_days))
        def begin(self, start: date) -> None:
            """Start on first_day, or on a day up to the run's as-of date (past the rate table a CNY transfer,
            which needs the USD rate, may get the 422 no-rate problem: nothing is then counted)."""
            self.day = start

        def send(self, who: int, currency: str, amount: Decimal) -> None:
            self.count += 1
            person = self.people[who]
            request = {"payment_id": f"R{self.run:06d}-{self.count}", "at": at(self.day, 3_600 + self.count),
                       "amount": fmt(amount, currency), "currency": currency,
                       "originator": {"person_id": person, "name": f"Person {person}", "account": f"62{self.run:012d}",
                                      "address": "8 Zhujiang Road, Guangzhou", "country": "CN"},
                       "beneficiary": {"name": "Receiver Ltd", "account": "GB29NWBK60161331926819",
                                       "agent_bic": "NWBKGB2L"}}
            result = pay_on(ctx, client, request, self.day)
            if result is None:
                return
            if result["status"] != "executed":
                ctx.fail(f"a complete transfer was refused: {result['reasons']}", request=request, result=result)
            self.totals[(person, self.day, "CNY" if currency == "CNY" else "FOREIGN")] += amount

        @rule(who=st.integers(0, p.persons - 1), currency=st.sampled_from(["CNY", "USD"]), data=st.data())
        def transfer(self, who: int, currency: str, data: st.DataObject) -> None:
            limit = p.thresholds[currency]
            amount = data.draw(st.one_of(st.sampled_from([limit, limit - Decimal("0.01"), limit / 2, limit / 4]),
                                         st.decimals(Decimal("0.01"), limit * 2, places=2)), label="amount")
            self.send(who, currency, amount)

        @rule(who=st.integers(0, p.persons - 1), currency=st.sampled_from(["CNY", "USD"]),
              short=st.sampled_from([Decimal(0), Decimal("0.01")]))
        def reach(self, who: int, currency: str, short: Decimal) -> None:
            """Send what makes the day total exactly the threshold (or one cent short of it)."""
            cls = "CNY" if currency == "CNY" else "FOREIGN"
            left = p.thresholds[currency] - self.totals[(self.people[who], self.day, cls)] - short
            if left > 0:
                self.send(who, currency, left)

        @rule()
        def next_day(self) -> None:
            self.day += timedelta(days=1)

        @invariant()
        def reports_match(self) -> None:
            filed = {(r["person_id"], r["currency_class"]): r for r in client.reports(self.day.isoformat())
                     if r["person_id"] in self.people}
            for person in self.people:
                for cls, currency in (("CNY", "CNY"), ("FOREIGN", "USD")):
                    total = self.totals[(person, self.day, cls)]
                    due = total >= p.thresholds[currency]
                    report = filed.get((person, cls))
                    if due and report is None:
                        ctx.fail(f"{person}'s {cls} total on {self.day} is {total} {currency}, at or above the "
                                 f"{p.thresholds[currency]} threshold, but no report was filed", filed=list(filed))
                    if not due and report is not None:
                        ctx.fail(f"a report was filed for {person}'s {cls} total {total} {currency} on {self.day}, "
                                 f"below the {p.thresholds[currency]} threshold", report=report)
                    if report is not None and dec(report["total"]) != total:
                        ctx.fail(f"report total {report['total']} differs from the day's {total}", report=report)
                    if report is not None and (report["currency"], report["day"]) != (currency, self.day.isoformat()):
                        ctx.fail(f"the {cls} report of {person} on {self.day} states its total in "
                                 f"{report['currency']} for day {report['day']}; the total is in {currency} "
                                 f"(CNY for CNY payments, the USD equivalent for foreign ones) for {self.day}",
                                 report=report)

    ctx.run_state_machine(Reports, stateful_step_count=20)


class TravelRuleParams(Params):
    thresholds: dict[Currency, Threshold] = Field(
        min_length=1, description="Currency → amount at or above which R.16 data is required")
    first_day: date = Field(description="Transfer dates are drawn up to and including the run's as-of date; "
                            "last_day (the end of the ECB data) and the days after it are boundaries drawn first")
    last_day: date

    _days = field_validator("last_day")(last_day_not_before_first)


MISSING = ("originator_identifiers", "originator.name", "originator.account", "beneficiary.name",
           "beneficiary.account", "birth_date_without_place")


def _strip(request: dict[str, Any], missing: str) -> dict[str, Any]:
    o, b = dict(request["originator"]), dict(request["beneficiary"])
    if missing in ("originator_identifiers", "birth_date_without_place"):
        for key in ("address", "national_id", "person_id", "birth_place"):
            o.pop(key, None)
        if missing == "originator_identifiers":
            o.pop("birth_date", None)
    else:
        who, key = missing.split(".")
        (o if who == "originator" else b)[key] = " "
    return {**request, "originator": o, "beneficiary": b}


@check("cross_border.travel_rule", params=TravelRuleParams)
def travel_rule(ctx: CheckContext, p: TravelRuleParams) -> None:
    """At or above the threshold a transfer without the originator's name, account and an identifier
    (address, national ID, customer ID, or date and place of birth) or the beneficiary's name and
    account is not executed; a complete one is."""
    client = ctx.client(CrossBorderClient)
    message_op = client.contract.operations["message"]
    days = quote_days(ctx, p.first_day, p.last_day, [*p.thresholds, "USD"])

    @st.composite
    def cases(draw: st.DrawFn) -> tuple[dict[str, Any], str | None]:
        currency = draw(st.sampled_from(sorted(p.thresholds)))
        limit = p.thresholds[currency]
        amount = money(currency, limit, limit * 20, boundaries=(limit,))
        return draw(transfers(currency, amount, draw(days))), draw(st.one_of(st.none(), st.sampled_from(MISSING)))

    # Every currency × every kind of missing data at its threshold, first and every time (then generated).
    explicit = [{"case": (minimal(transfers(currency, money(currency, limit, limit), p.first_day)), missing)}
                for currency, limit in sorted(p.thresholds.items()) for missing in (None, *MISSING)]

    @ctx.given(case=cases(), explicit=explicit)
    def prop(case: tuple[dict[str, Any], str | None]) -> None:
        request, missing = case
        request = unique_id(request, "TR")
        sent = request if missing is None else _strip(request, missing)
        answered = pay_on(ctx, client, sent, date.fromisoformat(sent["at"][:10]))
        result = answered if answered is not None else {"status": "no-rate", "reasons": []}
        if missing is None and answered is not None and result["status"] != "executed":
            ctx.fail(f"a complete transfer was refused: {result['reasons']}", result=result)
        if missing is not None:
            if result["status"] in ("executed", "held"):
                ctx.fail(f"{sent['amount']} {sent['currency']} (threshold {p.thresholds[sent['currency']]}) "
                         f"was executed without {missing}", result=result)
            response, exchange = client.send(message_op.method,
                                             message_op.path.format(payment_id=sent["payment_id"]))
            if response.status_code < 400:
                ctx.fail("a refused transfer still produced an outbound message", exchange=exchange.as_dict())

    prop()
