"""Credit decisioning: regulatory caps and prohibitions (figures come from the profile)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

from hypothesis import strategies as st
from pydantic import Field, ValidationInfo, field_validator

from harness.checks.common import DatedRate, Dec, dec, granted, rate_on
from harness.checks.context import CheckContext, minimal
from harness.checks.registry import Params, check
from harness.contracts.credit import CreditClient
from harness.strategies.credit import (
    applications,
    contract_dates,
    good_applicant,
    mixed_applications,
    money_str,
    risk_grid,
)
from harness.strategies.money import amounts

MAX_AMOUNT = Decimal("10000000000")
"""Largest cap a profile may set (CNY 10 billion): every figure the checks derive from it (up to 15 × the cap)
still fits the contract's money format."""


class AprCap(Params):
    lpr_1y: list[DatedRate] = Field(min_length=1, description="One-year LPR with effective dates")
    multiple: Dec = Field(Decimal(4), gt=0, description="APR cap as a multiple of the LPR (a cap of 0 or less "
                          "would fail every product; it is refused)")
    valid_until: date = Field(description="Last day the LPR table is known to be complete")

    @field_validator("lpr_1y")
    @classmethod
    def _positive_rates(cls, table: list[DatedRate]) -> list[DatedRate]:
        for entry in table:
            if entry.rate <= 0:
                raise ValueError(f"the LPR effective {entry.effective} is {entry.rate}; a rate must be greater than 0")
        return table

    @field_validator("valid_until")
    @classmethod
    def _after_first_rate(cls, day: date, info: ValidationInfo) -> date:
        table = info.data.get("lpr_1y") or []
        if table and day < min(e.effective for e in table):
            raise ValueError(f"{day} is before the first LPR entry ({min(e.effective for e in table)}): no contract "
                             "date would be tested")
        return day


def rate_change_days(table: list[DatedRate], valid_until: date) -> list[date]:
    """Every LPR period covered at its edges: each effective day, the day before it (the last day of the
    previous period) and the day after, and the table's last valid day."""
    first = min(e.effective for e in table)
    days = [d for e in table for d in (e.effective - timedelta(days=1), e.effective, e.effective + timedelta(days=1))]
    return sorted({d for d in [*days, valid_until] if first <= d <= valid_until})


@check("credit.apr_cap", params=AprCap)
def apr_cap(ctx: CheckContext, p: AprCap) -> None:
    """The APR of every granted loan is at most ``multiple`` × the one-year LPR on the contract date.

    Deterministic first: on every edge of every LPR period (the effective day, the days either side, the
    last valid day) the whole risk grid (:func:`risk_grid`: applicants from the approval line upwards, so a
    risk-priced product prices some of them at its cap in every period); then generated applications, half
    of them dated on those edges."""
    # Exempt lender types are the profile's ``not_applicable_when`` rule, applied before any check runs.
    credit = ctx.client(CreditClient)
    first = min(e.effective for e in p.lpr_1y)
    edges = rate_change_days(p.lpr_1y, p.valid_until)
    grid = risk_grid()
    explicit = [{"apps": [{**app, "contract_date": day.isoformat()} for app in grid]} for day in edges]
    dates = st.one_of(st.sampled_from(edges), contract_dates(first, p.valid_until))

    @ctx.given(apps=st.lists(mixed_applications(dates=dates), min_size=1, max_size=1), explicit=explicit)
    def prop(apps: list[dict[str, Any]]) -> None:
        for app, decision in zip(apps, credit.decide_many(apps), strict=True):
            if not granted(decision):
                continue
            day = date.fromisoformat(app["contract_date"])
            cap = p.multiple * rate_on(p.lpr_1y, day)
            if dec(decision["apr"]) > cap:
                ctx.fail(f"APR {decision['apr']} exceeds {p.multiple} × LPR {rate_on(p.lpr_1y, day)} = {cap} "
                         f"on {day}", counterexample=app, decision=decision)

    prop()


