"""Decisions on a sample: an estimate, its confidence bounds, and a rule with a stated false-failure rate.

**The rule.** A check that decides on a sample (a population of applicants, hold-out rows, timed requests)
fails only when the sample is strong evidence that the product breaks the threshold: it computes a
one-sided confidence bound at level 1 − α′ on the side of the threshold that matters and fails when that
bound lies on the wrong side. "At least t" (a selection-rate ratio, an AUC, a recall, a TPS) fails when
the *upper* bound is below t; "at most t" (an ECE, a PSI, a flip rate, a p99 latency) fails when the
*lower* bound is above t. α is the requirement's ``false_failure_rate`` parameter (default 0.01). When one
requirement makes m such comparisons (groups × metrics), each uses α′ = α / m (Bonferroni), so:

* **false failures**: a compliant product (every true figure on the right side of its threshold, even
  exactly at it) fails with probability at most α, whatever the seed; the verdict no longer flips with
  the sample drawn;
* **power**: a product that breaks a threshold by a clear margin still fails; how clear the margin has
  to be depends on the sample size, which comes from the profile. Each check states its power.

A requirement's ``statistics`` entry (verdict.json) shows the decisive comparison: the estimate, the two
one-sided bounds (``interval``: each end holds at ``confidence`` = 1 − α′, together a 1 − 2α′ two-sided
interval), the rule, the threshold, α and the sample sizes. Methods (statsmodels, SciPy): Clopper–Pearson
for a proportion (exact, conservative); Katz log for a ratio and Newcombe for a difference of two
proportions; a seeded BCa bootstrap for AUC, KS, ECE and PSI; the exact Poisson (Garwood) bound for an
event rate; the order-statistic bound for a quantile. The asymptotic ones hold α approximately (Katz at
the threshold, 1 000 per group: 1.1 % for a stated 1 %; tests/test_statistics.py), which the Bonferroni
division more than covers whenever m > 1.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import permutations
from typing import Any, Literal

import numpy as np
from pydantic import Field

from harness.checks.common import Dec
from harness.checks.registry import Params

Direction = Literal["at_least", "at_most"]


class ErrorRate(Params):
    """The stated false-failure rate of a check that decides on a sample."""

    false_failure_rate: Dec = Field(Decimal("0.01"), gt=0, le=Decimal("0.2"),
                                    description="Largest probability that a compliant product fails (α)")


def per_comparison(alpha: Decimal | float, comparisons: int) -> float:
    """Bonferroni: the one-sided level of each of ``comparisons`` bounds, so that all hold together at α."""
    return float(alpha) / max(1, comparisons)


@dataclass(frozen=True)
class Bounds:
    """One comparison: an estimate, one-sided lower and upper bounds (each at 1 − ``alpha``), a threshold."""

    quantity: str
    estimate: float
    lower: float
    upper: float
    threshold: Decimal
    direction: Direction
    alpha: float
    method: str
    n: dict[str, int] = field(default_factory=dict)

    @property
    def violated(self) -> bool:
        """The decision: the bound on the threshold's side is on the wrong side of it."""
        if self.direction == "at_least":
            return self.upper < float(self.threshold)
        return self.lower > float(self.threshold)

    @property
    def margin(self) -> float:
        """How far the decisive bound is past the threshold (positive: violated)."""
        t = float(self.threshold)
        return t - self.upper if self.direction == "at_least" else self.lower - t

    @property
    def confidence(self) -> str:
        return _pct(1 - self.alpha)

    def interval_text(self) -> str:
        return f"{self.confidence} bounds {_r(self.lower)}–{_r(self.upper)}"

    def describe(self) -> str:
        """``0.6252 (99.9% bounds 0.49–0.76) < 0.8``: the estimate, its interval, the broken threshold."""
        op = "<" if self.direction == "at_least" else ">"
        return f"{_r(self.estimate)} ({self.interval_text()}) {op} {self.threshold}"

    def rule(self) -> str:
        side, op = ("upper", "<") if self.direction == "at_least" else ("lower", ">")
        return f"fail if the {self.confidence} {side} bound {op} {self.threshold}"

    def as_json(self) -> dict[str, Any]:
        return {"quantity": self.quantity, "estimate": _r(self.estimate), "interval": [_r(self.lower), _r(self.upper)],
                "threshold": str(self.threshold), "violated": self.violated}


