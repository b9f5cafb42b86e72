"""Serial numbers for the identifiers checks send (booking, payment, party, person IDs).

Products keep state across examples and across requirements, so an identifier must never repeat within a run;
and a requirement's document must not depend on what ran before it in the same process (a second certification,
a test session, a container lane of ``--jobs``). So every requirement numbers from its own block: the session
calls :func:`begin` with the requirement's position in the profile before the check runs, and :func:`fresh`
counts up from ``(position + 1) * BLOCK``. The same requirement gets the same identifiers in every run, on
any lane, after any other run; two requirements of one run never share one.
"""

from __future__ import annotations

import itertools

BLOCK = 10_000_000  # identifiers one requirement may use (a check sends far fewer)

_next = itertools.count(1)


def begin(position: int) -> None:
    """Start the numbering of the requirement at ``position`` (0-based) in its profile."""
    global _next
    _next = itertools.count((position + 1) * BLOCK + 1)


def fresh() -> int:
    """The next serial number of the current requirement."""
    return next(_next)
