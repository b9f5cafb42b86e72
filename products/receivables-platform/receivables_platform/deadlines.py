"""The debtor's confirmation deadline (State Council Order No. 802, Art. 16(2)): a government body or large
enterprise confirms a receivable within 30 days of the SME's request. Periods in days start the day after
the request (Civil Code Art. 201), so the last day to confirm is the request day + 30."""

from __future__ import annotations

from datetime import date, datetime, timedelta

CONFIRMATION_DAYS = 30


def confirmation_due(requested: date, days: int = CONFIRMATION_DAYS) -> date:
    """The last day on which the debtor may confirm a receivable whose confirmation was requested on
    ``requested`` (statutory-holiday extension, Civil Code Art. 203, is not applied: the earliest due day)."""
    return requested + timedelta(days=days)


def request_day(at: str) -> date:
    """The business day of a request timestamp, in its own offset (ISO 8601 with an offset)."""
    moment = datetime.fromisoformat(at)
    if moment.tzinfo is None:
        raise ValueError("at needs an offset")
    return moment.date()
