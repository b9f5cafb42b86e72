"""Credit decisioning: repayment schedules against numpy-financial, to the fen, and their due dates."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy_financial as npf
from hypothesis import strategies as st
from pydantic import Field, ValidationInfo, field_validator

from harness.checks.common import Dec, dec
from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.credit import CreditClient
from harness.money import FEN
from harness.strategies.money import amounts


class ScheduleAccuracy(Params):
    max_apr: Dec = Field(Decimal("0.24"), ge=Decimal("0.0001"), le=1, description="Largest APR tried (rates are "
                         "drawn from 0.0001 up to it)")
    max_principal: Dec = Field(Decimal("500000"), ge=1000, le=Decimal("10000000000"),
                               description="Largest principal tried (principals are drawn from 1000 up to it)")
    max_term_months: int = Field(60, ge=1, le=60, description="Longest term tried (the contract allows 60 months)")
    apr_tolerance: Dec = Field(Decimal("0.0005"), gt=0, description="Implied APR vs disclosed APR")

    @field_validator("apr_tolerance")
    @classmethod
    def _below_max_apr(cls, tolerance: Decimal, info: ValidationInfo) -> Decimal:
        top = info.data.get("max_apr")
        if top is not None and tolerance >= top:
            raise ValueError(f"a tolerance of {tolerance} is not below max_apr {top}: every disclosed APR would pass")
        return tolerance


def expected_schedule(principal: Decimal, apr: Decimal, n: int, kind: str) -> list[dict[str, Decimal]]:
    """The contract's convention, with the level payment from ``numpy_financial.pmt`` (Decimal inputs)."""
    r = apr / 12
    payment = -Decimal(str(npf.pmt(r, n, principal))) if r else principal / n
    payment = payment.quantize(FEN, rounding=ROUND_HALF_UP)
    rows, balance = [], principal
    for k in range(1, n + 1):
        interest = (balance * r).quantize(FEN, rounding=ROUND_HALF_UP)
        part = (principal if k == n else Decimal(0)) if kind == "bullet" else (
            balance if k == n else payment - interest)
        balance -= part
        rows.append({"payment": part + interest, "principal": part, "interest": interest, "balance": balance})
    return rows


def implied_apr(principal: Decimal, payments: list[Decimal]) -> Decimal:
    """Annualised internal rate of the cash flows (a rate, not money: float arithmetic is fine here)."""
    irr = npf.irr([-float(principal), *[float(x) for x in payments]])
    return Decimal(str(round(float(irr) * 12, 6)))


def due_date(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, the day clamped to the end of a shorter month (the contract)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


START_DAYS = (date(2025, 1, 31), date(2024, 1, 31), date(2025, 11, 30), date(2025, 12, 31), date(2025, 3, 1))
"""Start days whose due dates exercise the calendar: month ends (31st into 30- and 28-day months), a leap
February, the turn of the year, a first of the month."""


@check("credit.schedule_accuracy", params=ScheduleAccuracy)
def schedule_accuracy(ctx: CheckContext, p: ScheduleAccuracy) -> None:
    """Every instalment matches numpy-financial to the fen, falls due on the contract's date, the totals are the
    instalments' sums (total payment = principal + total interest), and the cash flows imply the disclosed APR.
    Deterministic first: every calendar start day of :data:`START_DAYS` with 1, 2, 12, 13 months and the longest
    term, both repayment types, and interest-free loans of those terms; then generated."""
    credit = ctx.client(CreditClient)
    rates = st.decimals(min_value=Decimal("0.0001"), max_value=p.max_apr, places=4)
    terms = sorted({t for t in (1, 2, 12, 13, p.max_term_months) if t <= p.max_term_months})
    explicit = [{"principal": Decimal("10000.00"), "apr": min(p.max_apr, Decimal("0.12")), "term": term,
                 "kind": kind, "start": start}
                for start in START_DAYS for term in terms for kind in ("amortizing", "bullet")]
    # an interest-free loan (the contract's Rate allows 0): level instalments of principal / term
    explicit += [{"principal": Decimal("10000.00"), "apr": Decimal(0), "term": term, "kind": kind,
                  "start": START_DAYS[-1]} for term in terms for kind in ("amortizing", "bullet")]

    @ctx.given(principal=amounts("1000", p.max_principal), apr=rates, term=st.integers(1, p.max_term_months),
               kind=st.sampled_from(["amortizing", "bullet"]),
               start=st.one_of(st.sampled_from(START_DAYS), st.dates(date(2020, 1, 1), ctx.as_of)),
               explicit=explicit)
    def prop(principal: Decimal, apr: Decimal, term: int, kind: str, start: date) -> None:
        got = credit.schedule({"principal": str(principal), "apr": str(apr), "term_months": term,
                               "repayment_type": kind, "start_date": start.isoformat()})
        rows = got["instalments"]
        if len(rows) != term:
            ctx.fail(f"{len(rows)} instalments for a {term}-month loan", schedule=got)
        for k, (row, want) in enumerate(zip(rows, expected_schedule(principal, apr, term, kind), strict=True), 1):
            wrong = {f: (row[f], str(v)) for f, v in want.items() if dec(row[f]) != v}
            if wrong:
                ctx.fail(f"instalment {k} differs from numpy-financial: "
                         + ", ".join(f"{f} {a} ≠ {b}" for f, (a, b) in wrong.items()), instalment=row)
            if row["number"] != k or row["due_date"] != due_date(start, k).isoformat():
                ctx.fail(f"instalment {k} (number {row['number']}) falls due {row['due_date']}; the contract's "
                         f"date is {due_date(start, k).isoformat()} ({k} calendar months after {start})",
                         instalment=row)
        _check_totals(ctx, principal, apr, got)
        _check_apr(ctx, principal, apr, kind, rows, p.apr_tolerance)

    prop()


def _check_totals(ctx: CheckContext, principal: Decimal, apr: Decimal, got: dict[str, Any]) -> None:
    """The schedule's disclosed APR is the one requested; its totals are the instalments' sums, to the fen."""
    rows = got["instalments"]
    if dec(got["apr"]) != apr:
        ctx.fail(f"the schedule discloses APR {got['apr']}; {apr} was requested", schedule=got)
    interest = sum((dec(r["interest"]) for r in rows), Decimal(0))
    if dec(got["total_interest"]) != interest:
        ctx.fail(f"total interest {got['total_interest']} ≠ sum of instalments {interest}", schedule=got)
    paid = sum((dec(r["payment"]) for r in rows), Decimal(0))
    if dec(got["total_payment"]) != paid or paid != principal + interest:
        ctx.fail(f"total payment {got['total_payment']}: the instalments pay {paid}; principal {principal} + "
                 f"interest {interest} = {principal + interest}", schedule=got)


def _check_apr(ctx: CheckContext, principal: Decimal, apr: Decimal, kind: str, rows: list[dict[str, Any]],
               tolerance: Decimal) -> None:
    payments = [dec(r["payment"]) for r in rows]
    if kind == "amortizing" and len(rows) > 1 and principal >= 10000:
        implied = implied_apr(principal, payments)
        if abs(implied - apr) > tolerance:
            ctx.fail(f"cash flows imply APR {implied}, disclosed {apr} (tolerance {tolerance})",
                     payments=[str(x) for x in payments])
