"""Evaluation data for the AI checks: real, shipped, split reproducibly; metric helpers."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from harness.checks.ai_model_common import auc, bootstrap
from harness.checks.ai_model_performance import ece, ks, psi
from harness.datasets import DatasetSpec, load

SPEC = DatasetSpec(name="AER/HMDA", label="deny", adverse="yes", protected=["afam", "single"],
                   id_column="rownames", reserve_salt="beijing-ai-2026")


def test_hmda_is_loaded_from_the_package_and_reserved_rows_are_fixed() -> None:
    data = load(SPEC)
    assert data.rows == 2380
    assert data.checksum.startswith("sha256:") and len(data.checksum) == 71
    dev, hold = data.split(1)
    _, hold2 = data.split(2)
    assert len(dev) + len(hold) == 2380
    assert 0.25 < len(hold) / 2380 < 0.35
    assert {a["id"] for a in hold.applicants} == {a["id"] for a in hold2.applicants}
    assert [a["id"] for a in hold.applicants] != [a["id"] for a in hold2.applicants]
    assert [a["id"] for a in data.split(1)[1].applicants] == [a["id"] for a in hold.applicants]
    assert isinstance(hold.applicants[0]["features"]["afam"], bool)
    assert set(hold.labels) == {0, 1}


def test_metric_helpers_on_known_values() -> None:
    labels = np.array([0, 0, 1, 1])
    assert auc(labels, np.array([0.1, 0.2, 0.8, 0.9])) == 1.0
    assert auc(labels, np.array([0.9, 0.8, 0.2, 0.1])) == 0.0
    assert ks(labels, np.array([0.1, 0.2, 0.8, 0.9])) == 1.0
    value, table = ece(labels, np.array([0.0, 0.0, 1.0, 1.0]), 2)
    assert value == 0.0 and len(table) == 2
    same = np.linspace(0, 1, 500)
    assert psi(same, same, 10) < 1e-9
    assert psi(same, same + 0.5, 10) > 0.25
    lo, hi = bootstrap(7, 4, 200, lambda i: float(labels[i].mean()), Decimal("0.9"))
    assert 0 <= lo <= 0.5 <= hi <= 1
