"""AI credit models: robustness to small perturbations, declared monotonicity (property-based), and the
fidelity of the first reason code of a decline."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from hypothesis import strategies as st
from pydantic import Field

from harness.checks import statistics
from harness.checks.ai_model_common import (
    AiParams,
    evaluation,
    features,
    holdout_scored,
    r4,
    score,
    with_features,
)
from harness.checks.common import Dec
from harness.checks.context import CheckContext
from harness.checks.registry import check
from harness.checks.statistics import ErrorRate
from harness.contracts.ai_model import AiModelClient
from harness.datasets import Split
from harness.strategies.ai import base_applicants, feature_values, ordered_pair


class Robustness(AiParams, ErrorRate):
    epsilon: Dec = Field(Decimal("0.01"), gt=0, lt=1, description="relative size of a perturbation")
    repeats: int = Field(3, ge=1, le=20)
    max_flip_rate: Dec = Field(Decimal("0.02"), ge=0, le=1)


@check("ai_model.robustness", params=Robustness)
def robustness(ctx: CheckContext, p: Robustness) -> None:
    """Decisions flip for at most the maximum share of hold-out applicants when every continuous feature is
    moved by a random relative amount within ±ε (seeded).

    Rule: fail when the Clopper–Pearson lower bound (1 − α) of the flip share is above the maximum; a model
    within the maximum fails with probability ≤ α (1 %). Power on the 740 hold-out rows (exact binomial): at
    the 3 % maximum a flip share of 7 % is failed with probability ≥ 99 % (6 %: 94 %); the brittle defect
    (≈ 12 %) fails at every seed.
    """
    numbers = [f["name"] for f in features(ctx) if f["type"] == "number" and not f["protected"]]
    base = holdout_scored(ctx, p.dataset)
    rng = np.random.default_rng(ctx.seed)
    flips = np.zeros(len(base.split), dtype=bool)
    worst: dict[str, Any] | None = None
    for r in range(p.repeats):
        factors = 1 + rng.uniform(-float(p.epsilon), float(p.epsilon), (len(base.split), len(numbers)))
        rows = iter(factors)

        def nudge(f: dict[str, Any], rows: Any = rows) -> dict[str, Any]:
            return {**f, **{n: round(f[n] * k, 6) for n, k in zip(numbers, next(rows), strict=True)}}

        moved = score(ctx, with_features(base.split, nudge, suffix=f"~{r}"))
        changed = moved.declined != base.declined
        if worst is None and changed.any():
            i = int(np.flatnonzero(changed)[0])
            worst = {"applicant": base.split.applicants[i], "perturbed": moved.split.applicants[i],
                     "before": base.answers[i], "after": moved.answers[i]}
        flips |= changed
    rate = float(flips.mean())
    alpha = float(p.false_failure_rate)
    lo, hi = statistics.proportion(int(flips.sum()), len(flips), alpha)
    b = statistics.Bounds("share of hold-out decisions that flip", rate, lo, hi, p.max_flip_rate, "at_most", alpha,
                          "Clopper–Pearson", {"applicants": len(flips), "flipped": int(flips.sum())})
    ctx.attach("robustness", {"flip_rate": r4(rate), "ci": [r4(lo), r4(hi)], "confidence": b.confidence,
                              "epsilon": str(p.epsilon), "repeats": p.repeats, "perturbed_features": numbers})
    ctx.statistics = statistics.summary([b], p.false_failure_rate)
    if b.violated:
        ctx.fail(f"{r4(rate)} of hold-out decisions flip under ±{p.epsilon} relative perturbations of {numbers} "
                 f"({b.interval_text()}) > {p.max_flip_rate}", counterexample=worst)


class Monotonicity(AiParams):
    tolerance: Dec = Field(Decimal("0.000001"), ge=0)


@check("ai_model.monotonicity", params=Monotonicity)
def monotonicity(ctx: CheckContext, p: Monotonicity) -> None:
    """Every feature with a declared direction moves the PD only that way, all else equal (property-based)."""
    declared = [f for f in features(ctx) if f["monotone"] != "none"]
    _, dev, _ = evaluation(ctx, p.dataset)
    missing = [f["name"] for f in declared if f["name"] not in dev.frame.columns]
    if missing:
        ctx.fail(f"declared monotone features {missing} are not in the evaluation data "
                 f"{p.dataset.qualified_name}; a direction cannot be verified for them")
    pairs = {f["name"]: ordered_pair(feature_values(dev.column(f["name"]), f["type"])) for f in declared}
    client = ctx.client(AiModelClient)
    sign = {f["name"]: 1 if f["monotone"] == "increasing" else -1 for f in declared}

    @ctx.given(base=base_applicants(dev.applicants), moves=st.fixed_dictionaries(pairs))
    def prop(base: dict[str, Any], moves: dict[str, tuple[Any, Any]]) -> None:
        batch = [{"id": f"{name}-{end}", "features": {**base, name: value}}
                 for name, (lo, hi) in moves.items() for end, value in (("lo", lo), ("hi", hi))]
        answers = {a["id"]: a for a in client.score(batch)}
        for name, (lo, hi) in moves.items():
            low, high = answers[f"{name}-lo"]["pd"], answers[f"{name}-hi"]["pd"]
            if sign[name] * (high - low) < -float(p.tolerance):
                ctx.fail(f"PD is declared {'increasing' if sign[name] > 0 else 'decreasing'} in {name}, but "
                         f"{name} {lo} → {hi} moved it {low} → {high}",
                         counterexample={"feature": name, "from": lo, "to": hi, "pd_from": low, "pd_to": high,
                                         "applicant": base})

    prop()


class ExplanationFidelity(AiParams, ErrorRate):
    min_pd_drop: Dec = Field(Decimal("0.005"), ge=0, le=1)
    min_share: Dec = Field(Decimal("0.9"), gt=0, le=1)
    min_declines: int = Field(10, ge=1)


@check("ai_model.explanation_fidelity", params=ExplanationFidelity)
def explanation_fidelity(ctx: CheckContext, p: ExplanationFidelity) -> None:
    """Every reason code of a decline names a declared feature that is not protected (by the product's flag
    or the evaluation data's list, which the flags must agree with) and not one the applicant already has at
    its best value; a decline carries no more codes than the model card says; and moving the first reason's
    feature to the population's favourable quartile lowers the PD by
    at least the minimum, for most declines.

    Rule for the share of faithful declines: fail when its Clopper–Pearson upper bound (1 − α) is below the
    minimum share; a model meeting it fails with probability ≤ α (1 %). The sample is the hold-out declines
    (84 for the reference model; at least ``min_declines``): at the 0.9 minimum a share of 0.70 is failed
    with probability ≥ 99 % (exact binomial, 84 declines); the arbitrary-reasons defect (share 0) fails at
    every seed. A reason code that
    names a protected or undeclared feature fails outright (a single case is a breach, not an estimate).
    """
    declared = {f["name"]: f for f in features(ctx)}
    protected = set(p.dataset.protected) | {n for n, f in declared.items() if f["protected"]}
    unflagged = sorted(n for n in p.dataset.protected if n in declared and not declared[n]["protected"])
    if unflagged:  # the flag tells clients which features may never be a reason: the data says which are
        ctx.fail(f"the feature list declares {unflagged} not protected; the evaluation data "
                 f"{p.dataset.qualified_name} lists {'it' if len(unflagged) == 1 else 'them'} among its protected "
                 "attributes", counterexample={"features": [declared[n] for n in unflagged]})
    _, dev, _ = evaluation(ctx, p.dataset)
    base = holdout_scored(ctx, p.dataset)
    declines = np.flatnonzero(base.declined)
    if len(declines) < p.min_declines:
        ctx.fail(f"only {len(declines)} hold-out declines: too few to judge the reason codes (need "
                 f"{p.min_declines}); the evaluation data is fixed, so this is the product's cut-off")
    for i in declines:
        for code in base.answers[i]["reason_codes"]:
            meta = declared.get(code["feature"])
            if meta is None or code["feature"] in protected:
                ctx.fail(f"reason code {code['code']} names {code['feature']!r}, which is "
                         f"{'a protected attribute' if meta else 'not a declared feature'}",
                         counterexample=base.answers[i])
    _within_declared_count(ctx, base, declines)
    first = [base.answers[i]["reason_codes"][0]["feature"] for i in declines]
    favourable = {n: _favourable(dev, n, f["monotone"]) for n, f in declared.items() if n in dev.frame.columns}
    subset = base.split.take(declines)
    rows = iter(first)
    moved = score(ctx, with_features(subset, lambda f: _move(f, next(rows), favourable), suffix="~fav"))
    drops = base.pd[declines] - moved.pd
    faithful = drops >= float(p.min_pd_drop)
    share = float(faithful.mean())
    table = [{"id": base.answers[i]["id"], "first_reason": first[k], "pd": r4(base.pd[i]),
              "pd_after_moving_it": r4(moved.pd[k])} for k, i in enumerate(declines[:200])]
    alpha = float(p.false_failure_rate)
    lo, hi = statistics.proportion(int(faithful.sum()), len(faithful), alpha)
    b = statistics.Bounds("share of declines whose first reason is faithful", share, lo, hi, p.min_share, "at_least",
                          alpha, "Clopper–Pearson", {"declines": len(declines), "faithful": int(faithful.sum())})
    ctx.attach("explanation fidelity", {"share_faithful": r4(share), "ci": [r4(lo), r4(hi)],
                                        "confidence": b.confidence, "declines": len(declines), "cases": table})
    ctx.statistics = statistics.summary([b], p.false_failure_rate)
    if b.violated:
        k = int(np.flatnonzero(~faithful)[0])
        ctx.fail(f"for {r4(1 - share)} of {len(declines)} declines, moving the first reason's feature to its "
                 f"favourable value lowers the PD by less than {p.min_pd_drop} (faithful share {b.describe()})",
                 counterexample={"applicant": subset.applicants[k], "answer": base.answers[int(declines[k])],
                                 "moved": moved.split.applicants[k], "pd_after": r4(moved.pd[k])})
    _no_reason_at_best(ctx, dev, declared, base, declines)  # after the share: a statistic is reported either way


def _within_declared_count(ctx: CheckContext, base: Any, declines: np.ndarray) -> None:
    """The model card's ``max_reason_codes`` (where it states one) is a claim: no decline may carry more."""
    configuration = ctx.client(AiModelClient).model_card()["lineage"]["deployment"]["configuration"]
    claimed = configuration.get("max_reason_codes")
    if not isinstance(claimed, int) or isinstance(claimed, bool):
        return
    for i in declines:
        if len(base.answers[i]["reason_codes"]) > claimed:
            ctx.fail(f"a decline carries {len(base.answers[i]['reason_codes'])} reason codes; the model card's "
                     f"deployment configuration says at most {claimed}", counterexample=base.answers[i])


def _no_reason_at_best(ctx: CheckContext, dev: Split, declared: dict[str, Any], base: Any,
                       declines: np.ndarray) -> None:
    """No reason code names a feature the applicant already has at its best: the most favourable value the
    data holds in the declared direction (nothing the applicant could improve, so not a reason, whatever
    method ranks the reasons; a single case is a breach). Features without a direction have no best."""
    best: dict[str, Any] = {}
    for name, f in declared.items():
        if f["monotone"] in ("increasing", "decreasing") and name in dev.frame.columns:
            column = dev.frame[name]
            low = f["monotone"] == "increasing"  # a lower value is better when the PD increases with it
            value = (not low) if column.dtype == bool else (column.min() if low else column.max())
            best[name] = value.item() if hasattr(value, "item") else value
    for i in declines:
        values = base.split.applicants[i]["features"]
        for k, code in enumerate(base.answers[i]["reason_codes"]):
            name = code["feature"]
            if name in best and name in values and values[name] == best[name]:
                ctx.fail(f"reason {k + 1} of a decline ({code['code']}) names {name}, which the applicant already "
                         f"has at its best value {best[name]!r} ({declared[name]['monotone']}): not a reason",
                         counterexample={"applicant": base.split.applicants[i], "answer": base.answers[i]})


def _favourable(dev: Split, name: str, monotone: str) -> Any:
    column = dev.frame[name]
    if column.dtype == bool:
        return {"increasing": False, "decreasing": True}.get(monotone, bool(column.mode().iloc[0]))
    q = {"increasing": 0.25, "decreasing": 0.75}.get(monotone, 0.5)
    value = float(column.quantile(q))
    return round(value) if column.dtype.kind in "iu" else value


def _move(f: dict[str, Any], name: str, favourable: dict[str, Any]) -> dict[str, Any]:
    return {**f, name: favourable[name]} if name in favourable else f
