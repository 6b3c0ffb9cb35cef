"""The spreadsheet as the app's database: ``Storage``, the façade the app calls.

Reads are cached: a local workbook is read again only when the file changes; a remote
sheet at most once per cache period, and right after one of our own writes. When a read
fails, the last good Board is served with the reason, so pages keep working.

Writes (new rows through the outbox, write-backs by ID) are ``storage/writer.py``'s job.
"""
from __future__ import annotations

import gc
import logging
import math
import tempfile
import time
from contextlib import contextmanager
from datetime import date

from comobi import notify, rows, solidarity
from comobi.models import Board, RowProblem
from comobi.places import Places
from comobi.schema import PLACES, REQUESTS, TABS, TRIPS, HeaderMap, Tab, find_tab_title, is_blank
from comobi.storage.board_cache import BoardCache, Grids
from comobi.storage.journal import Acknowledged
from comobi.storage.lookup import RowFinder
from comobi.storage.outbox import Outbox
from comobi.storage.port import Spreadsheet, StorageError
from comobi.storage.safe_text import from_sheet
from comobi.storage.snapshot import Snapshot
from comobi.storage.writer import SheetWriter, Submission, WriteConflict  # noqa: F401 - re-exported

log = logging.getLogger(__name__)


DAY_KEY = "_day"  # in a read's Grids, next to the tabs (no tab has this title)

# From this many trips, a board is hundreds of thousands of long-lived objects that the
# garbage collector would otherwise walk through again and again while pages are served.
LARGE_BOARD = 1000


def settle() -> None:
    """Collect the previous board's garbage, then leave what is alive out of later
    collections (CPython's gc.freeze: frozen objects are still freed when unused)."""
    gc.collect()
    gc.freeze()


