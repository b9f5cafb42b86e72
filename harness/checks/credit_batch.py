"""Credit decisioning: the optional batch operation decides exactly as single requests do.

Other credit checks send their multi-application examples (risk grids, income ladders, fairness samples)
through ``POST /v1/decisions/batch`` when a product implements it, so what they certify is the batch path.
This check is what makes that sound: every decision in a batch must equal, field for field, the decision
``POST /v1/decisions`` gives for the same application alone, whatever else is in the batch and in whatever
order (a batch that shares a rate lookup, a cache or a counter between its items fails here).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st
from pydantic import Field

from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.credit import BATCH_LIMIT, CreditClient
from harness.errors import ProfileError
from harness.strategies.credit import mixed_applications, risk_grid


class BatchEquivalence(Params):
    contract_dates: list[date] = Field(min_length=1, description="Contract dates the deterministic batch mixes "
                                       "(one per rate period of the LPR table, so items of one batch are priced "
                                       "against different rates)")
    max_batch: int = Field(8, ge=1, le=BATCH_LIMIT, description="Largest generated batch (the deterministic "
                           "phase also sends one batch of the contract's maximum size)")


def deterministic_batches(p: BatchEquivalence) -> list[list[dict[str, Any]]]:
    """The risk grid on every listed date, interleaved in one batch (every price band next to every rate
    period), and the same items repeated to the contract's largest batch, in reverse order."""
    grid = risk_grid()
    mixed = [{**app, "application_id": f"{app['application_id']}-{day.isoformat()}", "contract_date": day.isoformat()}
             for app in grid for day in p.contract_dates]
    full = [{**app, "application_id": f"full-{n}"} for n, app in enumerate((mixed * BATCH_LIMIT)[:BATCH_LIMIT])]
    return [mixed[:BATCH_LIMIT], full[::-1]]


def _difference(batch: dict[str, Any], single: dict[str, Any]) -> str:
    fields = sorted(set(batch) | set(single))
    return "; ".join(f"{f}: batch {batch.get(f)!r}, alone {single.get(f)!r}" for f in fields
                     if batch.get(f) != single.get(f))


@check("credit.batch_equivalence", params=BatchEquivalence)
def batch_equivalence(ctx: CheckContext, p: BatchEquivalence) -> None:
    """Each decision of a batch equals the single decision of its application, in the applications' order."""
    credit = ctx.client(CreditClient)
    if "decide_batch" not in credit.implemented:
        raise ProfileError(f"{ctx.requirement.id}: credit.batch_equivalence needs not_applicable_when: "
                           "{unless_operations: [decide_batch]} so that it applies only to products with the batch "
                           "operation")
    batches = st.lists(mixed_applications(), min_size=1, max_size=p.max_batch,
                       unique_by=lambda app: app["application_id"])

    @ctx.given(apps=batches, explicit=[{"apps": b} for b in deterministic_batches(p)])
    def prop(apps: list[dict[str, Any]]) -> None:
        answer = credit.call("decide_batch", {"applications": apps})["decisions"]
        if len(answer) != len(apps):
            ctx.fail(f"a batch of {len(apps)} applications answered {len(answer)} decisions",
                     counterexample={"applications": apps}, decisions=answer)
        for n, (app, batch) in enumerate(zip(apps, answer, strict=True)):
            single = credit.decide(app)
            if batch != single:
                ctx.fail(f"item {n} of a batch of {len(apps)} ({app['application_id']}) is decided differently "
                         f"from the same application alone: {_difference(batch, single)}",
                         counterexample={"applications": apps}, item=n, batch_decision=batch,
                         single_decision=single)

    prop()
