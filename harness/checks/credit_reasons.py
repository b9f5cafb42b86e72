"""Credit decisioning: explanations of declines (reason codes that are declared, specific and in order)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field

from harness.checks.common import OUTCOME_RANK, Dec, dec
from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.credit import CreditClient
from harness.strategies.credit import applications, money_str, risk_grid


class ReasonCodes(Params):
    min_codes: int = Field(1, ge=0)
    max_codes: int = Field(4, ge=1)
    improvement_factor: Dec = Field(Decimal("1.5"), gt=1)
    best_income: Dec = Field(Decimal("10000000.00"), gt=0, decimal_places=2, description="Yearly income a "
                             "repaired income reason is raised to (at least), when the order of reasons is tested")


def reason_cases() -> list[dict[str, Any]]:
    """Declines whose reasons must be specific and in order: one with credit history and employment at the
    contract's maximum (only income and delinquencies can be reasons), one where delinquencies cost far more
    than a slightly low income and a slightly short history (delinquencies come first), one with no
    delinquency at all, one that stays declined with its income repaired (income must then drop out of the
    reasons), one whose existing balance sits just under the micro-loan cap of a high income (the reason is
    the balance, which no higher income moves), the two policy declines (a prohibited purpose, a bullet loan
    beyond its term: their codes must be declared too), a creditworthy applicant whose other debt payments take
    almost all of the monthly income (a debt-burden decline: its code declared and specific), and the declines
    of the risk grid."""
    base = risk_grid(amount="2000.00")[0]  # a loan small enough that affordability is not in play

    def applicant(**fields: Any) -> dict[str, Any]:
        return {**base, "applicant": {**base["applicant"], **fields}}

    strong = risk_grid(amount="2000.00")[-3]  # 120,000 a year, no delinquencies: only a policy rule declines

    return [applicant(annual_incomes=["20000.00"] * 3, employment_years=60, credit_history_months=720,
                      delinquencies_24m=2),
            applicant(annual_incomes=["140000.00"] * 3, employment_years=10, credit_history_months=90,
                      delinquencies_24m=3),
            applicant(annual_incomes=["0.00"] * 3, employment_years=0, credit_history_months=0, delinquencies_24m=0),
            applicant(annual_incomes=["20000.00"] * 3, employment_years=60, credit_history_months=720,
                      delinquencies_24m=4),
            applicant(annual_incomes=["1200000.00"] * 3, delinquencies_24m=0, existing_balance="299500.00"),
            {**strong, "loan": {**strong["loan"], "purpose": "securities"}},
            {**strong, "loan": {**strong["loan"], "repayment_type": "bullet", "term_months": 36}},
            {**strong, "applicant": {**strong["applicant"], "monthly_debt_payments": "9500.00"}},
            *risk_grid()]


@check("credit.reason_codes", params=ReasonCodes)
def reason_codes(ctx: CheckContext, p: ReasonCodes) -> None:
    """Every decline carries 1–4 declared reason codes, each specific (a count it names can still move the way
    it says: not at the contract's maximum for "increase", nor its minimum for "decrease"; repaired to its
    best, that feature is no longer the reason) and in order of importance (when affordability is not in
    play, see :func:`_affordable`: if repairing a later reason's feature alone lifts the decline, repairing
    the first one's alone does too); improving the first one's feature never hurts. Deterministic first:
    :func:`reason_cases`; then generated applications."""
    credit = ctx.client(CreditClient)
    declared = {c["code"]: c for c in credit.reason_codes()}
    schema = credit.contract.document["components"]["schemas"]
    explicit = [{"app": app} for app in reason_cases()]

    @ctx.given(app=applications(), explicit=explicit)
    def prop(app: dict[str, Any]) -> None:
        decision = credit.decide(app)
        if decision["outcome"] != "declined":
            return
        codes = decision["reason_codes"]
        if not p.min_codes <= len(codes) <= p.max_codes:
            ctx.fail(f"decline carries {len(codes)} reason codes (need {p.min_codes}–{p.max_codes})",
                     decision=decision)
        undeclared = [c for c in codes if c not in declared]
        if undeclared:
            ctx.fail(f"reason codes {undeclared} are not in the product's declared list", decision=decision,
                     declared=sorted(declared))
        for code in codes:
            if _at_best(app, declared[code], schema, p.best_income):
                reason = declared[code]
                ctx.fail(f"reason {code} asks to {reason['improve']} {reason['feature']}, which is already at its "
                         "best value: not a specific reason", decision=decision)
        repaired = [_repair(app, declared[c], schema, p.best_income) for c in codes]
        answers = iter(credit.decide_many([r for r in repaired if r is not None]))
        after = [next(answers) if r is not None else None for r in repaired]
        for code, fixed, answer in zip(codes, repaired, after, strict=True):
            if fixed is not None and answer is not None and code in answer["reason_codes"] and (
                    _at_best(fixed, declared[code], schema, p.best_income)):
                ctx.fail(f"with {declared[code]['feature']} repaired to its best the decline still gives reason "
                         f"{code}: not a specific reason", decision=decision, repaired=answer)
        first = after[0] if after and _affordable(app) else None  # the order is read only where it can be
        for code, later in zip(codes[1:], after[1:], strict=False):
            if first is not None and later is not None and (
                    OUTCOME_RANK[later["outcome"]] > OUTCOME_RANK[first["outcome"]]):
                ctx.fail(f"repairing {declared[code]['feature']} alone (reason {code}) lifts the decline but "
                         f"repairing {declared[codes[0]]['feature']} alone (first reason {codes[0]}) does not: "
                         "reasons out of order", decision=decision, first_repaired=first, later_repaired=later)
        improved = _improve(app, declared[codes[0]], p.improvement_factor)
        if improved is None:
            return
        after_one = credit.decide(improved)
        if OUTCOME_RANK[after_one["outcome"]] < OUTCOME_RANK["declined"] or (
                dec(after_one["credit_limit"]) < dec(decision["credit_limit"])):
            ctx.fail(f"improving {declared[codes[0]]['feature']} (first reason {codes[0]}) made the outcome worse",
                     before=decision, after=after_one)

    prop()


def _affordable(app: dict[str, Any]) -> bool:
    """No other debt, no balance, a loan of at most a tenth of the average yearly income, and its monthly
    principal at most a tenth of the monthly income (a short term turns a small loan into a large payment:
    1,000 over one month against 841 a month): affordability is not in play, so repairing one feature moves
    only the applicant's creditworthiness, and the order of the reasons can be read from what each repair does
    alone."""
    a, loan = app["applicant"], app["loan"]
    average = sum((dec(x) for x in a["annual_incomes"]), Decimal(0)) / len(a["annual_incomes"])
    amount = dec(loan["amount"])
    return dec(a["monthly_debt_payments"]) == 0 and dec(a["existing_balance"]) == 0 and (
        amount * 10 <= average) and amount / int(loan["term_months"]) * 10 <= average / 12


def _field(app: dict[str, Any], feature: str, schema: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    for section, name in (("applicant", "Applicant"), ("loan", "Loan")):
        if feature in app[section]:
            return section, schema[name]["properties"].get(feature, {})
    return None


def _at_best(app: dict[str, Any], reason: dict[str, Any], schema: dict[str, Any], best_income: Decimal) -> bool:
    """The reason's feature cannot move the way the reason says: a count at the contract's maximum or
    minimum, or amounts to increase that are all at least ``best_income``."""
    found = _field(app, reason["feature"], schema)
    if found is None or reason["improve"] not in ("increase", "decrease"):
        return False
    section, spec = found
    value = app[section][reason["feature"]]
    values = value if isinstance(value, list) else [value]
    if isinstance(value, bool) or any(isinstance(v, bool) for v in values):
        return False
    if not all(isinstance(v, int) for v in values):
        # an amount to lower (debt, balance) can stand as a reason even at 0: the new loan adds to it
        return reason["improve"] == "increase" and all(dec(v) >= best_income for v in values)
    if reason["improve"] == "decrease":
        return all(v <= spec.get("minimum", 0) for v in values)
    return "maximum" in spec and all(v >= spec["maximum"] for v in values)


def _repair(app: dict[str, Any], reason: dict[str, Any], schema: dict[str, Any], best_income: Decimal
            ) -> dict[str, Any] | None:
    """The application with only the reason's feature at its best: 0 for "decrease", the contract's maximum
    (an amount: at least ``best_income``) for "increase"; ``None`` when the feature cannot be repaired."""
    found = _field(app, reason["feature"], schema)
    if found is None or reason["improve"] not in ("increase", "decrease"):
        return None
    section, spec = found
    value = app[section][reason["feature"]]

    def best(v: Any) -> Any:
        if isinstance(v, bool):
            return v
        if isinstance(v, int):
            return int(spec.get("minimum", 0)) if reason["improve"] == "decrease" else int(spec.get("maximum", v))
        return "0.00" if reason["improve"] == "decrease" else money_str(max(dec(v), best_income))

    new = [best(v) for v in value] if isinstance(value, list) else best(value)
    return {**app, section: {**app[section], reason["feature"]: new}}


def _improve(app: dict[str, Any], reason: dict[str, Any], factor: Decimal) -> dict[str, Any] | None:
    feature, way = reason["feature"], reason["improve"]
    section = "applicant" if feature in app["applicant"] else "loan" if feature in app["loan"] else None
    if section is None or way not in ("increase", "decrease"):
        return None
    value = app[section][feature]

    def move(v: Any) -> Any:
        if isinstance(v, int):
            return v + 1 if way == "increase" else max(0, v - 1)
        amount = Decimal(v) * factor if way == "increase" else Decimal(v) / factor
        return money_str(amount)

    new = [move(v) for v in value] if isinstance(value, list) else move(value)
    return {**app, section: {**app[section], feature: new}}
