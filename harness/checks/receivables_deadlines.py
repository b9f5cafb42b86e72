"""Receivables: the debtor's 30-day confirmation deadline (State Council Order No. 802, Art. 16(2)).

When the creditor (an SME) asks the debtor to confirm a receivable, the debtor (a government body, public
institution or large enterprise) must confirm within 30 days of the request. Days are counted from the day
after the request (Civil Code Art. 201), so the last day is the request day + 30; the platform flags a request
that is still unanswered after it, and stops flagging once the debtor confirms. A due day falling on a
statutory holiday moves to the next working day (Art. 203): the check allows up to ``holiday_extension_days``
for that, so it never fails a platform that applies a holiday calendar, and asserts only what holds either way.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

from hypothesis import strategies as st
from pydantic import Field

from harness.checks.context import CheckContext
from harness.checks.receivables import Book
from harness.checks.registry import Params, check
from harness.strategies.receivables import due_dates, face_units, invoice_numbers, party_ids

BEIJING = timezone(timedelta(hours=8))
Answer = Literal["before_due", "never", "late"]
ANSWERS: tuple[Answer, ...] = ("before_due", "never", "late")


class DeadlineParams(Params):
    days: int = Field(30, ge=1, le=365, description="Days the debtor has to confirm, from the day after the request")
    holiday_extension_days: int = Field(8, ge=0, le=30, description="Most a due day may move for statutory "
                                        "holidays (the longest holiday break); 0 counts calendar days only")
    history_days: int = Field(3 * 365, ge=60, le=36_600,
                              description="Request days are drawn this far before the run's as-of date")


def request_days(ctx: CheckContext, p: DeadlineParams) -> st.SearchStrategy[date]:
    """Request days whose whole deadline (and its holiday allowance) has passed by the run's as-of date."""
    last = ctx.as_of - timedelta(days=p.days + p.holiday_extension_days + 1)
    return st.dates(last - timedelta(days=p.history_days), last)


def month_edges(ctx: CheckContext) -> list[date]:
    """Requests on the 15th of January and of February of the year before the as-of year: a 30-day deadline
    differs from "the same day next month" there (31 and 28 or 29 days)."""
    return [date(ctx.as_of.year - 1, 1, 15), date(ctx.as_of.year - 1, 2, 15)]


@check("receivables.confirmation_deadline", params=DeadlineParams)
def confirmation_deadline(ctx: CheckContext, p: DeadlineParams) -> None:
    """Only the creditor can request the debtor's confirmation (403 wrong_party for the debtor). A request
    states a due day of the request day + 30 (up to the holiday allowance later), which a repeated request
    (a reminder up to 30 days later) does not move;
    it is not flagged overdue on or before that day, it is flagged after it (allowance included) while the
    debtor has not confirmed, and it is not flagged once the debtor has confirmed (on time or late)."""
    book = Book(ctx)
    client = book.client
    explicit = [{"number": "FP20250000001", "debtor": "9131000000000000A1", "face": 100_000, "due": date(2030, 1, 31),
                 "requested": day, "answer": answer, "reminder": p.days if answer == "never" else 0}
                for day in month_edges(ctx) for answer in ("never", "before_due")]

    def flagged(rid: str, day: date) -> bool:
        return any(o["receivable_id"] == rid for o in client.overdue(day.isoformat()))

    @ctx.given(number=invoice_numbers(), debtor=party_ids(), face=face_units(), due=due_dates(),
               requested=request_days(ctx, p), answer=st.sampled_from(ANSWERS),
               reminder=st.one_of(st.just(0), st.integers(1, p.days)), explicit=explicit)
    def prop(number: str, debtor: str, face: int, due: date, requested: date, answer: Answer,
             reminder: int) -> None:
        inv = book.open(debtor, number, face, due, confirm=False)
        rid, creditor = inv.ids[0], inv.body["creditor"]
        at = datetime.combine(requested, time(10), BEIJING).isoformat()
        status, refused = client.request_confirmation(rid, debtor, at)  # the deadline is the creditor's to start
        code = refused.get("code") if isinstance(refused, dict) else None
        if (status, code) != (403, "wrong_party"):
            ctx.fail(f"the debtor of {rid} asked for its own confirmation and got {status} code {code!r}; only the "
                     "creditor can request it: the contract's refusal is 403 wrong_party", answer=refused)
        status, view = client.request_confirmation(rid, creditor, at)
        if status >= 300:
            ctx.fail(f"the creditor's confirmation request for {rid} on {requested} was refused ({status})",
                     answer=view)
        earliest = requested + timedelta(days=p.days)
        latest = earliest + timedelta(days=p.holiday_extension_days)
        stated = view.get("confirmation_due")
        if stated is None or not earliest <= date.fromisoformat(stated) <= latest:
            ctx.fail(f"a confirmation requested on {requested} is due {earliest} (request day + {p.days}"
                     f"{f', up to {latest} for holidays' if latest > earliest else ''}); the platform says "
                     f"{stated}", receivable=view)
        if reminder:  # the creditor asks again: the deadline still runs from the first request
            again = datetime.combine(requested + timedelta(days=reminder), time(10), BEIJING).isoformat()
            status, view = client.request_confirmation(rid, creditor, again)
            if status >= 300 or view.get("confirmation_due") != stated:
                ctx.fail(f"the creditor asked again for the confirmation of {rid} {reminder} days after the first "
                         f"request of {requested}: the due day moved from {stated} to "
                         f"{view.get('confirmation_due') if status < 300 else f'a refusal ({status})'}; a repeated "
                         "request keeps the first request's day", receivable=view)
        if flagged(rid, earliest):
            ctx.fail(f"receivable {rid}, whose confirmation was requested on {requested}, is flagged overdue on "
                     f"{earliest}, the last day the debtor has (request day + {p.days})", receivable=view)
        after = latest + timedelta(days=1)
        if answer == "before_due":
            client.confirm_ok(rid, debtor)
            if flagged(rid, after):
                ctx.fail(f"receivable {rid} was confirmed before its due day but is flagged overdue on {after}")
            return
        if not flagged(rid, after):
            ctx.fail(f"receivable {rid}: confirmation requested on {requested}, due {stated}, still unconfirmed, "
                     f"but not flagged overdue on {after}", receivable=view, overdue=_overdue(client, after))
        if answer == "late":
            client.confirm_ok(rid, debtor)
            if flagged(rid, after):
                ctx.fail(f"receivable {rid} is still flagged overdue on {after} after its debtor confirmed it")

    prop()


def _overdue(client: Any, day: date) -> list[dict[str, Any]]:
    return list(client.overdue(day.isoformat()))[:20]