def decisive(bounds: Sequence[Bounds]) -> Bounds:
    """The comparison that decides: the most clearly violated one, else the one closest to failing."""
    return max(bounds, key=lambda b: (b.violated, b.margin if math.isfinite(b.margin) else -math.inf))


def summary(bounds: Sequence[Bounds], alpha: Decimal, *, comparisons: int | None = None, family: str = "",
            **extra: Any) -> dict[str, Any]:
    """The JSON-ready ``ctx.statistics`` of a check: its decisive comparison, the rule and the error rate.
    ``comparisons`` (default: the number of bounds) is the Bonferroni divisor, ``family`` says what it counts."""
    key = decisive(bounds)
    m = comparisons or len(bounds)
    rule = key.rule()
    if m > 1:
        rule += f" for any comparison (Bonferroni: α = {alpha} / {m}{f' ({family})' if family else ''} each)"
    out: dict[str, Any] = {
        "quantity": key.quantity, "estimate": _r(key.estimate), "interval": [_r(key.lower), _r(key.upper)],
        "confidence": str(round(1 - key.alpha, 6)), "rule": rule, "threshold": str(key.threshold),
        "false_failure_rate": str(alpha), "method": key.method, "n": dict(key.n), "comparisons": m,
    }
    if len(bounds) > 1:
        out["all"] = [b.as_json() for b in bounds]
    out.update(extra)
    return out


# -- intervals: each returns (lower, upper), each a one-sided bound at 1 − alpha ------------------------------

def proportion(successes: int, n: int, alpha: float) -> tuple[float, float]:
    """Clopper–Pearson (exact, conservative) bounds of a binomial proportion."""
    from statsmodels.stats.proportion import proportion_confint  # scipy/statsmodels load on use (~0.8 s)
    if n == 0:
        return 0.0, 1.0
    lo, hi = proportion_confint(successes, n, alpha=2 * alpha, method="beta")
    return float(np.nan_to_num(lo, nan=0.0)), float(np.nan_to_num(hi, nan=1.0))


def ratio(x1: int, n1: int, x2: int, n2: int, alpha: float) -> tuple[float, float]:
    """Bounds of p1 / p2 for two independent binomial samples: Katz log method; with a zero count, Katz on
    counts + 0.5 with the bound on the zero's side opened (to 0 or infinity); no evidence when both are 0."""
    from statsmodels.stats.proportion import confint_proportions_2indep
    if n1 == 0 or n2 == 0 or (x1 == 0 and x2 == 0):
        return 0.0, math.inf
    method = "log" if x1 and x2 else "log-adjusted"
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method=method, compare="ratio", alpha=2 * alpha)
    return (0.0 if x1 == 0 else float(lo)), (math.inf if x2 == 0 else float(hi))


def difference(x1: int, n1: int, x2: int, n2: int, alpha: float) -> tuple[float, float]:
    """Bounds of p1 − p2 for two independent binomial samples (Newcombe's hybrid score interval)."""
    from statsmodels.stats.proportion import confint_proportions_2indep
    if n1 == 0 or n2 == 0:
        return -1.0, 1.0
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=2 * alpha)
    return float(lo), float(hi)


def bootstrap(n: int, statistic: Callable[[np.ndarray], float], alpha: float, seed: int,
              resamples: int) -> tuple[float, float]:
    """BCa bootstrap bounds of ``statistic(row indices)`` over ``n`` rows, resampled with a seeded generator
    (the run seed: the same seed gives the same bounds). Falls back to the percentile method where BCa is
    undefined (a statistic constant over the jackknife)."""
    from scipy import stats
    rows = np.arange(n)

    def stat(index: np.ndarray) -> float:
        return statistic(np.asarray(index, dtype=int))

    for method in ("BCa", "percentile"):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = stats.bootstrap((rows,), stat, n_resamples=resamples, confidence_level=1 - 2 * alpha,
                                     method=method, vectorized=False, rng=np.random.default_rng(seed))
        lo, hi = float(result.confidence_interval.low), float(result.confidence_interval.high)
        if math.isfinite(lo) and math.isfinite(hi):
            return lo, hi
    return -math.inf, math.inf


