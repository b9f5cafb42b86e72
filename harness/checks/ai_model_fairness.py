"""AI credit models: group fairness (Fairlearn), counterfactual invariance and proxy detection.

All three run on the reserved hold-out rows of the profile's real dataset. Group metrics come with a
seeded percentile-bootstrap interval, and **a breach must be established at the profile's confidence
level**: group fairness fails when the whole interval lies on the wrong side of the threshold (the upper
bound of the selection-rate ratio is below the minimum, or the lower bound of the equalized-odds
difference is above the maximum). A verdict therefore does not flip with the resample: a product close
to the line is not failed by chance, a clear breach is failed whatever the seed. The per-group table and
a PNG chart are always attached.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from fairlearn.metrics import MetricFrame, count, false_positive_rate, selection_rate, true_positive_rate
from pydantic import Field

from harness.checks.ai_model_common import (
    AiParams,
    Interval,
    auc,
    bar_chart,
    bootstrap,
    evaluation,
    holdout_scored,
    r4,
    score,
    with_features,
)
from harness.checks.common import Dec
from harness.checks.context import CheckContext
from harness.checks.registry import check
from harness.errors import HarnessError


class GroupFairness(AiParams, Interval):
    min_selection_rate_ratio: Dec = Field(Decimal("0.8"), gt=0, le=1)
    max_equalized_odds_difference: Dec = Field(Decimal("0.2"), ge=0, le=1)


def _group_labels(values: np.ndarray, attribute: str) -> np.ndarray:
    return np.array([f"{attribute}={v}" for v in values])


def _rates(codes: np.ndarray, approved: np.ndarray, good: np.ndarray, k: int) -> tuple[np.ndarray, ...]:
    sel, tpr, fpr = np.full(k, np.nan), np.full(k, np.nan), np.full(k, np.nan)
    for g in range(k):
        member = codes == g
        if member.any():
            sel[g] = approved[member].mean()
        if (member & good).any():
            tpr[g] = approved[member & good].mean()
        if (member & ~good).any():
            fpr[g] = approved[member & ~good].mean()
    return sel, tpr, fpr


def _ratio_and_eod(codes: np.ndarray, approved: np.ndarray, good: np.ndarray, k: int) -> tuple[float, float]:
    sel, tpr, fpr = _rates(codes, approved, good, k)
    if np.isnan(sel).any() or np.nanmax(sel) == 0:
        return float("nan"), float("nan")
    eod = max(np.nanmax(tpr) - np.nanmin(tpr), np.nanmax(fpr) - np.nanmin(fpr))
    return float(np.min(sel) / np.max(sel)), float(eod)


@check("ai_model.group_fairness", params=GroupFairness)
def group_fairness(ctx: CheckContext, p: GroupFairness) -> None:
    """Selection-rate ratio ≥ minimum and equalized-odds difference ≤ maximum per protected attribute,
    Fairlearn MetricFrame on the hold-out rows, with a seeded bootstrap interval."""
    scored = holdout_scored(ctx, p.dataset)
    approved, good = scored.approved, scored.split.labels == 0  # "good": the adverse outcome did not happen
    tables: dict[str, Any] = {}
    breaches: list[str] = []
    for attribute in p.dataset.protected:
        groups = _group_labels(scored.split.column(attribute), attribute)
        frame = MetricFrame(metrics={"selection_rate": selection_rate, "true_positive_rate": true_positive_rate,
                                     "false_positive_rate": false_positive_rate, "count": count},
                            y_true=good.astype(int), y_pred=approved.astype(int), sensitive_features=groups)
        names, codes = np.unique(groups, return_inverse=True)
        k = len(names)
        ratio, eod = _ratio_and_eod(codes, approved, good, k)

        def stat(which: int, codes: np.ndarray = codes, k: int = k) -> Any:
            return lambda idx: _ratio_and_eod(codes[idx], approved[idx], good[idx], k)[which]

        ratio_ci = bootstrap(ctx.seed, len(groups), p.bootstrap, stat(0), p.confidence)
        eod_ci = bootstrap(ctx.seed + 1, len(groups), p.bootstrap, stat(1), p.confidence)
        by_group = {str(g): {m: r4(v) for m, v in row.items()} for g, row in frame.by_group.iterrows()}
        tables[attribute] = {
            "by_group": by_group,
            "selection_rate_ratio": {"value": r4(ratio), "ci": [r4(ratio_ci[0]), r4(ratio_ci[1])],
                                     "minimum": str(p.min_selection_rate_ratio)},
            "equalized_odds_difference": {"value": r4(eod), "ci": [r4(eod_ci[0]), r4(eod_ci[1])],
                                          "maximum": str(p.max_equalized_odds_difference)},
        }
        if ratio_ci[1] < float(p.min_selection_rate_ratio):
            breaches.append(f"selection-rate ratio across {attribute} is {r4(ratio)} "
                            f"({p.confidence} CI {r4(ratio_ci[0])}–{r4(ratio_ci[1])}) < {p.min_selection_rate_ratio}")
        if eod_ci[0] > float(p.max_equalized_odds_difference):
            breaches.append(f"equalized-odds difference across {attribute} is {r4(eod)} "
                            f"({p.confidence} CI {r4(eod_ci[0])}–{r4(eod_ci[1])}) > {p.max_equalized_odds_difference}")
    ctx.attach("fairness by group", tables)
    ctx.attach("fairness chart", _chart(tables, p))
    if breaches:
        ctx.fail("; ".join(breaches) + f" (hold-out rows of {p.dataset.qualified_name}, seed {ctx.seed})",
                 counterexample={"dataset": p.dataset.qualified_name, "seed": ctx.seed, "groups": tables},
                 groups=tables)


def _chart(tables: dict[str, Any], p: GroupFairness) -> bytes:
    groups = [g for t in tables.values() for g in t["by_group"]]
    series = {m: [t["by_group"][g][m] for t in tables.values() for g in t["by_group"]]
              for m in ("selection_rate", "true_positive_rate", "false_positive_rate")}
    return bar_chart(f"Approval rates by protected group (four-fifths line at {p.min_selection_rate_ratio}"
                     " of the best group's rate)", groups, series)


class Counterfactual(AiParams):
    max_changed_decisions: int = Field(0, ge=0)


@check("ai_model.counterfactual", params=Counterfactual)
def counterfactual(ctx: CheckContext, p: Counterfactual) -> None:
    """Flipping only a protected attribute of a hold-out applicant never changes the decision."""
    base = holdout_scored(ctx, p.dataset)
    for attribute in p.dataset.protected:
        if base.split.frame[attribute].dtype != bool:
            raise HarnessError(f"protected attribute {attribute} is not a yes/no column; counterfactual flips "
                               "need a binary attribute")
        def flip(f: dict[str, Any], a: str = attribute) -> dict[str, Any]:
            return {**f, a: not f[a]}

        flipped = score(ctx, with_features(base.split, flip))
        changed = np.flatnonzero(flipped.declined != base.declined)
        if len(changed) > p.max_changed_decisions:
            i = int(changed[0])
            ctx.fail(f"flipping only {attribute} changed {len(changed)} of {len(base.declined)} decisions "
                     f"(allowed {p.max_changed_decisions}); first: applicant {base.answers[i]['id']} "
                     f"{base.answers[i]['decision']} → {flipped.answers[i]['decision']}",
                     counterexample={"applicant": base.split.applicants[i], "flipped": attribute,
                                     "before": base.answers[i], "after": flipped.answers[i]},
                     changed_ids=[base.answers[int(j)]["id"] for j in changed[:50]])


class ProxyDetection(AiParams, Interval):
    max_residual_auc: Dec = Field(Decimal("0.55"), gt=Decimal("0.5"), le=1)


@check("ai_model.proxy_detection", params=ProxyDetection)
def proxy_detection(ctx: CheckContext, p: ProxyDetection) -> None:
    """The part of the score the outcome does not justify carries no information about a protected attribute.

    Method: protected attributes are held at their majority value for everyone (so direct use is out of
    the picture: that is the counterfactual check's job). A benchmark default model (logistic regression)
    is fitted on the development rows' non-protected features. On the hold-out rows the residual is the
    product's percentile rank minus the benchmark's; its AUC for predicting the protected attribute
    (two-sided) must not exceed the maximum; it fails when it does and the bootstrap interval excludes
    chance (lower bound above 0.5), so noise alone never fails a product. Why this:
    a proxy model is a function of legitimate features, so "does the score predict race beyond the
    features" cannot see it, but its deviation from the risk the outcome justifies is aligned with race.
    Ranks make the test blind to calibration and cut-off choices, which other checks judge.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    _, dev, hold = evaluation(ctx, p.dataset)
    neutral = {a: bool(dev.frame[a].mode().iloc[0]) for a in p.dataset.protected}
    legit = [c for c in dev.frame.columns if c not in p.dataset.protected]
    benchmark = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    benchmark.fit(dev.frame[legit].astype(float), dev.labels)
    expected = benchmark.predict_proba(hold.frame[legit].astype(float))[:, 1]
    scored = score(ctx, with_features(hold, lambda f: {**f, **neutral}))
    residual = _percentile(scored.pd) - _percentile(expected)
    results: dict[str, dict[str, Any]] = {}
    for attribute in p.dataset.protected:
        member = hold.column(attribute).astype(int)

        def two_sided(idx: np.ndarray, member: np.ndarray = member) -> float:
            value = auc(member[idx], residual[idx])
            return max(value, 1 - value)

        point = two_sided(np.arange(len(member)))
        ci = bootstrap(ctx.seed, len(member), p.bootstrap, two_sided, p.confidence)
        results[attribute] = {"residual_auc": r4(point), "ci": [r4(ci[0]), r4(ci[1])],
                              "mean_residual_in_group": r4(residual[member == 1].mean()),
                              "mean_residual_outside": r4(residual[member == 0].mean())}
    ctx.attach("proxy detection", {"method": "rank residual against a logistic benchmark", "features": legit,
                                   "neutralised": neutral, "results": results})
    breached = [a for a, r in results.items() if r["residual_auc"] > float(p.max_residual_auc) and r["ci"][0] > 0.5]
    if breached:
        detail = "; ".join(f"{a}: AUC {results[a]['residual_auc']} ({p.confidence} CI {results[a]['ci'][0]}–"
                           f"{results[a]['ci'][1]})" for a in breached)
        ctx.fail(f"the product's score reaches {', '.join(breached)} through other features: the part of its "
                 f"ranking the outcome does not justify predicts them beyond the limit {p.max_residual_auc} "
                 f"({detail})", counterexample={"attributes": breached, "results": results, "seed": ctx.seed},
                 results=results)


def _percentile(values: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    return np.asarray(rankdata(values) / len(values))