class CreditLineCap(Params):
    cap: Dec = Field(gt=0, le=MAX_AMOUNT, decimal_places=2, description="Largest credit line for one customer "
                     "(CNY)")
    channel: Literal["internet", "branch"] = "internet"


@check("credit.internet_credit_line", params=CreditLineCap)
def internet_credit_line(ctx: CheckContext, p: CreditLineCap) -> None:
    """Credit line and granted amount through the channel never exceed the cap, to the fen."""
    credit = ctx.client(CreditClient)
    rich = st.lists(amounts(p.cap * 3, p.cap * 15), min_size=3, max_size=3).map(lambda xs: [money_str(x) for x in xs])
    request = amounts(p.cap / 2, p.cap * 2, boundaries=(p.cap,)).map(money_str)

    @ctx.given(app=applications(applicant=None, loan={"channel": p.channel}), incomes=rich, amount=request)
    def prop(app: dict[str, Any], incomes: list[str], amount: str) -> None:
        app = _with(app, applicant={"annual_incomes": incomes, "delinquencies_24m": 0, "existing_balance": "0.00",
                                    "monthly_debt_payments": "0.00", "credit_history_months": 120,
                                    "employment_years": 10}, loan={"amount": amount, "purpose": "consumption"})
        decision = credit.decide(app)
        if dec(decision["credit_limit"]) > p.cap:
            ctx.fail(f"credit line {decision['credit_limit']} exceeds the {p.channel} cap {p.cap}", decision=decision)
        if granted(decision) and dec(decision["amount"]) > p.cap:
            ctx.fail(f"granted {decision['amount']} exceeds the {p.channel} cap {p.cap}", decision=decision)

    prop()


class BulletTerm(Params):
    max_term_months: int = Field(ge=1, le=59, description="Longest bullet term; below the contract's 60-month "
                                 "maximum, or no request could exceed it")
    channel: Literal["internet", "branch"] = Field("internet", description="The channel the rule binds "
                                                   "(CBIRC Order 2020 No. 9 Art. 20: internet loans)")
    purpose: str = Field("consumption", min_length=1, description="The loan purpose the rule binds (Art. 20: "
                         "personal consumer credit)")


@check("credit.bullet_term", params=BulletTerm)
def bullet_term(ctx: CheckContext, p: BulletTerm) -> None:
    """A loan in the rule's scope (``channel``, ``purpose``) repaid in one bullet is never granted for longer
    than the maximum term. Loans outside that scope are not tested: the rule does not bind them."""
    credit = ctx.client(CreditClient)
    terms = st.one_of(st.sampled_from([p.max_term_months, p.max_term_months + 1]), st.integers(1, 60))

    @ctx.given(applicant=good_applicant(), term=terms, amount=amounts("1000", "30000").map(money_str))
    def prop(applicant: dict[str, Any], term: int, amount: str) -> None:
        app = _app(applicant, {"repayment_type": "bullet", "term_months": term, "amount": amount,
                               "channel": p.channel, "purpose": p.purpose})
        decision = credit.decide(app)
        if granted(decision) and decision["term_months"] > p.max_term_months:
            ctx.fail(f"{p.channel} {p.purpose} bullet loan granted for {decision['term_months']} months "
                     f"(max {p.max_term_months})", decision=decision)

    prop()


class MicroloanBalance(Params):
    cap: Dec = Field(gt=0, le=MAX_AMOUNT, decimal_places=2, description="Largest balance (CNY)")
    income_divisor: int = Field(3, ge=1, le=100, description="Balance ≤ average annual income / divisor")
    income_years: int = Field(3, ge=1, le=3, description="Years of income averaged (the contract carries the last "
                              "three)")


