"""Credit decisioning: behaviour of the decision model (monotonicity, fairness, determinism; explanations of
declines are in credit_reasons.py)."""

from __future__ import annotations

from decimal import Decimal
from itertools import chain, pairwise
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st
from pydantic import Field

from harness.checks.common import OUTCOME_RANK, Dec, dec
from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.checks.statistics import Bounds, ErrorRate, decisive, pairwise_ratios, per_comparison, summary
from harness.contracts.credit import BATCH_LIMIT, CreditClient
from harness.errors import HarnessError
from harness.strategies.credit import (
    PROTECTED_VALUES,
    mixed_applications,
    money_str,
    population,
    risk_grid,
)

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
    debt_step: Dec = Field(Decimal("250.00"), gt=0, le=Decimal("1000000"), decimal_places=2,
                           description="Step of monthly debt payments between rungs of the debt ladder (CNY)")


def _ladder(app: dict[str, Any], which: str, p: Monotonicity) -> list[dict[str, Any]]:
    """The application with only one feature moved, rung by rung, from worse to better."""
    a = app["applicant"]
    rungs: list[dict[str, Any]] = []
    if which == "income":
        factor = Decimal(1)
        while len(rungs) < p.max_rungs and max(Decimal(x) for x in a["annual_incomes"]) * factor <= p.max_income:
            rungs.append({**a, "annual_incomes": [money_str(Decimal(x) * factor) for x in a["annual_incomes"]]})
            factor *= p.income_factor
    elif which == "debt":  # smaller monthly debt payments are better
        debt = Decimal(a["monthly_debt_payments"])
        rungs = [{**a, "monthly_debt_payments": money_str(debt + p.debt_step * k)}
                 for k in range(p.max_rungs - 1, -1, -1)]
    else:  # fewer delinquencies is better
        counts = range(a["delinquencies_24m"] + p.max_delinquencies, a["delinquencies_24m"] - 1, -p.delinquency_step)
        rungs = [{**a, "delinquencies_24m": n} for n in counts]
    return [{**app, "applicant": r} for r in rungs]


@check("credit.monotonicity", params=Monotonicity)
def monotonicity(ctx: CheckContext, p: Monotonicity) -> None:
    """All else equal, more income never lowers approval or limit; more delinquencies or larger monthly debt
    payments never raise them. Deterministic first: every ladder from every application of the risk grid
    (:func:`risk_grid`, which straddles the approval line); then generated applications."""
    credit = ctx.client(CreditClient)
    ladders = ["income", "delinquencies", "debt"]
    explicit = [{"app": app, "which": which} for app in risk_grid() for which in ladders]

    @ctx.given(app=mixed_applications(), which=st.sampled_from(ladders), explicit=explicit)
    def prop(app: dict[str, Any], which: str) -> None:
        decisions = credit.decide_many(_ladder(app, which, p))
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


class GroupFairness(ErrorRate):
    min_selection_rate_ratio: Dec = Field(Decimal("0.8"), gt=0, le=1)
    population_size: int = Field(5000, ge=100, description="Applicants of the first stage")
    max_population_size: int = Field(50000, ge=100, description="Applicants after the second stage (if needed)")
    clear_violation_ratio: Dec = Field(Decimal("0.7"), gt=0, le=1,
                                       description="A worst ratio this low must fail with probability ≥ 1 − miss_rate")
    miss_rate: Dec = Field(Decimal("0.01"), gt=0, lt=Decimal("0.5"))
    attributes: list[str] | None = None


BALANCED = (0.25, 0.25, 0.25, 0.25)  # equal ethnic groups: the smallest group is as large as it can be
Counts = dict[str, dict[str, tuple[int, int]]]  # attribute → group → (selected, applicants)


def fairness_comparisons(attributes: list[str]) -> int:
    """The number of ordered group pairs the rule compares (26 for gender, ethnicity, marital status)."""
    return sum(len(PROTECTED_VALUES[a]) * (len(PROTECTED_VALUES[a]) - 1) for a in attributes)


def fairness_stage(counts: Counts, p: GroupFairness, stages: int) -> tuple[dict[str, list[Bounds]], str]:
    """One stage of the decision rule on the counts so far: the bounds by attribute, and ``"fail"`` (some
    upper bound below the minimum), ``"pass"`` (every lower bound at 1 − miss_rate / 4 above the
    clear-violation ratio: no gross violator here) or ``"continue"``. Each bound is at 1 − α / (m·stages)."""
    alpha_each = per_comparison(p.false_failure_rate, fairness_comparisons(list(counts)) * stages)
    found = {a: pairwise_ratios(g, f"selection-rate ratio across {a}", p.min_selection_rate_ratio, alpha_each)
             for a, g in counts.items()}
    if any(b.violated for b in chain.from_iterable(found.values())):
        return found, "fail"
    clear = chain.from_iterable(pairwise_ratios(g, a, p.clear_violation_ratio, float(p.miss_rate) / 4)
                                for a, g in counts.items())
    return found, "pass" if all(b.lower > float(p.clear_violation_ratio) for b in clear) else "continue"


