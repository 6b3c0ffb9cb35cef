"""Counters every worker of a server shares: rate limits, single-use tokens, open sessions.

All on the `limits` library (fixed windows). The storage is named by the setting
``security.rate_limit_storage``: empty for a SQLite file beside the outbox (``instance/``),
``redis://...`` for several servers, ``memory://`` for one process (tests only).
"""
from __future__ import annotations

import ipaddress
import math
import time
from pathlib import Path
from typing import Callable

from limits import RateLimitItemPerSecond
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from comobi.ratelimit_store import SQLiteStorage

DEFAULT_FILE = "limites.sqlite3"


def client_key(address: str | None) -> str:
    """Who a limit counts: an IPv4 address, or the /64 network of an IPv6 one (one household)."""
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return (address or "?")[:64]
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def open_storage(uri: str, default_folder: Path, clock: Callable[[], float] = time.time) -> Storage:
    if not uri:
        return SQLiteStorage(f"sqlite:///{default_folder / DEFAULT_FILE}", clock=clock)
    if uri.startswith("sqlite://"):
        return SQLiteStorage(uri, clock=clock)
    return storage_from_string(uri)


class SharedCounters:
    """One storage opened on first use (a frozen site or a CLI command never creates it)."""

    def __init__(self, uri: str, default_folder: Path, clock: Callable[[], float] = time.time):
        self.uri, self.default_folder, self.clock = uri, default_folder, clock
        self._storage: Storage | None = None
        self._limiter: FixedWindowRateLimiter | None = None

    @property
    def storage(self) -> Storage:
        if self._storage is None:
            self._storage = open_storage(self.uri, self.default_folder, self.clock)
            self._limiter = FixedWindowRateLimiter(self._storage)
        return self._storage

    @property
    def limiter(self) -> FixedWindowRateLimiter:
        self.storage  # noqa: B018  (opens it)
        return self._limiter

    # -- rate limits -----------------------------------------------------------
    def hit(self, name: str, amount: int, seconds: int, who: str) -> int:
        """Count one event; 0 if it was within the limit, else seconds to wait. amount <= 0: no limit."""
        if amount <= 0:
            return 0
        item = _item(name, amount, seconds)
        if self.limiter.hit(item, who):
            return 0
        return self._wait(item, who)

    def wait(self, name: str, amount: int, seconds: int, who: str) -> int:
        """Seconds to wait before the limit lets one more through (0: now), without counting."""
        if amount <= 0:
            return 0
        item = _item(name, amount, seconds)
        return 0 if self.limiter.test(item, who) else self._wait(item, who)

    def give_back(self, name: str, amount: int, seconds: int, who: str) -> None:
        """Uncount one event that turned out to be fine (a right password)."""
        key = _item(name, amount, seconds).key_for(who)
        if self.storage.get(key) > 0:
            self.storage.incr(key, seconds, amount=-1)

    def forget(self, name: str, amount: int, seconds: int, who: str) -> None:
        self.storage.clear(_item(name, amount, seconds).key_for(who))

    def _wait(self, item, who: str) -> int:
        reset = self.limiter.get_window_stats(item, who).reset_time
        return max(1, math.ceil(reset - self.clock()))

    # -- single-use tokens and open sessions -------------------------------------
    def first_use(self, token: str, lifetime_s: int) -> bool:
        """True the first time this token is used within its lifetime, False after."""
        return self.storage.incr(f"used/{token}", lifetime_s) == 1

    def used(self, token: str) -> bool:
        return self.storage.get(f"used/{token}") > 0

    def unuse(self, token: str) -> None:
        self.storage.clear(f"used/{token}")

    def mark(self, token: str, lifetime_s: int) -> None:
        self.storage.incr(f"mark/{token}", lifetime_s)

    def marked(self, token: str) -> bool:
        return self.storage.get(f"mark/{token}") > 0

    def open_session(self, session_id: str, lifetime_s: int) -> None:
        self.storage.incr(f"session/{session_id}", lifetime_s)

    def session_open(self, session_id: str) -> bool:
        return self.storage.get(f"session/{session_id}") > 0

    def close_session(self, session_id: str) -> None:
        self.storage.clear(f"session/{session_id}")


def _item(name: str, amount: int, seconds: int):
    return RateLimitItemPerSecond(amount, multiples=seconds, namespace=name)
