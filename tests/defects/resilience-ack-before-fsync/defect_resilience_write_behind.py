"""Seeded defect for NAT-RES-001: a write-behind buffer. ``add`` acknowledges as soon as the booking is
in a process buffer; a background thread writes and fsyncs the buffer every 500 ms. A kill -9 between
the acknowledgement and the next flush loses acknowledged bookings (the classic group-commit bug)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from rural_microloan.api import CreditApp
from rural_microloan.bookings import BookingStore


class WriteBehindStore(BookingStore):
    flush_every_s = 0.5

    def __init__(self, folder: str | Path) -> None:
        self.pending: list[bytes] = []
        super().__init__(folder)
        threading.Thread(target=self.flusher, daemon=True).start()

    def write(self, line: bytes) -> None:  # under self.lock: acknowledged before it reaches the file
        self.pending.append(line)

    def flusher(self) -> None:
        while True:
            time.sleep(self.flush_every_s)
            with self.lock:
                lines, self.pending = self.pending, []
            if lines:
                os.write(self.fd, b"".join(lines))
                os.fsync(self.fd)


class WriteBehindApp(CreditApp):
    store_class = WriteBehindStore


def create_app() -> WriteBehindApp:
    return WriteBehindApp()
