"""A `limits` storage in one SQLite file, so every worker of a server sees the same counts.

``sqlite:////absolute/path.sqlite3`` or ``sqlite:///relative/path.sqlite3`` (as SQLAlchemy). Fixed windows only:
a counter and the moment it expires, per key, changed by one SQL statement (atomic across
processes). Expired counters are deleted now and then; nothing is ever cleared because
many keys exist, so a flood of addresses cannot reset anyone's count.
"""
from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable

from limits.storage import Storage

SCHEMA = "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expiry REAL NOT NULL)"
INCR = """INSERT INTO counters (key, value, expiry) VALUES (:key, :amount, :new_expiry)
ON CONFLICT (key) DO UPDATE SET
  value = CASE WHEN counters.expiry <= :now THEN :amount ELSE counters.value + :amount END,
  expiry = CASE WHEN counters.expiry <= :now THEN :new_expiry ELSE counters.expiry END
RETURNING value"""
SWEEP_ONE_IN = 500  # delete expired rows on about one write in this many


class SQLiteStorage(Storage):
    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 clock: Callable[[], float] = time.time, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        location = (uri or "sqlite:///limits.sqlite3").split("://", 1)[1]
        self.path = Path(location[1:] if location.startswith("/") else location)  # sqlite:////abs, sqlite:///rel
        self.clock = clock
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch(mode=0o600, exist_ok=True)  # addresses and session ids: the app's user only
        self._connection().execute(SCHEMA)

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = self.clock()
        db = self._connection()
        (value,) = db.execute(INCR, {"key": key, "amount": amount, "now": now, "new_expiry": now + expiry}).fetchone()
        if random.randrange(SWEEP_ONE_IN) == 0:
            db.execute("DELETE FROM counters WHERE expiry <= ?", (now,))
        return int(value)

    def get(self, key: str) -> int:
        row = self._live(key)
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._live(key)
        return float(row[1]) if row else self.clock()

    def check(self) -> bool:
        self._connection().execute("SELECT 1").fetchone()
        return True

    def reset(self) -> int | None:
        return self._connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))

    def _live(self, key: str):
        return self._connection().execute("SELECT value, expiry FROM counters WHERE key = ? AND expiry > ?",
                                          (key, self.clock())).fetchone()

    def _connection(self) -> sqlite3.Connection:
        """One connection per thread and process (a forked worker opens its own)."""
        db = getattr(self._local, "db", None)
        if db is None or self._local.pid != os.getpid():
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)  # autocommit statements
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db, self._local.pid = db, os.getpid()
        return db
