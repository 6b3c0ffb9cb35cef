"""Finding a trip or a request by ID when the board in hand does not have it.

The row may have been acknowledged a moment ago, by this worker or another one: it is
then either still in the outbox (shared by the workers of a server), or already in the
sheet but not in this worker's last read. So a miss looks in the outbox, then asks for a
read made after the miss (within the quota of ``BoardCache.after_miss``). IDs that were
just looked for in vain are remembered for a few seconds, so a robot trying IDs spends
no reads.
"""
from __future__ import annotations

import threading

from cachetools import TTLCache

from comobi import rows
from comobi.models import Board
from comobi.schema import TRIPS, Tab

MISS_MEMORY_SECONDS = 10


class RowFinder:
    def __init__(self, storage):
        self.storage = storage
        self._missed: TTLCache = TTLCache(maxsize=4096, ttl=MISS_MEMORY_SECONDS, timer=lambda: storage.clock())
        self._lock = threading.Lock()

    def find(self, tab: Tab, record_id: str, board: Board):
        """(the trip or request, the board it was found in, or the one in hand)."""
        found = _pick(tab, board, record_id)
        if found is not None:
            return found, board
        queued = self.queued(tab, record_id, board)
        if queued is not None:
            return queued, board
        with self._lock:
            if (tab.title, record_id) in self._missed:
                return None, board
        fresh = self.storage.cache.after_miss()
        if fresh is not None:
            board = fresh
            found = _pick(tab, board, record_id)
        if found is None:
            with self._lock:
                self._missed[(tab.title, record_id)] = True
        return found, board

    def queued(self, tab: Tab, record_id: str, board: Board):
        """The row as it waits in the outbox (row 0: not in the sheet yet), or None."""
        entry = next((e for e in self.storage.outbox.entries() if e.tab == tab.title and e.id == record_id
                      and getattr(e, "kind", "append") == "append"), None)  # not a write-back
        if entry is None:
            return None
        try:
            if tab is TRIPS:
                return rows.trip_from_record(dict(entry.values), 0, board.places,
                                             self.storage.settings["moderation.enabled"])
            return rows.request_from_record(dict(entry.values), 0, board.places)
        except rows.RowError:
            return None


def _pick(tab: Tab, board: Board, record_id: str):
    return board.trip(record_id) if tab is TRIPS else board.request(record_id)
