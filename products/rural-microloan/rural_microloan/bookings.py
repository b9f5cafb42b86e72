"""Durable loan bookings: an append-only journal of JSON lines, fsynced before a booking is acknowledged.

On start the journal is replayed; a torn last line (the process died mid-write) is cut off, so a
half-written booking is never visible. The journal lives in ``SANDBOX_DATA_DIR``.
"""

from __future__ import annotations

import json
import os
import re
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

from rural_microloan.validation import MONEY, Invalid

ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
FIELDS = {"booking_id", "borrower_id", "amount", "term_months"}


class Conflict(ValueError):
    pass


def booking(body: Any) -> dict[str, Any]:
    """Validate a booking request; return the normalised booking (amount with 2 decimals)."""
    if not isinstance(body, dict):
        raise Invalid("body: must be an object")
    missing, extra = FIELDS - body.keys(), body.keys() - FIELDS
    if missing or extra:
        raise Invalid(f"body.{sorted(missing or extra)[0]}: {'required' if missing else 'unknown field'}")
    for key in ("booking_id", "borrower_id"):
        if not isinstance(body[key], str) or not ID.fullmatch(body[key]):
            raise Invalid(f"{key}: must be 1 to 64 letters, digits, '-' or '_'")
    if not isinstance(body["amount"], str) or not MONEY.fullmatch(body["amount"]):
        raise Invalid("amount: must be a decimal string with at most 2 decimals")
    term = body["term_months"]
    if isinstance(term, bool) or not isinstance(term, int) or not 1 <= term <= 60:
        raise Invalid("term_months: must be an integer from 1 to 60")
    return {"booking_id": body["booking_id"], "borrower_id": body["borrower_id"],
            "amount": str(Decimal(body["amount"]).quantize(Decimal("0.01"))), "term_months": term}


class BookingStore:
    """Bookings in memory, backed by the journal; ``add`` returns only once the line is on disk."""

    journal_name = "bookings.jsonl"

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / self.journal_name
        self.lock = threading.Lock()
        self.items: dict[str, dict[str, Any]] = {}
        self.recover()
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def recover(self) -> None:
        """Replay the journal; cut a torn tail so the next append starts on a clean line."""
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        good = 0
        for line in data.splitlines(keepends=True):
            if not line.endswith(b"\n"):
                break
            try:
                record = json.loads(line)
            except ValueError:
                break
            self.items[record["booking_id"]] = record
            good += len(line)
        if good < len(data):
            with open(self.path, "r+b") as f:
                f.truncate(good)
                os.fsync(f.fileno())

    def add(self, record: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if record["booking_id"] in self.items:
                raise Conflict(f"booking {record['booking_id']} exists")
            self.write(json.dumps(record, separators=(",", ":")).encode() + b"\n")
            self.items[record["booking_id"]] = record
        return record

    def write(self, line: bytes) -> None:
        os.write(self.fd, line)
        os.fsync(self.fd)

    def all(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.items.values())
