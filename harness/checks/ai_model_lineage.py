"""AI credit models: traceable training data, modelling and deployment (JR/T 0221-2021 lineage).

The contract's schema already requires every lineage field; this check verifies what the card claims: the
data it names can be loaded from the shipped package and has the row count and checksum the card states,
the training rows leave the sandbox reserve out, and the timeline (extracted → trained → deployed → now)
is in order.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import Field

from harness.checks.ai_model_common import AiParams
from harness.checks.context import CheckContext
from harness.checks.registry import check
from harness.contracts.ai_model import AiModelClient
from harness.datasets import DatasetSpec, load
from harness.errors import HarnessError


class Lineage(AiParams):
    clock_skew_minutes: int = Field(5, ge=0, le=1440, description="Slack for clocks in the timeline (at most a "
                                    "day; more would let a card claim times out of order)")


@check("ai_model.lineage", params=Lineage)
def lineage(ctx: CheckContext, p: Lineage) -> None:
    """The model card's lineage is complete and its data checksum matches the data it names."""
    card = ctx.client(AiModelClient).model_card()
    ctx.attach("model card", card)
    data, training, deployment = (card["lineage"][k] for k in ("data", "training", "deployment"))
    claimed = data["dataset"]
    source, _, name = claimed.partition(":")
    if f"{source}:{name}" != p.dataset.qualified_name:
        ctx.fail(f"model card names training data {claimed!r}, not the sandbox dataset "
                 f"{p.dataset.qualified_name!r}: its lineage cannot be verified against the evaluation data",
                 counterexample={"claimed": claimed, "expected": p.dataset.qualified_name})
    try:
        shipped = load(p.dataset)
    except HarnessError as exc:
        raise HarnessError(f"cannot load {claimed} to verify the model card: {exc}") from None
    facts = {"claimed_checksum": data["checksum"], "actual_checksum": shipped.checksum,
             "claimed_rows": data["rows"], "actual_rows": shipped.rows}
    if data["checksum"] != shipped.checksum:
        ctx.fail(f"model card checksum {data['checksum']} does not match {claimed} as shipped "
                 f"({shipped.checksum}): the model was not trained on the data it claims", counterexample=facts)
    if data["rows"] != shipped.rows:
        ctx.fail(f"model card says {data['rows']} rows, {claimed} has {shipped.rows}", counterexample=facts)
    _training_rows(ctx, data, shipped.rows - int(shipped.reserved().sum()), p.dataset)
    if not training["parameters"]:
        ctx.fail("model card lists no training parameters", counterexample=training)
    _timeline(ctx, data["extracted_at"], training["trained_at"], deployment["deployed_at"],
              timedelta(minutes=p.clock_skew_minutes))
    if not deployment["configuration"]:
        ctx.fail("model card gives no deployment configuration", counterexample=deployment)


def _training_rows(ctx: CheckContext, data: dict[str, Any], allowed: int, spec: DatasetSpec) -> None:
    rows = data.get("training_rows")
    if rows is not None and rows > allowed:
        ctx.fail(f"model card says it trained on {rows} rows, but only {allowed} of {spec.qualified_name} lie "
                 "outside the sandbox reserve: reserved evaluation rows were trained on",
                 counterexample={"training_rows": rows, "rows_outside_reserve": allowed,
                                 "sampling": data["sampling"]})


def _timeline(ctx: CheckContext, extracted: str, trained: str, deployed: str, skew: timedelta) -> None:
    stamps = {}
    for name, text in (("data extracted_at", extracted), ("trained_at", trained), ("deployed_at", deployed)):
        try:
            stamp = datetime.fromisoformat(text)
        except ValueError:
            ctx.fail(f"model card {name} {text!r} is not an ISO 8601 date-time")
        if stamp.tzinfo is None:
            ctx.fail(f"model card {name} {text!r} has no time zone")
        stamps[name] = stamp
    now = ctx.now() + skew  # the run's as-of day, never the wall clock
    if any(s > now for s in stamps.values()):
        ctx.fail("model card lineage has times in the future", counterexample={k: str(v) for k, v in stamps.items()})
    if stamps["data extracted_at"] > stamps["trained_at"] + skew:
        ctx.fail("model card says the model was trained before its data was extracted",
                 counterexample={k: str(v) for k, v in stamps.items()})
    if stamps["trained_at"] > stamps["deployed_at"] + skew:
        ctx.fail("model card says the model was deployed before it was trained",
                 counterexample={k: str(v) for k, v in stamps.items()})
