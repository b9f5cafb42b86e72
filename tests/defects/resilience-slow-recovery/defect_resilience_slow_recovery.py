"""Seeded defect for NAT-RES-002: at every start the product re-verifies the whole journal record by
record (simulated here as 200 ms per record, the cost of a per-record remote integrity lookup), so the
time to serve again grows with the book and passes the RTO once a few dozen loans are booked."""

from __future__ import annotations

import time

from rural_microloan.api import CreditApp
from rural_microloan.bookings import BookingStore


class SlowRecoveryStore(BookingStore):
    verify_seconds_per_record = 0.2

    def recover(self) -> None:
        super().recover()
        for _ in self.items:
            time.sleep(self.verify_seconds_per_record)


class SlowRecoveryApp(CreditApp):
    store_class = SlowRecoveryStore


def create_app() -> SlowRecoveryApp:
    return SlowRecoveryApp()