class Storage:
    def __init__(self, spreadsheet: Spreadsheet, settings: dict, outbox: Outbox | None = None,
                 clock=time.monotonic, snapshot: Snapshot | None = None):
        self.spreadsheet = spreadsheet
        self.settings = settings
        # Without a folder of its own (a script, a test), the queue lives in a temporary one.
        self.outbox = outbox or Outbox(tempfile.mkdtemp(prefix="comobi-outbox-"))
        self.clock = clock
        self.snapshot = snapshot
        self.writer = SheetWriter(lambda: self.spreadsheet, settings, self.outbox, lambda: self.clock(),
                                  written=self.invalidate)
        self._lock = self.writer.lock  # the write lock: readers never wait on it
        self._headers: dict[str, HeaderMap] = {}
        self._titles: dict[str, str] = {}  # our tab title -> the sheet's own spelling
        self._missing_ids: list[tuple[Tab, list[tuple[int, str]]]] = []
        self._held: Board | None = None
        self.today = date.today  # for trips past their grace period (tests set another day)
        self._built_for: date | None = None  # the day the board in hand was built for
        self.cache = BoardCache(
            self._fetch, self._build, lambda: self.spreadsheet.version(), settings["sheet.cache_seconds"],
            wait_seconds=settings.get("sheet.read_wait_seconds", math.inf), clock=lambda: self.clock(),
            after_read=self._after_read, saved=snapshot.load if snapshot else None,
            misses_per_minute=settings.get("sheet.miss_refreshes_per_minute", 12),
        )
        self.finder = RowFinder(self)

    # -- reading (comobi/storage/board_cache.py keeps and refreshes the board) -------
    def board(self) -> Board:
        if self._held is not None:
            return self._held
        if self._built_for != self.today():
            self.invalidate()  # trips past their grace period are hidden from the new day on
        return self.cache.get()

    def read_now(self) -> Board:
        """A read of the sheet made now (flask sheet check); raise StorageError if it fails."""
        return self.cache.read_now()

    @contextmanager
    def holding(self):
        """Serve the board read now, and only it, inside this block: a frozen site is one
        snapshot, even when writing it outlasts the cache period. Read now: a site frozen
        while the sheet fails fails too, rather than publishing an older read."""
        board = self.read_now()
        self._held = board
        try:
            yield board
        finally:
            self._held = None

    def invalidate(self) -> None:
        self.cache.invalidate()

    def _fetch(self) -> Grids:
        """The raw cells of every tab the app knows: the only network part of a read."""
        titles = self.spreadsheet.tab_titles()
        present = {tab.title: find_tab_title(titles, tab) for tab in TABS}
        wanted = [t for t in present.values() if t]
        grids = self.spreadsheet.read_tabs(wanted) if wanted else {}
        # The day is part of the read: a new day builds a new board even if no cell changed.
        return Grids({ours: theirs for ours, theirs in present.items() if theirs},
                     {**{ours: grids.get(theirs, []) for ours, theirs in present.items() if theirs},
                      DAY_KEY: [[self.today().isoformat()]]})

    def _read(self) -> Board:
        return self._build(self._fetch(), True)

    def _build(self, grids: Grids, live: bool) -> Board:
        """A Board from raw cells (no I/O): from the sheet (``live``) or from the disk."""
        self._titles = dict(grids.titles)
        self._missing_ids = []
        board = Board(read_at=grids.read_at)
        for tab in TABS:
            if tab.title not in grids.titles and not tab.optional:
                board.problems.append(RowProblem(tab.title, 0, "onglet absent (flask --app app sheet init le crée)."))
        grid = {tab.title: grids.rows.get(tab.title, []) for tab in TABS}
        self._headers = {t.title: HeaderMap(t, grid[t.title][0] if grid[t.title] else []) for t in TABS}
        board.places = self._places(grid[PLACES.title], board)
        moderation = self.settings["moderation.enabled"]
        board.trips = self._parse(TRIPS, grid[TRIPS.title], board, "T",
                                  lambda r, n: rows.trip_from_record(r, n, board.places, moderation))
        board.requests = self._parse(REQUESTS, grid[REQUESTS.title], board, "D",
                                     lambda r, n: rows.request_from_record(r, n, board.places))
        solidarity.read_tabs(board, grid, self._parse)
        self._built_for = self.today()
        notify.mark_expired(board.trips, self._built_for, self.settings["freshness.grace_days"])
        if len(board.trips) >= LARGE_BOARD:
            settle()
        return board

    def _after_read(self, grids: Grids, changed: bool) -> bool:
        """In the refresh thread, once the board is served: write the IDs of rows typed
        without one, keep the read on disk. Say whether the sheet was written."""
        wrote = False
        for tab, missing in self._missing_ids if changed else []:
            wrote = self._write_ids(tab, missing) or wrote
        if changed and self.snapshot is not None:
            self.snapshot.save(grids)
        return wrote

    def _places(self, grid: list[list[str]], board: Board) -> Places:
        extra = []
        for number, record in self._records(PLACES, grid):
            try:
                extra.append(rows.place_from_record(record))
            except rows.RowError as error:
                board.problems.append(RowProblem(PLACES.title, number, str(error)))
        return Places.load(
            departements=self.settings["scope.departements"],
            epcis=self.settings["scope.epci"],
            extra=extra,
        )

    def _parse(self, tab: Tab, grid, board: Board, prefix: str, build) -> list:
        parsed, missing_ids = [], []
        for number, record in self._records(tab, grid):
            if not record.get("id"):
                record["id"] = rows.derived_id(prefix, record, number)
                missing_ids.append((number, record["id"]))
            try:
                parsed.append(build(record, number))
            except rows.RowError as error:
                board.problems.append(RowProblem(tab.title, number, str(error)))
        if missing_ids and "id" in self._headers[tab.title].columns:
            self._missing_ids.append((tab, missing_ids))
        return parsed

    def _records(self, tab: Tab, grid: list[list[str]]):
        header = self._headers[tab.title]
        for number, row in enumerate(grid[1:], start=2):
            if not is_blank(row):
                yield number, {field: from_sheet(value) for field, value in header.record(row).items()}

    def _write_ids(self, tab: Tab, missing: list[tuple[int, str]]) -> bool:
        """Give rows typed without an ID theirs, in a single write; reading goes on if it fails."""
        column = self._headers[tab.title].columns["id"] + 1
        try:
            with self._lock:
                self.spreadsheet.update_cells(self._titles[tab.title], [(n, column, i) for n, i in missing])
        except StorageError as error:
            log.warning("Impossible d'écrire les identifiants manquants : %s", error)
            return False
        return True

    # -- writing (comobi/storage/writer.py) ------------------------------------
    @property
    def delivery_error(self) -> str:
        return self.writer.delivery_error

    def add_row(self, tab: Tab, values: dict[str, str], prefix: str) -> str:
        """Append one row (now, or later if the sheet fails); return its new ID."""
        return self.submit(tab, values, prefix).id

    def submit(self, tab: Tab, values: dict[str, str], prefix: str) -> Submission:
        return self.writer.submit(tab, values, prefix)

    def deliver(self, force: bool = False) -> int:
        return self.writer.deliver(force)

    def deliver_if_due(self) -> None:
        self.writer.deliver_if_due()

    def update_by_id(self, tab: Tab, record_id: str, values: dict[str, str], row_hint: int | None = None,
                     append: dict[str, str] | None = None, expected: dict[str, str] | None = None) -> int | None:
        return self.writer.update_by_id(tab, record_id, values, row_hint, append, expected)

    def queue_update(self, tab: Tab, record_id: str, values: dict[str, str], append: dict[str, str] | None = None,
                     expected: dict[str, str] | None = None) -> Submission:
        return self.writer.queue_update(tab, record_id, values, append, expected)

    def init_tabs(self) -> list[str]:
        return self.writer.init_tabs()

    def missing_rows(self) -> list[Acknowledged]:
        """Rows acknowledged to people that are no longer in the sheet (storage/journal.py)."""
        return self.writer.lost_rows.missing(self.board())

    def restore_rows(self, keys: list[str]) -> int:
        return self.writer.lost_rows.restore(keys)

    def dismiss_rows(self, keys: list[str]) -> None:
        self.writer.lost_rows.dismiss(keys)

    def missing_headers(self) -> dict[str, list[str]]:
        self.board()
        return {
            title: [c.header for c in header.missing]
            for title, header in self._headers.items()
            if header.missing and title in self._titles
        }
