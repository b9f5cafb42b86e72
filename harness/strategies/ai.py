"""Hypothesis strategies for AI credit-model applicants (contract ``ai_model`` v1).

Generated applicants start from a real row (so every feature is plausible together) and move declared
features over the values that occur in the data, so a property is tested over the whole observed range
rather than over one population.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st


def feature_values(column: np.ndarray, kind: str) -> st.SearchStrategy[Any]:
    """Values of one feature that occur in the data (shrinking over them is cheap: each probe is a request)."""
    if kind == "boolean":
        return st.booleans()
    observed = sorted({int(v) if kind == "integer" else float(v) for v in column})
    return st.sampled_from(observed)


def ordered_pair(values: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, Any]]:
    """Two distinct values of a feature, smaller first."""
    return st.tuples(values, values).filter(lambda ab: ab[0] != ab[1]).map(lambda ab: (min(ab), max(ab)))


def base_applicants(rows: Sequence[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A real applicant's feature map (copied, so properties may change it)."""
    return st.sampled_from(list(rows)).map(lambda a: dict(a["features"]))
