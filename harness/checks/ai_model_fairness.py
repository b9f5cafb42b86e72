"""AI credit models: group fairness (Fairlearn), counterfactual invariance and proxy detection.

All three run on the reserved hold-out rows of the profile's real dataset. **A breach must be established
at the stated false-failure rate** (``harness.checks.statistics``): group fairness fails when the upper
bound of a selection-rate ratio is below the minimum, or the lower bound of a TPR / FPR difference is above
the maximum; proxy detection when the lower bound of the residual AUC is above the limit. A product close
to the line is therefore not failed by chance, and a clear breach is failed whatever the seed. The
per-group table and a PNG chart are always attached.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from pydantic import Field

from harness.checks import statistics
from harness.checks.ai_model_common import (
    AiParams,
    Interval,
    auc,
    bar_chart,
    evaluation,
    holdout_scored,
    r4,
    score,
    with_features,
)
from harness.checks.common import Dec
from harness.checks.context import CheckContext
from harness.checks.registry import check
from harness.checks.statistics import ErrorRate, decisive, pairwise_differences, pairwise_ratios
from harness.errors import HarnessError


class GroupFairness(AiParams, ErrorRate):
    min_selection_rate_ratio: Dec = Field(Decimal("0.8"), gt=0, le=1)
    max_equalized_odds_difference: Dec = Field(Decimal("0.2"), ge=0, le=1)


def _group_labels(values: np.ndarray, attribute: str) -> np.ndarray:
    return np.array([f"{attribute}={v}" for v in values])


def _counts(groups: np.ndarray, hit: np.ndarray, among: np.ndarray) -> dict[str, tuple[int, int]]:
    """group → (hits, rows) among the rows where ``among`` holds."""
    return {str(g): (int((hit & among & (groups == g)).sum()), int((among & (groups == g)).sum()))
            for g in np.unique(groups)}


@check("ai_model.group_fairness", params=GroupFairness)
def group_fairness(ctx: CheckContext, p: GroupFairness) -> None:
    """Selection-rate ratio ≥ minimum and equalized-odds difference ≤ maximum per protected attribute,
    Fairlearn MetricFrame on the hold-out rows, decided on confidence bounds.

    Rule: for every ordered pair of groups of every protected attribute, a Katz-log bound of the
    selection-rate ratio and Newcombe bounds of the TPR and FPR differences; fail when a ratio's upper
    bound is below the minimum or a difference's lower bound is above the maximum. With m comparisons (12
    for two yes/no attributes) each bound is at 1 − α / m, so a compliant model fails with probability ≤ α
    (1 %). Power is set by the fixed hold-out (740 HMDA rows, 96 of them afam = yes; the sample cannot
    grow): at the reference model's approval rate (0.91 for the better group) a ratio of 0.40 is failed
    with probability ≈ 98 %, 0.55 with ≈ 70 % and 0.70 with only ≈ 8 % (``statistics.ratio_power``): on
    this data the four-fifths rule can only establish gross breaches. The disparate-impact defect (ratio
    0.44, upper bound 0.73) fails at every seed.
    """
    from fairlearn.metrics import MetricFrame, count, false_positive_rate, selection_rate, true_positive_rate

    scored = holdout_scored(ctx, p.dataset)
    approved, good = scored.approved, scored.split.labels == 0  # "good": the adverse outcome did not happen
    everyone = np.ones(len(approved), dtype=bool)
    tables: dict[str, Any] = {}
    counts: dict[str, dict[str, dict[str, tuple[int, int]]]] = {}
    for attribute in p.dataset.protected:
        groups = _group_labels(scored.split.column(attribute), attribute)
        frame = MetricFrame(metrics={"selection_rate": selection_rate, "true_positive_rate": true_positive_rate,
                                     "false_positive_rate": false_positive_rate, "count": count},
                            y_true=good.astype(int), y_pred=approved.astype(int), sensitive_features=groups)
        tables[attribute] = {"by_group": {str(g): {m: r4(v) for m, v in row.items()}
                                          for g, row in frame.by_group.iterrows()}}
        counts[attribute] = {"selection": _counts(groups, approved, everyone),
                             "true-positive rate": _counts(groups, approved, good),
                             "false-positive rate": _counts(groups, approved, ~good)}
    m = sum(3 * len(c["selection"]) * (len(c["selection"]) - 1) for c in counts.values())
    alpha_each = statistics.per_comparison(p.false_failure_rate, m)
    found: dict[str, list[statistics.Bounds]] = {}
    for attribute, c in counts.items():
        ratios = pairwise_ratios(c["selection"], f"selection-rate ratio across {attribute}",
                                 p.min_selection_rate_ratio, alpha_each)
        gaps = [b for rate in ("true-positive rate", "false-positive rate")
                for b in pairwise_differences(c[rate], f"equalized-odds difference across {attribute} ({rate})",
                                              p.max_equalized_odds_difference, alpha_each)]
        found[attribute] = ratios + gaps
        ratio, eod = decisive(ratios), decisive(gaps)
        tables[attribute]["selection_rate_ratio"] = {
            "value": r4(min(b.estimate for b in ratios)), "ci": [r4(ratio.lower), r4(ratio.upper)],
            "confidence": ratio.confidence, "minimum": str(p.min_selection_rate_ratio)}
        tables[attribute]["equalized_odds_difference"] = {
            "value": r4(max(b.estimate for b in gaps)), "ci": [r4(eod.lower), r4(eod.upper)],
            "confidence": eod.confidence, "maximum": str(p.max_equalized_odds_difference)}
    bounds = [b for a in p.dataset.protected for b in found[a]]
    ctx.attach("fairness by group", tables)
    ctx.attach("fairness chart", _chart(tables, p))
    ctx.statistics = statistics.summary(bounds, p.false_failure_rate,
                                        family="ordered group pairs × (selection ratio, TPR, FPR)")
    breaches = [f"{b.quantity} is {b.describe()}" for b in bounds if b.violated]
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
    (two-sided) must not exceed the maximum. Rule: it fails when the seeded BCa bootstrap lower bound
    (at 1 − α / m, m = the number of protected attributes) is above the maximum, so a product within the
    limit fails with probability ≤ α (1 %). Power on the 740 hold-out rows: the bound lies about 0.08 below
    the estimate for afam (96 rows in the group) and 0.05 for single (300 rows), so a residual AUC above
    about 0.63 (afam) / 0.60 (single) is failed. The race-proxy defect fails on single (0.64, bounds
    0.59–0.69); its afam figure (0.59, bounds 0.50–0.66) is not established on 96 rows. Why this:
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
    alpha_each = statistics.per_comparison(p.false_failure_rate, len(p.dataset.protected))
    bounds: dict[str, statistics.Bounds] = {}
    for attribute in p.dataset.protected:
        member = hold.column(attribute).astype(int)

        def two_sided(idx: np.ndarray, member: np.ndarray = member) -> float:
            value = auc(member[idx], residual[idx])
            return max(value, 1 - value)

        point = two_sided(np.arange(len(member)))
        lo, hi = statistics.bootstrap(len(member), two_sided, alpha_each, ctx.seed, p.bootstrap)
        bounds[attribute] = statistics.Bounds(
            f"residual AUC for {attribute}", point, lo, hi, p.max_residual_auc, "at_most", alpha_each,
            "seeded BCa bootstrap of the rank-residual AUC", {"rows": len(member), "in_group": int(member.sum())})
        results[attribute] = {"residual_auc": r4(point), "ci": [r4(lo), r4(hi)],
                              "confidence": bounds[attribute].confidence,
                              "mean_residual_in_group": r4(residual[member == 1].mean()),
                              "mean_residual_outside": r4(residual[member == 0].mean())}
    ctx.attach("proxy detection", {"method": "rank residual against a logistic benchmark", "features": legit,
                                   "neutralised": neutral, "results": results})
    ctx.statistics = statistics.summary(list(bounds.values()), p.false_failure_rate, family="protected attributes")
    breached = [a for a, b in bounds.items() if b.violated]
    if breached:
        detail = "; ".join(f"{a}: AUC {bounds[a].describe()}" for a in breached)
        ctx.fail(f"the product's score reaches {', '.join(breached)} through other features: the part of its "
                 f"ranking the outcome does not justify predicts them beyond the limit {p.max_residual_auc} "
                 f"({detail})", counterexample={"attributes": breached, "results": results, "seed": ctx.seed},
                 results=results)


def _percentile(values: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    return np.asarray(rankdata(values) / len(values))
