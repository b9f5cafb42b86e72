"""Small helpers shared by check modules (parameter types, decision helpers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict


def _no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError("write decimal figures as quoted strings (e.g. '0.0385'), never as floats")
    return value


Dec = Annotated[Decimal, BeforeValidator(_no_float)]
"""A decimal profile parameter; floats are refused so no figure is ever rounded by YAML."""


class DatedRate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    effective: date
    rate: Dec


def rate_on(table: list[DatedRate], day: date) -> Decimal:
    """The rate in force on ``day``: the latest entry whose effective date is not after it."""
    current = None
    for entry in sorted(table, key=lambda e: e.effective):
        if entry.effective <= day:
            current = entry.rate
    if current is None:
        raise ValueError(f"no rate in force on {day}")
    return current


OUTCOME_RANK = {"declined": 0, "review": 1, "approved": 1}


def granted(decision: dict[str, Any]) -> bool:
    """Approved, or approved subject to human review: money may flow on these terms."""
    return decision["outcome"] in ("approved", "review")


def dec(value: Any) -> Decimal:
    return Decimal(str(value))