@check("credit.microloan_balance", params=MicroloanBalance)
def microloan_balance(ctx: CheckContext, p: MicroloanBalance) -> None:
    """Existing balance plus the new loan stays within min(cap, average income / divisor), exactly."""
    credit = ctx.client(CreditClient)
    yearly = st.lists(amounts("30000", "2500000"), min_size=p.income_years, max_size=p.income_years)

    @ctx.given(applicant=good_applicant(), incomes=yearly, existing=amounts("0", "200000"),
               offset=st.sampled_from([Decimal("0"), Decimal("0.01"), Decimal("1000")]))
    def prop(applicant: dict[str, Any], incomes: list[Decimal], existing: Decimal, offset: Decimal) -> None:
        limit = min(Fraction(p.cap), Fraction(sum(incomes, Decimal(0))) / (len(incomes) * p.income_divisor))
        room = Decimal(int(Fraction(limit) * 100 - Fraction(existing) * 100)) / 100  # whole fen, rounded down
        if room + offset < Decimal("1000"):
            return
        app = _app({**applicant, "annual_incomes": [money_str(x) for x in incomes],
                    "existing_balance": money_str(existing)},
                   {"amount": money_str(room + offset), "term_months": 36, "repayment_type": "amortizing"})
        decision = credit.decide(app)
        if granted(decision) and Fraction(existing + dec(decision["amount"])) > limit:
            exact = Decimal(limit.numerator) / limit.denominator
            ctx.fail(f"balance {existing} + granted {decision['amount']} exceeds "
                     f"min({p.cap}, average income / {p.income_divisor}) = {exact:.4f}", decision=decision)

    prop()


class CoLending(Params):
    min_lender_share: Dec = Field(gt=0, le=1, description="Lender's own share of each co-lent loan (0 would "
                                  "accept any share: refused)")


@check("credit.co_lending_share", params=CoLending)
def co_lending_share(ctx: CheckContext, p: CoLending) -> None:
    """In every co-lent loan the lender's own funding share is at least the minimum."""
    credit = ctx.client(CreditClient)

    # The whole amount range, deterministically first: a share rule that changes with the amount is exercised
    # at small, middle and large loans every run (then generated).
    base = minimal(good_applicant())
    explicit = [{"applicant": base, "amount": amount, "level": "1500000.00"}
                for amount in ("1000.00", "50000.00", "100000.00", "100000.01", "200000.00", "300000.00")]

    @ctx.given(applicant=good_applicant(), amount=amounts("1000", "300000").map(money_str),
               level=amounts("120000", "1500000").map(money_str), explicit=explicit)
    def prop(applicant: dict[str, Any], amount: str, level: str) -> None:
        applicant = {**applicant, "annual_incomes": [level] * 3}
        decision = credit.decide(_app(applicant, {"co_lending": True, "amount": amount}))
        if not granted(decision):
            return
        if decision["lender_share"] is None or dec(decision["lender_share"]) < p.min_lender_share:
            ctx.fail(f"lender share {decision['lender_share']} below {p.min_lender_share}", decision=decision)

    prop()


class Purposes(Params):
    purposes: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)


@check("credit.prohibited_purposes", params=Purposes)
def prohibited_purposes(ctx: CheckContext, p: Purposes) -> None:
    """An application for a prohibited purpose is always declined, however good the applicant."""
    credit = ctx.client(CreditClient)

    @ctx.given(applicant=good_applicant())
    def prop(applicant: dict[str, Any]) -> None:
        for purpose in p.purposes:  # every listed purpose, for every generated applicant
            decision = credit.decide(_app(applicant, {"purpose": purpose}))
            if decision["outcome"] != "declined":
                ctx.fail(f"purpose {purpose!r} was not declined (outcome {decision['outcome']})",
                         counterexample={"applicant": applicant, "purpose": purpose}, decision=decision)

    prop()


def _app(applicant: dict[str, Any], loan: dict[str, Any]) -> dict[str, Any]:
    base = {"amount": "20000.00", "term_months": 24, "repayment_type": "amortizing", "purpose": "agriculture",
            "channel": "branch", "co_lending": False}
    return {"application_id": "cert-1", "contract_date": "2025-06-30", "applicant": applicant,
            "loan": {**base, **loan}}


def _with(app: dict[str, Any], applicant: dict[str, Any], loan: dict[str, Any]) -> dict[str, Any]:
    return {**app, "applicant": {**app["applicant"], **applicant}, "loan": {**app["loan"], **loan}}
