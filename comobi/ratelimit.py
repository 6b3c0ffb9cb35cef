"""A small per-address rate limiter: at most N requests per fixed window, in memory.

One limiter per use (API calls, form posts, contact reveals); each process keeps its own
counts, which is enough against a scraper or a bot hammering one server.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

_MAX_TRACKED = 10_000  # addresses remembered before old windows are swept


class RateLimiter:
    def __init__(self, limit: int, window_s: float = 60, clock: Callable[[], float] = time.monotonic):
        self.limit = limit  # requests per window; 0 or less: no limit
        self.window_s = window_s
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}  # address -> (start, count)
        self._lock = threading.Lock()

    def retry_after(self, address: str) -> int:
        """0 when the request may go on, else seconds to wait. Counts the request."""
        if self.limit <= 0:
            return 0
        now = self._clock()
        with self._lock:
            start, count = self._windows.get(address, (now, 0))
            if now - start >= self.window_s:
                start, count = now, 0
            if count >= self.limit:
                return max(1, int(start + self.window_s - now + 0.999))
            self._windows[address] = (start, count + 1)
            if len(self._windows) > _MAX_TRACKED:
                self._sweep(now)
            return 0

    def _sweep(self, now: float) -> None:
        self._windows = {a: w for a, w in self._windows.items() if now - w[0] < self.window_s}
        if len(self._windows) > _MAX_TRACKED:  # a flood of addresses: start afresh
            self._windows.clear()
