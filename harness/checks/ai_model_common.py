"""Shared by the AI credit-model checks: the evaluation data, scoring it, bootstrap intervals, charts.

Every AI requirement names its dataset in its parameters (the profile uses one YAML anchor for all of
them). Loading, splitting and scoring the hold-out rows are cached per run (dataset, seed, product
client), so ten requirements cost one scoring pass. No check module registers anything here.
"""

from __future__ import annotations

import io
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from pydantic import Field

from harness.checks.context import CheckContext
from harness.checks.registry import Params
from harness.checks.statistics import ErrorRate
from harness.contracts.ai_model import AiModelClient
from harness.datasets import Dataset, DatasetSpec, Split, load


class AiParams(Params):
    dataset: DatasetSpec


class Interval(ErrorRate):
    """A decision on the hold-out rows by seeded bootstrap bounds (``harness.checks.statistics``): the
    number of resamples and the stated false-failure rate α."""

    bootstrap: int = Field(2000, ge=200, le=20_000)


@dataclass(frozen=True)
class Scored:
    """A split with the product's answers."""

    split: Split
    pd: np.ndarray
    declined: np.ndarray
    answers: list[dict[str, Any]]

    @property
    def approved(self) -> np.ndarray:
        return ~self.declined


_SPLITS: dict[tuple[str, int], tuple[Dataset, Split, Split]] = {}
_SCORED: weakref.WeakKeyDictionary[Any, dict[str, Scored]] = weakref.WeakKeyDictionary()  # per product connection


def evaluation(ctx: CheckContext, spec: DatasetSpec) -> tuple[Dataset, Split, Split]:
    """(dataset, development rows, reserved hold-out rows) for this run's seed."""
    key = (spec.model_dump_json(), ctx.seed)
    if key not in _SPLITS:
        if len(_SPLITS) > 16:
            _SPLITS.clear()
        data = load(spec)
        _SPLITS[key] = (data, *data.split(ctx.seed))
    return _SPLITS[key]


def score(ctx: CheckContext, split: Split, *, cache_as: str | None = None) -> Scored:
    """Send a split's applicants to the product; cached per client when ``cache_as`` names the split."""
    client = ctx.client(AiModelClient)
    cache = _SCORED.setdefault(ctx.http, {})
    key = f"{cache_as}:{ctx.seed}"
    if cache_as is not None and key in cache:
        return cache[key]
    answers = client.score(split.applicants)
    ctx.examples += len(answers)
    result = Scored(split, np.array([a["pd"] for a in answers], dtype=float),
                    np.array([a["decision"] == "decline" for a in answers]), answers)
    if cache_as is not None:
        cache[key] = result
    return result


def holdout_scored(ctx: CheckContext, spec: DatasetSpec) -> Scored:
    return score(ctx, evaluation(ctx, spec)[2], cache_as=f"holdout:{spec.model_dump_json()}")


def features(ctx: CheckContext) -> list[dict[str, Any]]:
    return ctx.client(AiModelClient).features()


def with_features(split: Split, change: Callable[[dict[str, Any]], dict[str, Any]], suffix: str = "") -> Split:
    """The same applicants with their feature maps changed (labels and frame kept for grouping)."""
    applicants = [{"id": a["id"] + suffix, "features": change(dict(a["features"]))} for a in split.applicants]
    return Split(applicants, split.labels, split.frame)


def bootstrap(seed: int, n: int, resamples: int, statistic: Callable[[np.ndarray], float],
              confidence: Decimal) -> tuple[float, float]:
    """Two-sided percentile bootstrap interval of ``statistic(index array)`` over ``resamples`` seeded
    resamples (kept for reports; the checks decide with ``harness.checks.statistics.bootstrap``)."""
    rng = np.random.default_rng(seed)
    values = np.array([statistic(rng.integers(0, n, n)) for _ in range(resamples)])
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return float("nan"), float("nan")
    tail = (1 - float(confidence)) / 2
    return float(np.quantile(values, tail)), float(np.quantile(values, 1 - tail))


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (Mann–Whitney, ties counted half); NaN if one class is missing."""
    from scipy.stats import rankdata

    pos = labels == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(scores)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def r4(x: float) -> float:
    return round(float(x), 4)


def bar_chart(title: str, groups: list[str], series: dict[str, list[float]],
              errors: dict[str, list[tuple[float, float]]] | None = None, line: float | None = None) -> bytes:
    """A grouped bar chart (PNG bytes) with optional interval whiskers and a threshold line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=100)
    width = 0.8 / max(1, len(series))
    x = np.arange(len(groups))
    for k, (name, values) in enumerate(series.items()):
        yerr = None
        if errors and name in errors:
            lo, hi = zip(*errors[name], strict=True)
            yerr = np.abs(np.array([np.subtract(values, lo), np.subtract(hi, values)]))
        ax.bar(x + k * width, values, width, label=name, yerr=yerr, capsize=3)
    if line is not None:
        ax.axhline(line, color="black", linestyle="--", linewidth=1)
    ax.set_xticks(x + width * (len(series) - 1) / 2, groups, fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