@check("credit.group_fairness", params=GroupFairness)
def group_fairness(ctx: CheckContext, p: GroupFairness) -> None:
    """Selection-rate ratio between protected groups ≥ the minimum (four-fifths rule), via Fairlearn.

    Sample: a seeded synthetic population (creditworthiness independent of every protected attribute,
    minorities mostly in the autonomous counties), with equal ethnic shares. Decision rule
    (``harness.checks.statistics``): for every ordered pair of groups (i, j) of every attribute, a Katz-log
    bound of p_i / p_j; the check fails when some upper bound is below the minimum. With m such pairs (26
    for gender, ethnicity and marital status) and two stages, each bound is at 1 − α / (2m).

    Two stages: ``population_size`` applicants first; the check stops there when it has failed, or when
    every pair's lower bound at 1 − miss_rate / 4 is above ``clear_violation_ratio`` (the product is
    clearly not a gross violator); otherwise it grows the population to ``max_population_size`` and decides.

    Stated error rates (profile defaults: α = 0.01, 5 000 then 50 000 applicants, minimum 0.8, clear
    violation 0.7, miss rate 0.01). False failure: a compliant product (every true ratio ≥ 0.8, even
    exactly 0.8) fails with probability ≤ α = 1 % (Bonferroni over 26 pairs × 2 stages). Power: a product
    whose worst true ratio is ≤ 0.70 fails with probability ≥ 99 % when the better group's selection rate
    is ≥ 0.33 (the reference engine approves 33 %): it stops early with probability ≤ 0.25 %, and the
    50 000-applicant stage (12 500 per ethnic or marital group) detects it with probability ≥ 99.8 %
    (normal approximation, ``statistics.ratio_power``; simulated in tests/test_statistics.py). A gross
    violator (ratio ≈ 0.3, the county-penalty defect) fails at the first stage; a product with equal rates
    passes there at 99 % of seeds, the reference engine (ratios 0.94–1 by chance of its scorecard) at about
    96 %; the rest, and products near the line, take the second stage (about 80 s in-process).
    """
    credit = ctx.client(CreditClient)
    attributes = p.attributes or ctx.profile.protected_attributes
    unknown = sorted(set(attributes) - set(PROTECTED_VALUES))
    if unknown:
        raise HarnessError(f"protected attributes {unknown} are not fields of the credit contract")
    import pandas as pd  # imported here: loading the profile validates every check's parameters, and
    from fairlearn.metrics import MetricFrame, selection_rate  # fairlearn/sklearn cost 3-7 s to import

    stages = [p.population_size] + ([p.max_population_size] if p.max_population_size > p.population_size else [])
    people: list[dict[str, Any]] = []
    selected: list[int] = []
    for size in stages:
        fresh = population(ctx.seed, size, BALANCED)[len(people):]
        for start in range(0, len(fresh), BATCH_LIMIT):  # a batch at a time, so an interrupt is heard
            ctx.interrupt.check()
            chunk = fresh[start:start + BATCH_LIMIT]
            ctx.examples += len(chunk)
            people += chunk
            selected += [int(d["outcome"] != "declined") for d in credit.decide_many(chunk)]
        frame = pd.DataFrame([a["applicant"] for a in people]).assign(selected=selected)
        counts = {a: {str(g): (int(frame.loc[frame[a] == g, "selected"].sum()), int((frame[a] == g).sum()))
                      for g in PROTECTED_VALUES[a]} for a in attributes}
        by_attribute, outcome = fairness_stage(counts, p, len(stages))
        if outcome != "continue":
            break
    bounds = list(chain.from_iterable(by_attribute.values()))
    stage = stages.index(len(people)) + 1
    tables: dict[str, Any] = {}
    for attribute in attributes:
        mf = MetricFrame(metrics=selection_rate, y_true=frame["selected"], y_pred=frame["selected"],
                         sensitive_features=frame[attribute])
        tables[attribute] = {"selection_rate": {str(k): round(float(v), 4) for k, v in mf.by_group.items()},
                             "count": frame[attribute].value_counts().to_dict(),
                             "ratio": str(Decimal(str(round(float(mf.ratio(method="between_groups")), 4))))}
    ctx.attach("selection rates by group", tables)
    pairs = fairness_comparisons(attributes)
    ctx.statistics = summary(bounds, p.false_failure_rate, comparisons=pairs * len(stages),
                             family=f"{pairs} ordered group pairs × {len(stages)} stage(s)", stage=stage,
                             population_size=len(people),
                             worst_ratio_by_attribute={a: t["ratio"] for a, t in tables.items()})
    violated = [b for b in bounds if b.violated]
    if violated:
        worst = decisive(violated)
        attribute = next(a for a, found in by_attribute.items() if worst in found)
        rates = tables[attribute]["selection_rate"]
        ctx.fail(f"{worst.quantity} is {worst.describe()} (rates {rates}, population {len(people)}, "
                 f"seed {ctx.seed})",
                 counterexample={"attribute": attribute, "selection_rates": rates, "ratio": worst.estimate,
                                 "interval": [worst.lower, worst.upper], "population_seed": ctx.seed,
                                 "population_size": len(people)},
                 groups=tables)


class Determinism(Params):
    repeats: int = Field(2, ge=2, le=10)


@check("credit.determinism", params=Determinism)
def determinism(ctx: CheckContext, p: Determinism) -> None:
    """The same application always gets the same decision: the risk grid first (priced decisions compared:
    a price that differs half the time per request escapes 15 grid applicants with p = 2^-15), then generated."""
    credit = ctx.client(CreditClient)

    @ctx.given(app=mixed_applications(), explicit=[{"app": app} for app in risk_grid()])
    def prop(app: dict[str, Any]) -> None:
        answers = [credit.decide(app) for _ in range(p.repeats)]
        for later in answers[1:]:
            if later != answers[0]:
                ctx.fail("the same application got different decisions", first=answers[0], later=later)

    prop()
