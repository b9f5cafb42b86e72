"""Credit decisioning: repayment capacity (the debt-to-income cap), human review and the disclosure of automated
decisions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st
from pydantic import Field

from harness.checks.common import Dec, dec, granted
from harness.checks.context import CheckContext
from harness.checks.credit_rules import MAX_AMOUNT
from harness.checks.registry import Params, check
from harness.contracts.credit import CreditClient
from harness.strategies.credit import applications, approvable_applications, good_applicant, money_str, risk_grid
from harness.strategies.money import amounts


class DebtToIncome(Params):
    max_debt_to_income: Dec = Field(Decimal("0.55"), gt=0, le=10, description="Largest share of the monthly "
                                    "income (three-year average / 12) that existing monthly debt payments plus "
                                    "the new loan's monthly principal (granted amount / term) may take")


def debt_to_income(app: dict[str, Any], decision: dict[str, Any]) -> Fraction | None:
    """(existing monthly debt payments + granted amount / granted term) / (average yearly income / 12),
    exactly; ``None`` when the income is nil (no capacity at all)."""
    a = app["applicant"]
    monthly_income = Fraction(sum((dec(x) for x in a["annual_incomes"]), Decimal(0))) / (len(a["annual_incomes"]) * 12)
    if monthly_income <= 0:
        return None
    new_payment = Fraction(dec(decision["amount"])) / int(decision["term_months"])
    return (Fraction(dec(a["monthly_debt_payments"])) + new_payment) / monthly_income


def affordability_cases(limit: Decimal) -> list[dict[str, Any]]:
    """A creditworthy applicant (120,000 a year: 10,000 a month) asking 24,000 over 24 months (1,000 a month),
    with existing debt payments putting the ratio just above the cap (+0.1 %, +1 %, +5 %), far above it
    (×1.5, ×3), with no other debt, a new loan alone above it and, with everything else at its best, no income
    at all (a ratio with nothing to divide by: never a grant, never a 5xx)."""
    strong = risk_grid(amount="24000.00")[-3]  # 120,000 a year, no delinquencies
    out = []
    for factor in (Decimal("1.001"), Decimal("1.01"), Decimal("1.05"), Decimal("1.5"), Decimal("3")):
        debt = max(Decimal(0), limit * factor * 10000 - 1000).quantize(Decimal("0.01"))
        out.append({**strong, "applicant": {**strong["applicant"], "monthly_debt_payments": money_str(debt)}})
    alone = money_str(limit * Decimal("1.2") * 10000 * 24)  # the new loan's principal alone at 120 % of the cap
    out.append({**strong, "loan": {**strong["loan"], "amount": alone}})
    out.append({**strong, "applicant": {**strong["applicant"], "annual_incomes": ["0.00"] * 3, "occupation": "farmer",
                                        "employment_years": 40, "credit_history_months": 240}})
    return out


@check("credit.debt_to_income", params=DebtToIncome)
def debt_to_income_cap(ctx: CheckContext, p: DebtToIncome) -> None:
    """No loan is granted when existing monthly debt payments plus its monthly principal exceed the share of
    monthly income. Deterministic first: ratios just and far above the cap (:func:`affordability_cases`);
    then generated applications near the approval line with debt payments up to 8,000 a month."""
    credit = ctx.client(CreditClient)
    explicit = [{"app": app} for app in affordability_cases(p.max_debt_to_income)]
    debts = amounts("0", "8000").map(money_str)

    @st.composite
    def burdened(draw: st.DrawFn) -> dict[str, Any]:
        app = draw(approvable_applications())
        return {**app, "applicant": {**app["applicant"], "monthly_debt_payments": draw(debts)}}

    @ctx.given(app=st.one_of(burdened(), applications()), explicit=explicit)
    def prop(app: dict[str, Any]) -> None:
        decision = credit.decide(app)
        if not granted(decision):
            return
        ratio = debt_to_income(app, decision)
        if ratio is None or ratio > p.max_debt_to_income:
            shown = "no income" if ratio is None else f"{float(ratio):.4f}"
            ctx.fail(f"granted {decision['amount']} over {decision['term_months']} months with monthly debt "
                     f"{app['applicant']['monthly_debt_payments']}: debt-to-income {shown} above "
                     f"{p.max_debt_to_income}", decision=decision)

    prop()


@check("credit.automated_disclosure")
def automated_disclosure(ctx: CheckContext, p: Params) -> None:
    """Every answer says truthfully whether a person decides: an approval or a decline answered by the
    decision call was made without a person (``automatic: true``); only a referral to review waits for one
    (``automatic: false``). Deterministic first: the risk grid (approvals and declines) and a prohibited
    purpose; then generated applications."""
    credit = ctx.client(CreditClient)
    grid = risk_grid()
    explicit = [{"app": app} for app in [*grid, {**grid[0], "loan": {**grid[0]["loan"], "purpose": "securities"}}]]

    @ctx.given(app=st.one_of(applications(), approvable_applications()), explicit=explicit)
    def prop(app: dict[str, Any]) -> None:
        decision = credit.decide(app)
        if decision["automatic"] != (decision["outcome"] != "review"):
            ctx.fail(f"an answer with outcome {decision['outcome']!r} is marked automatic={decision['automatic']}: "
                     "only a referral to human review is not automatic", decision=decision)

    prop()


class HumanReview(Params):
    amount_above: Dec = Field(gt=0, le=MAX_AMOUNT, decimal_places=2,
                              description="Granting more than this needs a person")


@check("credit.human_review", params=HumanReview)
def human_review(ctx: CheckContext, p: HumanReview) -> None:
    """An amount above the review threshold is never approved automatically."""
    credit = ctx.client(CreditClient)
    request = amounts(p.amount_above / 2, p.amount_above * 3, boundaries=(p.amount_above,)).map(money_str)

    @ctx.given(applicant=good_applicant(), amount=request)
    def prop(applicant: dict[str, Any], amount: str) -> None:
        applicant = {**applicant, "annual_incomes": [money_str(p.amount_above * 9)] * 3}
        app = risk_grid()[0]
        decision = credit.decide({**app, "applicant": applicant, "loan": {**app["loan"], "amount": amount}})
        auto_approved = decision["outcome"] == "approved" and decision["automatic"]
        if auto_approved and dec(decision["amount"]) > p.amount_above:
            ctx.fail(f"{decision['amount']} approved automatically (threshold {p.amount_above})", decision=decision)
        if decision["outcome"] == "review" and decision["automatic"]:
            ctx.fail("a decision sent to human review is marked automatic", decision=decision)

    prop()
