"""A small per-address rate limiter: at most N requests per fixed one-minute window."""
from __future__ import annotations

import threading
import time
from typing import Callable

WINDOW_S = 60
_MAX_TRACKED = 10_000  # addresses remembered before old windows are swept


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}  # address -> (start, count)
        self._lock = threading.Lock()

    def retry_after(self, address: str) -> int:
        """0 when the request may go on, else seconds to wait. Counts the request."""
        if self.per_minute <= 0:
            return 0
        now = self._clock()
        with self._lock:
            start, count = self._windows.get(address, (now, 0))
            if now - start >= WINDOW_S:
                start, count = now, 0
            if count >= self.per_minute:
                return max(1, int(start + WINDOW_S - now + 0.999))
            self._windows[address] = (start, count + 1)
            if len(self._windows) > _MAX_TRACKED:
                self._sweep(now)
            return 0

    def _sweep(self, now: float) -> None:
        self._windows = {a: w for a, w in self._windows.items() if now - w[0] < WINDOW_S}
        if len(self._windows) > _MAX_TRACKED:  # a flood of addresses: start afresh
            self._windows.clear()
