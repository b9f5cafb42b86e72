"""Cross-border payments: a payment to or from a listed party is stopped (AML Law 2024 Arts. 40-41).

Screening quality (recall, false positives) is measured by ``cross_border.sanctions_screening``; this check
asks what the law asks of the payment itself: when the originator (the customer) or the beneficiary (the
counterparty) is on the list, the payment is not executed, no message leaves, the funds are held and a report
is filed; the same payment between parties on no list is executed and reported nowhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from hypothesis import strategies as st
from pydantic import Field, field_validator

from harness.checks.common import Dec
from harness.checks.context import CheckContext, minimal
from harness.checks.cross_border_fx import Currencies, last_day_not_before_first, pay_on, quote_days
from harness.checks.cross_border_screening import ListEntry, loaded_list
from harness.checks.registry import Params, check
from harness.contracts.cross_border import CrossBorderClient
from harness.money import quantum
from harness.strategies.cross_border import money, non_list_names, transfers, unique_id

Role = Literal["originator", "beneficiary"]
ROLES: tuple[Role, ...] = ("originator", "beneficiary")
FORMS = ("as_listed", "upper", "lower", "script")
"""How the listed name is written in the payment: as listed, in capitals, in lower case, in another script."""


class BlockingParams(Params):
    test_list: list[ListEntry] = Field(min_length=1, description="Fictitious list entries (a sandbox test list)")
    currencies: Currencies = Field(min_length=1)
    first_day: date = Field(description="Payment dates are drawn up to and including the run's as-of date; "
                            "last_day (the end of the ECB data) and the day after it are boundaries drawn first")
    last_day: date
    max_amount: Dec = Field(Decimal("50000"), gt=0, le=Decimal("1000000000000"))

    _days = field_validator("last_day")(last_day_not_before_first)


def written(entry: ListEntry, form: str) -> str:
    """The listed name as the payment writes it."""
    if form == "upper":
        return entry.name.upper()
    if form == "lower":
        return entry.name.lower()
    if form == "script" and entry.scripts:
        return sorted(entry.scripts.items())[0][1]
    return entry.name


def with_party(request: dict[str, Any], role: str, name: str) -> dict[str, Any]:
    return {**request, role: {**request[role], "name": name}}


@check("cross_border.sanctions_blocking", params=BlockingParams)
def sanctions_blocking(ctx: CheckContext, p: BlockingParams) -> None:
    """A payment whose originator or beneficiary is on the loaded list is held (status ``held``): not executed,
    no outbound message, and a sanctions report naming the payment, the party and the list entry is filed for
    its day. The same payment with a name on no list is executed and no sanctions report names it.

    Every entry × role, written as listed, runs first every time (a product that screens only one party fails
    at any seed); then generated cases (entry, role, how the name is written, currency, amount, day up to the
    run's as-of date: past the rate table a 422 no-rate-for-date problem is allowed, never a 5xx)."""
    client = ctx.client(CrossBorderClient)
    entries = [e.model_dump() for e in p.test_list]
    clean = non_list_names(entries, 50, ctx.seed)
    message_op = client.contract.operations["message"]
    days = quote_days(ctx, p.first_day, p.last_day, [*p.currencies, "USD"])

    @st.composite
    def cases(draw: st.DrawFn) -> tuple[dict[str, Any], int, str, str, int]:
        currency = draw(st.sampled_from(p.currencies))
        request = draw(transfers(currency, money(currency, quantum(currency), p.max_amount), draw(days)))
        return (request, draw(st.integers(0, len(p.test_list) - 1)), draw(st.sampled_from(ROLES)),
                draw(st.sampled_from(FORMS)), draw(st.integers(0, len(clean) - 1)))

    first = p.currencies[0]
    base = minimal(transfers(first, money(first, quantum(first), quantum(first)), p.first_day))
    explicit = [{"case": (base, i, role, "as_listed", 0)} for i in range(len(p.test_list)) for role in ROLES]

    def no_message(payment_id: str, why: str) -> None:
        response, exchange = client.send(message_op.method, message_op.path.format(payment_id=payment_id))
        if response.status_code < 400:
            ctx.fail(f"{why}, but an outbound message was produced", exchange=exchange.as_dict())

    @ctx.given(case=cases(), explicit=explicit)
    def prop(case: tuple[dict[str, Any], int, str, str, int]) -> None:
        request, index, role, form, other = case
        entry = p.test_list[index]
        day = date.fromisoformat(request["at"][:10])
        # Both parties carry names on no list; then the one under test takes the listed name.
        request = with_party(with_party(request, "originator", clean[other]), "beneficiary",
                             clean[(other + 1) % len(clean)])
        listed = unique_id(with_party(request, role, written(entry, form)), "SB")
        payment = pay_on(ctx, client, listed, day)
        if payment is not None:
            if payment["status"] != "held":
                ctx.fail(f"a payment whose {role} is {listed[role]['name']!r} (list entry {entry.entry_id}) was "
                         f"{payment['status']}, not held: the funds must be held and reported, not "
                         f"{'sent' if payment['status'] == 'executed' else 'returned'}", payment=payment)
            filed = [r for r in client.sanctions_reports(day.isoformat()) if r["payment_id"] == listed["payment_id"]]
            if not any(r["party"] == role and r["entry_id"] == entry.entry_id for r in filed):
                ctx.fail(f"payment {listed['payment_id']} was held for its {role} ({entry.entry_id}) but no sanctions "
                         f"report for {day} names that party and entry", reports=filed, payment=payment)
        no_message(listed["payment_id"], f"the payment's {role} is on the list ({entry.entry_id})")
        control = unique_id(request, "SC")
        payment = pay_on(ctx, client, control, day)
        if payment is None:
            return
        if payment["status"] != "executed":
            ctx.fail(f"the same payment with the {role} {request[role]['name']!r} (on no list) was "
                     f"{payment['status']}: {payment['reasons']}", payment=payment)
        if any(r["payment_id"] == control["payment_id"] for r in client.sanctions_reports(day.isoformat())):
            ctx.fail(f"a sanctions report names payment {control['payment_id']}, whose parties are on no list")

    with loaded_list(client, f"sandbox-{ctx.profile.id}-blocking", entries):
        prop()
