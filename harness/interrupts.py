"""Interruption is a state, not an exception that library code can swallow.

While a certification runs, SIGINT and SIGTERM set a flag (a second SIGINT raises KeyboardInterrupt as
usual, for a user who really wants out). Checks look at the flag between examples, the plugin between
requirements: the requirement in progress and every one not reached are ``not_evaluated``, the verdict
is INCOMPLETE with ``selection.interrupted`` set, the exit code is 130, and the run cannot be signed.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any


class RunInterrupted(BaseException):
    """Raised between examples once the run was interrupted (a BaseException: no check catches it)."""


class InterruptFlag:
    """Set by SIGINT/SIGTERM while installed; ``check()`` raises RunInterrupted once set."""

    def __init__(self) -> None:
        self.signal: str | None = None
        self._previous: dict[int, Any] = {}
        self.on_set: Callable[[], None] = lambda: None

    @property
    def is_set(self) -> bool:
        return self.signal is not None

    def check(self) -> None:
        if self.signal is not None:
            raise RunInterrupted(f"interrupted by {self.signal}")

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # signals reach the main thread only; an embedding program handles its own
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)

    def uninstall(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signal is not None and signum == signal.SIGINT:
            raise KeyboardInterrupt  # the second Ctrl-C
        self.signal = signal.Signals(signum).name
        self.on_set()
