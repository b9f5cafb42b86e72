"""Serial numbers for the identifiers checks send (booking, payment, party, person IDs).

Products keep state across examples and across requirements, so an identifier must never repeat within a run;
and a requirement's document must not depend on what ran before it in the same process (a second certification,
a test session, a container lane of ``--jobs``). So every requirement numbers from its own block: the session
calls :func:`begin` with the requirement's position in the profile before the check runs, and :func:`fresh`
counts up from ``(position + 1) * BLOCK``. The same requirement gets the same identifiers in every run, on
any lane, after any other run; two requirements of one run never share one. Key pairs come from the same
numbering and the run seed (:func:`key_material`).
"""

from __future__ import annotations

import hashlib
import itertools

BLOCK = 10_000_000  # identifiers one requirement may use (a check sends far fewer)

_next = itertools.count(1)
_run = "0"


def begin(position: int, seed: int = 0) -> None:
    """Start the numbering of the requirement at ``position`` (0-based) in its profile, in a run with
    ``seed``."""
    global _next, _run
    _next = itertools.count((position + 1) * BLOCK + 1)
    _run = f"{seed}:{position}"


def fresh() -> int:
    """The next serial number of the current requirement."""
    return next(_next)


def key_material() -> bytes:
    """32 bytes for the next test key pair the harness owns (ledger wallets): derived from the run seed, the
    requirement and a serial, so the same run makes the same accounts and signatures (operating-system
    randomness made every run's account IDs, transaction IDs and block hashes differ). Test identities only:
    anyone who knows the seed can derive them, which is the point."""
    return hashlib.sha256(f"sandbox-test-key:{_run}:{fresh()}".encode()).digest()