def event_rate(events: int, seconds: float, alpha: float) -> tuple[float, float]:
    """Exact (Garwood) bounds of the rate of a Poisson process that produced ``events`` in ``seconds``. For a
    load test this is conservative: a steady stream of completions is more regular than Poisson."""
    from scipy import stats
    if seconds <= 0:
        return 0.0, math.inf
    lo = stats.chi2.ppf(alpha, 2 * events) / (2 * seconds) if events > 0 else 0.0
    hi = stats.chi2.ppf(1 - alpha, 2 * events + 2) / (2 * seconds)
    return float(lo), float(hi)


def quantile(samples: Sequence[float], p: float, alpha: float) -> tuple[float, float]:
    """Distribution-free (order-statistic) bounds of the p-quantile; an end the sample cannot bound is ±inf."""
    from scipy import stats
    x = np.asarray(samples, dtype=float)
    lo = stats.quantile_test(x, q=0, p=p, alternative="greater").confidence_interval(1 - alpha).low
    hi = stats.quantile_test(x, q=0, p=p, alternative="less").confidence_interval(1 - alpha).high
    return float(np.nan_to_num(lo, nan=-math.inf)), float(np.nan_to_num(hi, nan=math.inf))


def pairwise_ratios(groups: Mapping[str, tuple[int, int]], label: str, threshold: Decimal | float,
                    alpha: float) -> list[Bounds]:
    """Selection-rate ratio p_i / p_j (required: at least ``threshold``) for every ordered pair of groups
    given as group → (selected, size); k groups make k(k − 1) comparisons."""
    out = []
    for (a, (xa, na)), (b, (xb, nb)) in permutations(groups.items(), 2):
        lo, hi = ratio(xa, na, xb, nb, alpha)
        estimate = (xa / na) / (xb / nb) if xb and na else math.nan if not xa else math.inf
        out.append(Bounds(f"{label}: {a} / {b}", estimate, lo, hi, Decimal(str(threshold)), "at_least", alpha,
                          "Katz log ratio of two binomial proportions", {a: na, b: nb}))
    return out


def pairwise_differences(groups: Mapping[str, tuple[int, int]], label: str, threshold: Decimal | float,
                         alpha: float) -> list[Bounds]:
    """Rate difference p_i − p_j (required: at most ``threshold``) for every ordered pair of groups, so that
    |p_i − p_j| ≤ threshold is judged in both directions."""
    out = []
    for (a, (xa, na)), (b, (xb, nb)) in permutations(groups.items(), 2):
        lo, hi = difference(xa, na, xb, nb, alpha)
        estimate = xa / na - xb / nb if na and nb else math.nan
        out.append(Bounds(f"{label}: {a} − {b}", estimate, lo, hi, Decimal(str(threshold)), "at_most", alpha,
                          "Newcombe difference of two binomial proportions", {a: na, b: nb}))
    return out


# -- power ------------------------------------------------------------------------------------------------

def ratio_power(rate: float, true_ratio: float, n_low: int, n_high: int, threshold: float, alpha: float) -> float:
    """Probability (normal approximation on the log scale) that the upper bound of p_low / p_high at 1 − alpha
    falls below ``threshold`` when the better group's rate is ``rate`` and the true ratio ``true_ratio``."""
    from scipy import stats
    p_high, p_low = rate, rate * true_ratio
    se = math.sqrt((1 - p_low) / (n_low * p_low) + (1 - p_high) / (n_high * p_high))
    z = (math.log(threshold) - math.log(true_ratio)) / se
    return float(stats.norm.cdf(z - stats.norm.ppf(1 - alpha)))


def _r(x: float) -> float | str:
    """Rounded to 4 digits; an unbounded end is the string "inf" / "-inf" (JSON has no infinity)."""
    return round(float(x), 4) if math.isfinite(x) else ("inf" if x > 0 else "-inf")


def _pct(x: float) -> str:
    text = f"{100 * x:.4f}".rstrip("0").rstrip(".")
    return f"{text}%"
