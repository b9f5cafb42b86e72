"""AI credit models: discrimination power (AUC, KS), calibration (ECE) and population stability (PSI).

Measured on the reserved hold-out rows of the profile's real dataset, never on rows the product trained
on. As for fairness, a breach must be established at the profile's confidence level: the check fails when
the whole bootstrap interval lies on the wrong side of the threshold, so a verdict does not depend on the
resample drawn from the seed.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
from pydantic import Field

from harness.checks.ai_model_common import (
    AiParams,
    Interval,
    auc,
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


class Discrimination(AiParams, Interval):
    min_auc: Dec = Field(Decimal("0.75"), gt=0, le=1)
    min_ks: Dec = Field(Decimal("0.35"), gt=0, le=1)


def ks(labels: np.ndarray, scores: np.ndarray) -> float:
    """Kolmogorov–Smirnov statistic: the largest gap between the score CDFs of bad and good."""
    bad, good = np.sort(scores[labels == 1]), np.sort(scores[labels == 0])
    if len(bad) == 0 or len(good) == 0:
        return float("nan")
    grid = np.unique(scores)
    gap = np.searchsorted(good, grid, side="right") / len(good) - np.searchsorted(bad, grid, side="right") / len(bad)
    return float(np.max(np.abs(gap)))


@check("ai_model.discrimination", params=Discrimination)
def discrimination(ctx: CheckContext, p: Discrimination) -> None:
    """AUC and KS of the product's PD on the hold-out rows are at least the minima."""
    scored = holdout_scored(ctx, p.dataset)
    y, s = scored.split.labels, scored.pd
    figures: dict[str, dict[str, Any]] = {}
    for name, fn, minimum in (("AUC", auc, p.min_auc), ("KS", ks, p.min_ks)):

        def resampled(i: np.ndarray, fn: Callable[[np.ndarray, np.ndarray], float] = fn) -> float:
            return fn(y[i], s[i])

        ci = bootstrap(ctx.seed, len(y), p.bootstrap, resampled, p.confidence)
        figures[name] = {"value": r4(fn(y, s)), "ci": [r4(ci[0]), r4(ci[1])], "minimum": str(minimum)}
    ctx.attach("discrimination", {**figures, "rows": len(y), "adverse": int(y.sum())})
    low = [n for n, f in figures.items() if f["ci"][1] < float(f["minimum"])]
    if low:
        ctx.fail("; ".join(f"{n} {figures[n]['value']} ({p.confidence} CI {figures[n]['ci'][0]}–{figures[n]['ci'][1]}) "
                           f"< {figures[n]['minimum']}" for n in low) + f" on {len(y)} hold-out rows",
                 counterexample={"figures": figures, "seed": ctx.seed})


class Calibration(AiParams, Interval):
    max_ece: Dec = Field(Decimal("0.05"), gt=0, le=1)
    bins: int = Field(10, ge=2, le=50)


def ece(labels: np.ndarray, pd_: np.ndarray, bins: int) -> tuple[float, list[dict[str, float]]]:
    """Expected calibration error over equal-count bins of the PD, and the reliability table."""
    order = np.argsort(pd_, kind="stable")
    table, total = [], 0.0
    for chunk in np.array_split(order, bins):
        if len(chunk) == 0:
            continue
        predicted, observed = float(pd_[chunk].mean()), float(labels[chunk].mean())
        total += len(chunk) / len(pd_) * abs(predicted - observed)
        table.append({"rows": len(chunk), "mean_pd": r4(predicted), "observed_rate": r4(observed)})
    return total, table


@check("ai_model.calibration", params=Calibration)
def calibration(ctx: CheckContext, p: Calibration) -> None:
    """Expected calibration error of the PD on the hold-out rows is at most the maximum."""
    scored = holdout_scored(ctx, p.dataset)
    y, s = scored.split.labels, scored.pd
    value, table = ece(y, s, p.bins)
    ci = bootstrap(ctx.seed, len(y), p.bootstrap, lambda i: ece(y[i], s[i], p.bins)[0], p.confidence)
    brier = float(np.mean((s - y) ** 2))
    ctx.attach("calibration", {"ece": r4(value), "ci": [r4(ci[0]), r4(ci[1])], "brier": r4(brier),
                               "reliability": table})
    if ci[0] > float(p.max_ece):
        ctx.fail(f"expected calibration error {r4(value)} ({p.confidence} CI {r4(ci[0])}–{r4(ci[1])}) > {p.max_ece}: "
                 f"mean PD {r4(s.mean())} against an observed rate of {r4(y.mean())}",
                 counterexample={"ece": r4(value), "ci": [r4(ci[0]), r4(ci[1])], "reliability": table})


class Stability(AiParams):
    max_psi: Dec = Field(gt=0)
    shift: dict[str, Dec] = Field(min_length=1, description="feature → amount added (a plausible drift)")
    bins: int = Field(10, ge=2, le=50)


def psi(expected: np.ndarray, actual: np.ndarray, bins: int) -> float:
    """Population stability index over the expected distribution's decile edges (0.5-count floor)."""
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)[1:-1]))
    e = np.bincount(np.searchsorted(edges, expected, side="right"), minlength=len(edges) + 1).astype(float)
    a = np.bincount(np.searchsorted(edges, actual, side="right"), minlength=len(edges) + 1).astype(float)
    e, a = np.maximum(e, 0.5) / e.sum(), np.maximum(a, 0.5) / a.sum()
    return float(np.sum((a - e) * np.log(a / e)))


@check("ai_model.stability", params=Stability)
def stability(ctx: CheckContext, p: Stability) -> None:
    """PSI of the PD between the hold-out population and the same population after a plausible drift."""
    _, _, hold = evaluation(ctx, p.dataset)
    unknown = set(p.shift) - set(hold.frame.columns)
    if unknown:
        raise HarnessError(f"shift names features {sorted(unknown)} that {p.dataset.qualified_name} lacks")
    base = holdout_scored(ctx, p.dataset)
    amounts = {k: float(v) for k, v in p.shift.items()}
    shifted = score(ctx, with_features(hold, lambda f: {**f, **{k: max(0.0, f[k] + d) for k, d in amounts.items()}}))
    value = psi(base.pd, shifted.pd, p.bins)
    evidence = {"psi": r4(value), "max_psi": str(p.max_psi), "shift": {k: str(v) for k, v in p.shift.items()},
                "mean_pd_before": r4(base.pd.mean()), "mean_pd_after": r4(shifted.pd.mean()),
                "decline_rate_before": r4(base.declined.mean()), "decline_rate_after": r4(shifted.declined.mean())}
    ctx.attach("population stability", evidence)
    if value > float(p.max_psi):
        ctx.fail(f"PSI of the PD under the drift {evidence['shift']} is {r4(value)} > {p.max_psi} "
                 f"(mean PD {evidence['mean_pd_before']} → {evidence['mean_pd_after']})", counterexample=evidence)
