"""The last good board, refreshed by one thread at a time and never waited for by the others.

``BoardCache.get()`` answers at once with the board in hand while a refresh runs in a
thread of its own. The request that started the refresh waits for it at most
``wait_seconds``; only a process with no board at all (nothing read yet, nothing saved on
disk) waits for the sheet. A refresh that reads
the same cells as the last one rebuilds nothing: the raw grids are compared by digest. A
failed refresh keeps the last board and says why (``Board.stale_reason``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from comobi.models import Board
from comobi.storage.port import StorageError

log = logging.getLogger(__name__)

SLOW = "Le tableur met du temps à répondre : liste de la lecture précédente."
FROM_DISK = "Le tableur n'a pas encore été relu depuis le démarrage : dernière lecture enregistrée."
# How long a person who follows a link to a row just acknowledged elsewhere may wait for
# the read that finds it: longer than a page's budget, as the alternative is a false 404.
MISS_WAIT_SECONDS = 5.0
# The first read of a process with nothing saved: past this, the page says the sheet does not
# answer (the forms still open) rather than outlast the proxy's or gunicorn's own timeout.
FIRST_READ_WAIT_SECONDS = 20.0


@dataclass(frozen=True)
class Grids:
    """The raw cells of one read: our tab title -> the sheet's spelling, and -> its rows."""

    titles: dict[str, str]
    rows: dict[str, list[list[str]]]
    read_at: datetime = field(default_factory=datetime.now, compare=False)

    def digest(self) -> str:
        text = json.dumps([sorted(self.titles.items()), sorted(self.rows.items())], ensure_ascii=False)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@dataclass
class _Flight:
    """One refresh under way."""

    started: float
    seen: int  # invalidations counted when it started: later writes may be missing from it
    done: threading.Event = field(default_factory=threading.Event)
    error: StorageError | None = None


