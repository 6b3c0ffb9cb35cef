"""The journal of rows acknowledged to people: what the app said « merci » for.

A clerk who saves a workbook she opened before the app wrote puts back her old copy, and
the rows written meanwhile are gone. Every row thanked for is noted here (one JSON line,
by its key, with its values so that it can be put back) and kept for the retention
period. ``missing`` compares it with what the sheet holds: rows neither in the sheet nor
waiting in the outbox are shown to the clerk, who puts them back or says she deleted
them on purpose (``dismiss``): never a silent re-add, she may have removed spam.

The file holds personal data: readable by the app's user only, pruned after
``legal.retention_days``.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Acknowledged:
    tab: str
    values: dict[str, str]  # by field, with "id" and "key"
    at: str  # ISO time it was acknowledged

    @property
    def key(self) -> str:
        return self.values.get("key", "")

    @property
    def id(self) -> str:
        return self.values.get("id", "")


class Journal:
    def __init__(self, path: str | Path, retention_days: int = 365, now: Callable[[], datetime] = datetime.now):
        self.path = Path(path)
        self.retention_days = retention_days
        self.now = now
        self._cache: tuple[object, list[Acknowledged]] | None = None

    def record(self, tab: str, values: dict[str, str]) -> None:
        self._append({"at": self._stamp(), "tab": tab, "values": values})

    def dismiss(self, keys: list[str]) -> None:
        """The clerk deleted these rows on purpose: stop reporting them."""
        for key in keys:
            self._append({"at": self._stamp(), "dismissed": key})

    def marker(self):
        """Changes whenever the journal does."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def entries(self) -> list[Acknowledged]:
        """Rows acknowledged within the retention period and not dismissed, oldest first."""
        if self.marker() is None:
            return []
        marker = (self.marker(), self.now().date())  # entries expire as days go by
        if self._cache is None or self._cache[0] != marker:
            self._cache = (marker, self._load())
        return self._cache[1]

    def missing(self, present: Callable[[str, list[Acknowledged]], set[str]],
                waiting: set[str]) -> list[Acknowledged]:
        """Entries neither waiting in the outbox (by key) nor in the sheet: ``present(tab,
        entries)`` gives the keys of those entries the sheet holds."""
        by_tab: dict[str, list[Acknowledged]] = {}
        for entry in self.entries():
            if entry.key not in waiting:
                by_tab.setdefault(entry.tab, []).append(entry)
        gone = []
        for tab, entries in by_tab.items():
            held = present(tab, entries)
            gone += [entry for entry in entries if entry.key not in held]
        return sorted(gone, key=lambda entry: entry.at)

    # -- plumbing --------------------------------------------------------------------
    def _stamp(self) -> str:
        return self.now().isoformat(timespec="seconds")

    def _append(self, record: dict) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked():
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, line.encode("utf-8"))
                os.fsync(descriptor)
            finally:
                os.close(descriptor)

    def _load(self) -> list[Acknowledged]:
        horizon = (self.now() - timedelta(days=self.retention_days)).isoformat(timespec="seconds")
        with self._locked():
            try:
                lines = self.path.read_text(encoding="utf-8").splitlines()
            except FileNotFoundError:
                return []
            kept, entries, dismissed, expired = [], {}, set(), False
            for line in lines:
                try:
                    record = json.loads(line)
                    if record["at"] < horizon:
                        expired = True
                        continue
                    if "dismissed" in record:
                        dismissed.add(record["dismissed"])
                    else:
                        entry = Acknowledged(record["tab"], dict(record["values"]), record["at"])
                        entries.setdefault(entry.key, entry)
                except (ValueError, KeyError, TypeError):
                    log.error("Ligne illisible dans le journal %s, laissée de côté", self.path)
                    continue
                kept.append(line)
            if expired:
                self._rewrite(kept)
        return [entry for key, entry in entries.items() if key and key not in dismissed]

    def _rewrite(self, lines: list[str]) -> None:
        """Drop what is past the retention period (the lock is held)."""
        temporary = self.path.with_name(self.path.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)

    @contextmanager
    def _locked(self):
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
