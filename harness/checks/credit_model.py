"""Credit decisioning: behaviour of the decision model (monotonicity, fairness, explanations, determinism)."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

import pandas as pd
from fairlearn.metrics import MetricFrame, selection_rate
from hypothesis import assume
from hypothesis import strategies as st
from pydantic import Field

from harness.checks.common import OUTCOME_RANK, Dec, dec
from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.credit import CreditClient
from harness.errors import HarnessError
from harness.strategies.credit import PROTECTED_VALUES, applications, mixed_applications, money_str, population

IGNORED_FIELDS = ("application_id",)


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return {k: v for k, v in a.items() if k not in IGNORED_FIELDS} == {
        k: v for k, v in b.items() if k not in IGNORED_FIELDS}


class Monotonicity(Params):
    income_factor: Dec = Field(Decimal("1.25"), gt=1, description="Step between rungs of the income ladder")
    max_income: Dec = Field(Decimal("5000000"), description="Top of the income ladder")
    max_rungs: int = Field(10, ge=2, le=100)
    delinquency_step: int = Field(1, ge=1)
    max_delinquencies: int = Field(6, ge=1)


def _ladder(app: dict[str, Any], which: str, p: Monotonicity) -> list[dict[str, Any]]:
    """The application with only one feature moved, rung by rung, from worse to better."""
    a = app["applicant"]
    rungs: list[dict[str, Any]] = []
    if which == "income":
        factor = Decimal(1)
        while len(rungs) < p.max_rungs and max(Decimal(x) for x in a["annual_incomes"]) * factor <= p.max_income:
            rungs.append({**a, "annual_incomes": [money_str(Decimal(x) * factor) for x in a["annual_incomes"]]})
            factor *= p.income_factor
    else:  # fewer delinquencies is better
        counts = range(a["delinquencies_24m"] + p.max_delinquencies, a["delinquencies_24m"] - 1, -p.delinquency_step)
        rungs = [{**a, "delinquencies_24m": n} for n in counts]
    return [{**app, "applicant": r} for r in rungs]


@check("credit.monotonicity", params=Monotonicity)
def monotonicity(ctx: CheckContext, p: Monotonicity) -> None:
    """All else equal, more income never lowers approval or limit; more delinquencies never raise them."""
    credit = ctx.client(CreditClient)

    @ctx.given(app=mixed_applications(), which=st.sampled_from(["income", "delinquencies"]))
    def prop(app: dict[str, Any], which: str) -> None:
        decisions = [credit.decide(rung) for rung in _ladder(app, which, p)]
        for rung, (low, high) in enumerate(pairwise(decisions)):
            detail = {"rung": rung, "worse_applicant": low, "better_applicant": high}
            if OUTCOME_RANK[high["outcome"]] < OUTCOME_RANK[low["outcome"]]:
                ctx.fail(f"a better {which} changed the outcome the wrong way: {low['outcome']} → "
                         f"{high['outcome']}", **detail)
            if dec(high["credit_limit"]) < dec(low["credit_limit"]):
                ctx.fail(f"a better {which} lowered the credit limit: {low['credit_limit']} → "
                         f"{high['credit_limit']}", **detail)

    prop()


@check("credit.counterfactual_protected")
def counterfactual_protected(ctx: CheckContext, p: Params) -> None:
    """Changing only a protected attribute (the profile's list) never changes the decision."""
    attributes = [a for a in ctx.profile.protected_attributes if a in PROTECTED_VALUES]
    unknown = set(ctx.profile.protected_attributes) - set(PROTECTED_VALUES)
    if unknown or not attributes:
        raise HarnessError(f"protected attributes {sorted(unknown)} are not fields of the credit contract")
    credit = ctx.client(CreditClient)

    @ctx.given(app=mixed_applications(), attribute=st.sampled_from(attributes), pick=st.integers(0, 5))
    def prop(app: dict[str, Any], attribute: str, pick: int) -> None:
        current = app["applicant"][attribute]
        others = [v for v in PROTECTED_VALUES[attribute] if v != current]
        other = others[pick % len(others)]
        flipped = {**app, "applicant": {**app["applicant"], attribute: other}}
        before = credit.decide(app)
        # Nondeterminism is NAT-CREDIT-008's business: only a reproducible decision can show a protected
        # attribute's influence, so examples whose own answer varies are set aside.
        assume(credit.decide(app) == before)
        after = credit.decide(flipped)
        if not _same(before, after):
            ctx.fail(f"changing only {attribute} from {current!r} to {other!r} changed the decision",
                     before=before, after=after)

    prop()


class GroupFairness(Params):
    min_selection_rate_ratio: Dec = Field(Decimal("0.8"), gt=0, le=1)
    population_size: int = Field(2000, ge=100)
    attributes: list[str] | None = None


@check("credit.group_fairness", params=GroupFairness)
def group_fairness(ctx: CheckContext, p: GroupFairness) -> None:
    """Selection-rate ratio between protected groups ≥ the minimum (four-fifths rule), via Fairlearn."""
    credit = ctx.client(CreditClient)
    people = population(ctx.seed, p.population_size)
    selected = []
    for app in people:
        ctx.examples += 1
        selected.append(int(credit.decide(app)["outcome"] != "declined"))
    frame = pd.DataFrame([a["applicant"] for a in people]).assign(selected=selected)
    worst: tuple[Decimal, str, dict[str, float]] | None = None
    tables = {}
    for attribute in p.attributes or ctx.profile.protected_attributes:
        mf = MetricFrame(metrics=selection_rate, y_true=frame["selected"], y_pred=frame["selected"],
                         sensitive_features=frame[attribute])
        rates = {str(k): round(float(v), 4) for k, v in mf.by_group.items()}
        tables[attribute] = {"selection_rate": rates, "count": frame[attribute].value_counts().to_dict()}
        ratio = Decimal(str(round(float(mf.ratio(method="between_groups")), 4)))
        tables[attribute]["ratio"] = str(ratio)
        if worst is None or ratio < worst[0]:
            worst = (ratio, attribute, rates)
    ctx.attach("selection rates by group", tables)
    if worst is not None and worst[0] < p.min_selection_rate_ratio:
        ratio, attribute, rates = worst
        ctx.fail(f"selection-rate ratio across {attribute} is {ratio} < {p.min_selection_rate_ratio} "
                 f"(rates {rates}, population {p.population_size}, seed {ctx.seed})",
                 counterexample={"attribute": attribute, "selection_rates": rates, "ratio": str(ratio),
                                 "population_seed": ctx.seed, "population_size": p.population_size},
                 groups=tables)


class ReasonCodes(Params):
    min_codes: int = Field(1, ge=0)
    max_codes: int = Field(4, ge=1)
    improvement_factor: Dec = Field(Decimal("1.5"), gt=1)


@check("credit.reason_codes", params=ReasonCodes)
def reason_codes(ctx: CheckContext, p: ReasonCodes) -> None:
    """Every decline carries 1–4 declared reason codes; improving the first one's feature never hurts."""
    credit = ctx.client(CreditClient)
    declared = {c["code"]: c for c in credit.reason_codes()}

    @ctx.given(app=applications())
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
        improved = _improve(app, declared[codes[0]], p.improvement_factor)
        if improved is None:
            return
        after = credit.decide(improved)
        if OUTCOME_RANK[after["outcome"]] < OUTCOME_RANK["declined"] or (
                dec(after["credit_limit"]) < dec(decision["credit_limit"])):
            ctx.fail(f"improving {declared[codes[0]]['feature']} (first reason {codes[0]}) made the outcome worse",
                     before=decision, after=after)

    prop()


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


class Determinism(Params):
    repeats: int = Field(2, ge=2, le=10)


@check("credit.determinism", params=Determinism)
def determinism(ctx: CheckContext, p: Determinism) -> None:
    """The same application always gets the same decision."""
    credit = ctx.client(CreditClient)

    @ctx.given(app=mixed_applications())
    def prop(app: dict[str, Any]) -> None:
        answers = [credit.decide(app) for _ in range(p.repeats)]
        for later in answers[1:]:
            if later != answers[0]:
                ctx.fail("the same application got different decisions", first=answers[0], later=later)

    prop()