class BoardCache:
    def __init__(self, fetch: Callable[[], Grids], build: Callable[[Grids, bool], Board],
                 version: Callable[[], str | None], cache_seconds: float, wait_seconds: float = math.inf,
                 clock=time.monotonic, after_read: Callable[[Grids, bool], bool] | None = None,
                 saved: Callable[[], Grids | None] | None = None, misses_per_minute: float = 12):
        self._fetch, self._build, self._version = fetch, build, version
        self._after_read = after_read or (lambda grids, changed: False)
        self._saved = saved or (lambda: None)
        self.cache_seconds, self.wait_seconds, self.clock = cache_seconds, wait_seconds, clock
        self._lock = threading.Lock()  # guards the fields below; never held across I/O
        self._build_lock = threading.Lock()  # one board built at a time
        self._board: Board | None = None
        self._live = False  # the board comes from the sheet, not from disk
        self._digest = ""
        self._key: str | None = None
        self._read_clock = float("-inf")
        self._invalidations = 0
        self._seen = -1  # invalidations the board in hand has seen
        self._flight: _Flight | None = None
        self._failing = False
        self._last_error: StorageError | None = None
        self._misses = _Bucket(misses_per_minute, clock)

    # -- what readers call -------------------------------------------------------
    def get(self, wait: float | None = None) -> Board:
        """The board: at once if a refresh is under way elsewhere; raise StorageError only
        when nothing was ever read nor saved."""
        board = self._board or self._from_disk()
        flight, mine = self._ensure_refresh()
        board = self._board or board  # a refresh may have ended meanwhile
        if flight is None and board is not None:
            return board
        if board is None:
            if flight is None or self._last_error is not None:
                # The first read failed: the next ones do not wait again, nor retry before their time.
                raise self._last_error or StorageError("Le tableur n'a pas pu être lu.")
            if not flight.done.wait(FIRST_READ_WAIT_SECONDS):
                raise StorageError("Le tableur ne répond pas encore : réessayez dans un instant.")
            if self._board is None:
                raise flight.error or StorageError("Le tableur n'a pas pu être lu.")
            return self._board
        budget = self.wait_seconds if wait is None else wait
        budget = None if math.isinf(budget) else budget  # Event.wait takes None for "no limit"
        if mine and not flight.done.wait(budget):
            with self._lock:
                if self._flight is flight and not board.stale_reason:
                    board.stale_reason = SLOW
        return self._board or board

    def preload(self) -> None:
        """Build the board saved on disk now (at start-up, before the first request, which
        then only waits its budget for the sheet). No thread is started here: a server that
        forks its workers after loading the app would lose it."""
        self._from_disk()

    def read_now(self) -> Board:
        """A read of the sheet made now, waited for; raise StorageError if it fails."""
        self.invalidate()
        flight, _ = self._ensure_refresh()
        if flight is not None:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
        return self._board

    def invalidate(self) -> None:
        with self._lock:
            self._invalidations += 1

    def after_miss(self) -> Board | None:
        """A board read after this moment (waited for a little), or None when refreshes
        for missing IDs are over their quota: a miss may be a row just written elsewhere."""
        if not self._misses.take():
            return None
        self.invalidate()
        wanted = self._invalidations
        for _ in range(2):  # a refresh already running may have started before the miss
            flight, _ = self._ensure_refresh()
            if flight is None:
                break
            if not flight.done.wait(MISS_WAIT_SECONDS):
                return None
            if flight.seen >= wanted:
                break
        return self._board

    def saved_board(self) -> Board | None:
        """The board kept on disk, read afresh from it (for flask sheet check)."""
        grids = self._saved()
        if grids is None:
            return None
        with self._build_lock:
            return self._build(grids, False)

    # -- refreshing --------------------------------------------------------------
    def _ensure_refresh(self) -> tuple[_Flight | None, bool]:
        """The refresh under way, or a new one if the board is out of date; and whether
        this call started it."""
        key = self._version()
        with self._lock:
            if self._flight is not None:
                return self._flight, False
            # After a failure too, the sheet is asked again only once the board is out of date.
            if (self._live or self._failing) and self._is_fresh(key):
                return None, False
            flight = self._flight = _Flight(self.clock(), self._invalidations)
        threading.Thread(target=self._run, args=(flight, key), name="comobi-board-refresh", daemon=True).start()
        return flight, True

    def _is_fresh(self, key) -> bool:
        if self._seen != self._invalidations:
            return False
        if key is not None:
            return key == self._key
        return self.clock() - self._read_clock < self.cache_seconds

    def _run(self, flight: _Flight, key) -> None:
        try:
            grids = self._fetch()
            digest = grids.digest()
            changed = digest != self._digest or not self._live
            board = self._build_locked(grids) if changed else None
        except Exception as error:  # noqa: BLE001 - whatever fails, the last board stays served
            self._failed(flight, error)
            return
        with self._lock:
            if board is not None:
                self._board, self._digest = board, digest
            elif self._board is not None:
                self._board.stale_reason = ""
                self._board.read_at = grids.read_at
            self._live, self._failing, self._last_error, self._key = True, False, None, key
            self._read_clock, self._seen, self._flight = flight.started, flight.seen, None
        try:  # the new board is served already; only the request that waits sees this through
            if self._after_read(grids, changed) and key is not None:
                with self._lock:  # our own write (IDs of rows typed without one) is no change
                    self._key = self._version()
        except Exception:  # noqa: BLE001 - saving the read is a bonus
            log.exception("Après la lecture du tableur")
        flight.done.set()

    def _build_locked(self, grids: Grids) -> Board:
        with self._build_lock:
            return self._build(grids, True)

    def _failed(self, flight: _Flight, error: Exception) -> None:
        if not isinstance(error, StorageError):
            log.exception("Lecture du tableur : erreur inattendue")
            error = StorageError("Le tableur n'a pas pu être lu (erreur inattendue, voir le journal).")
        else:
            log.warning("Lecture du tableur impossible, anciennes données servies : %s", error)
        with self._lock:
            flight.error = self._last_error = error
            self._failing = True
            self._read_clock, self._seen, self._flight = flight.started, flight.seen, None
            if self._board is not None:
                self._board.stale_reason = str(error)
        flight.done.set()

    def _from_disk(self) -> Board | None:
        """The board saved by an earlier process, while the first read is under way."""
        with self._build_lock:
            if self._board is not None:
                return self._board
            try:
                grids = self._saved()
                board = self._build(grids, False) if grids is not None else None
            except Exception:  # noqa: BLE001 - a damaged file must not stop the app
                log.exception("Dernière lecture enregistrée illisible")
                board = None
            if board is None:
                return None
            board.stale_reason = FROM_DISK
            with self._lock:
                if self._board is None:
                    self._board, self._live = board, False
            return self._board


class _Bucket:
    """At most ``per_minute`` takes per minute, refilled continuously."""

    def __init__(self, per_minute: float, clock):
        self.rate, self.clock = per_minute / 60, clock
        self.capacity = max(1.0, per_minute / 6)  # a burst of ten seconds' worth
        self.tokens, self.at = self.capacity, clock()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = self.clock()
            self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens < 1 or self.rate <= 0:
                return False
            self.tokens -= 1
            return True
