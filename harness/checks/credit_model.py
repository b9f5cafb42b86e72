"""Credit decisioning: behaviour of the decision model (monotonicity, fairness, explanations, determinism)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
from fairlearn.metrics import MetricFrame, selection_rate
from hypothesis import strategies as st
from pydantic import Field

from harness.checks.common import OUTCOME_RANK, Dec, dec
from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.credit import CreditClient
from harness.errors import HarnessError
from harness.strategies.credit import PROTECTED_VALUES, applications, money_str, population

IGNORED_FIELDS = ("application_id",)


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return {k: v for k, v in a.items() if k not in IGNORED_FIELDS} == {
        k: v for k, v in b.items() if k not in IGNORED_FIELDS}


class Monotonicity(Params):
    income_factor: Dec = Field(Decimal("1.25"), gt=1)
    delinquency_step: int = Field(1, ge=1)


@check("credit.monotonicity", params=Monotonicity)
def monotonicity(ctx: CheckContext, p: Monotonicity) -> None:
    """All else equal, more income never lowers approval or limit; more delinquencies never raise them."""
    credit = ctx.client(CreditClient)

    @ctx.given(app=applications(), which=st.sampled_from(["income", "delinquencies"]))
    def prop(app: dict[str, Any], which: str) -> None:
        better, worse = dict(app), dict(app)
        a = app["applicant"]
        if which == "income":
            better = {**app, "applicant": {**a, "annual_incomes": [
                money_str(Decimal(x) * p.income_factor) for x in a["annual_incomes"]]}}
        else:
            worse = {**app, "applicant": {**a, "delinquencies_24m": a["delinquencies_24m"] + p.delinquency_step}}
        low, high = credit.decide(worse), credit.decide(better)
        if OUTCOME_RANK[high["outcome"]] < OUTCOME_RANK[low["outcome"]]:
            ctx.fail(f"more {which} changed the outcome the wrong way: {low['outcome']} → {high['outcome']}",
                     worse_applicant=low, better_applicant=high)
        if dec(high["credit_limit"]) < dec(low["credit_limit"]):
            ctx.fail(f"more {which} moved the credit limit the wrong way: "
                     f"{low['credit_limit']} (worse applicant) > {high['credit_limit']} (better applicant)",
                     worse_applicant=low, better_applicant=high)

    prop()


@check("credit.counterfactual_protected")
def counterfactual_protected(ctx: CheckContext, p: Params) -> None:
    """Changing only a protected attribute (the profile's list) never changes the decision."""
    attributes = [a for a in ctx.profile.protected_attributes if a in PROTECTED_VALUES]
    unknown = set(ctx.profile.protected_attributes) - set(PROTECTED_VALUES)
    if unknown or not attributes:
        raise HarnessError(f"protected attributes {sorted(unknown)} are not fields of the credit contract")
    credit = ctx.client(CreditClient)

    @ctx.given(app=applications(), attribute=st.sampled_from(attributes), data=st.data())
    def prop(app: dict[str, Any], attribute: str, data: st.DataObject) -> None:
        current = app["applicant"][attribute]
        other = data.draw(st.sampled_from([v for v in PROTECTED_VALUES[attribute] if v != current]), label="flip_to")
        flipped = {**app, "applicant": {**app["applicant"], attribute: other}}
        before, after = credit.decide(app), credit.decide(flipped)
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

    @ctx.given(app=applications())
    def prop(app: dict[str, Any]) -> None:
        answers = [credit.decide(app) for _ in range(p.repeats)]
        for later in answers[1:]:
            if later != answers[0]:
                ctx.fail("the same application got different decisions", first=answers[0], later=later)

    prop()
