"""The spreadsheet as the app's database: read it into a Board, append and update rows.

Reads are cached: a local workbook is read again only when the file changes; a remote
sheet at most once per cache period, and right after one of our own writes. When a read
fails, the last good Board is served with the reason, so pages keep working.

New rows go through the outbox (``storage/outbox.py``): stored on disk first, then
delivered, oldest first, exactly once (their key is looked up in the sheet before
writing). When the sheet fails, delivery is tried again at most every
``outbox.retry_seconds``, on later submissions, on later requests, or with
``flask sheet flush``. Every value written is made inert (``safe_text.for_sheet``).
"""
from __future__ import annotations

import gc
import logging
import math
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from comobi import rows
from comobi.models import Board, RowProblem
from comobi.places import Places
from comobi.schema import PLACES, REQUESTS, TABS, TRIPS, HeaderMap, Tab, find_tab_title, is_blank
from comobi.storage.board_cache import BoardCache, Grids
from comobi.storage.lookup import RowFinder
from comobi.storage.outbox import Entry, Outbox, new_key
from comobi.storage.port import Spreadsheet, StorageError
from comobi.storage.safe_text import for_sheet, from_sheet
from comobi.storage.snapshot import Snapshot

log = logging.getLogger(__name__)
_TABS_BY_TITLE = {tab.title: tab for tab in TABS}


@dataclass(frozen=True)
class Submission:
    id: str
    delivered: bool  # False: safe in the outbox, will reach the sheet later


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
        self._next_delivery = float("-inf")
        self.delivery_error = ""  # why the last delivery failed, for flask sheet check
        self._lock = threading.Lock()  # the write lock: readers never wait on it
        self._headers: dict[str, HeaderMap] = {}
        self._titles: dict[str, str] = {}  # our tab title -> the sheet's own spelling
        self._missing_ids: list[tuple[Tab, list[tuple[int, str]]]] = []
        self._held: Board | None = None
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
        return Grids({ours: theirs for ours, theirs in present.items() if theirs},
                     {ours: grids.get(theirs, []) for ours, theirs in present.items() if theirs})

    def _read(self) -> Board:
        return self._build(self._fetch(), True)

    def _build(self, grids: Grids, live: bool) -> Board:
        """A Board from raw cells (no I/O): from the sheet (``live``) or from the disk."""
        self._titles = dict(grids.titles)
        self._missing_ids = []
        board = Board(read_at=grids.read_at)
        for tab in TABS:
            if tab.title not in grids.titles:
                board.problems.append(RowProblem(tab.title, 0, "onglet absent (flask --app app sheet init le crée)."))
        grid = {tab.title: grids.rows.get(tab.title, []) for tab in TABS}
        self._headers = {t.title: HeaderMap(t, grid[t.title][0] if grid[t.title] else []) for t in TABS}
        board.places = self._places(grid[PLACES.title], board)
        moderation = self.settings["moderation.enabled"]
        board.trips = self._parse(TRIPS, grid[TRIPS.title], board, "T",
                                  lambda r, n: rows.trip_from_record(r, n, board.places, moderation))
        board.requests = self._parse(REQUESTS, grid[REQUESTS.title], board, "D",
                                     lambda r, n: rows.request_from_record(r, n, board.places))
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

    # -- writing ---------------------------------------------------------------
    def add_row(self, tab: Tab, values: dict[str, str], prefix: str) -> str:
        """Append one row (now, or later if the sheet fails); return its new ID."""
        return self.submit(tab, values, prefix).id

    def submit(self, tab: Tab, values: dict[str, str], prefix: str) -> Submission:
        """Keep the row safe on disk, then try to deliver it; say whether it reached the sheet."""
        values = {"id": rows.new_id(prefix), **values, "key": new_key()}
        try:
            self.outbox.put(tab.title, values)
        except OSError as error:
            log.error("File d'attente impossible à écrire (%s) : %s", self.outbox.folder, error)
            raise StorageError("Votre envoi n'a pas pu être enregistré. Réessayez dans quelques minutes "
                               "ou appelez le service.") from error
        self.deliver()
        return Submission(values["id"], delivered=not self.outbox.contains(values["key"]))

    def deliver(self, force: bool = False) -> int:
        """Write what waits in the outbox, oldest first; return how many rows reached the sheet.

        Without ``force``, nothing is tried until ``outbox.retry_seconds`` after a failure.
        """
        with self.outbox.delivering():
            if not force and self.clock() < self._next_delivery:
                return 0
            delivered = 0
            try:
                for tab, entries in _by_tab(self.outbox.entries()).items():
                    self._append_once(tab, entries)
                    for entry in entries:
                        self.outbox.done(entry)
                    delivered += len(entries)
            except Exception as error:  # noqa: BLE001 - whatever fails, the rows stay queued
                wait = max(self.settings["outbox.retry_seconds"], self.spreadsheet.settle_seconds)
                self._next_delivery = self.clock() + wait
                self.delivery_error = str(error) if isinstance(error, StorageError) else repr(error)
                log.warning("Tableur inaccessible, envois gardés en attente : %s", self.delivery_error,
                            exc_info=not isinstance(error, StorageError))
            else:
                self._next_delivery = float("-inf")
                self.delivery_error = ""
        if delivered:
            self.invalidate()
        return delivered

    def deliver_if_due(self) -> None:
        """Cheap when nothing waits: for a hook run on every request."""
        if self.clock() >= self._next_delivery and self.outbox.entries():
            self.deliver()

    def _append_once(self, tab: Tab, entries: list[Entry]) -> None:
        """Append these rows, except those whose key the sheet already holds."""
        with self._lock:
            fields = [f for entry in entries for f, v in entry.values.items() if v]
            header, grid = self._writable_header(tab, fields)
            present = _column_values(grid, header.columns.get("key"))
            fresh = [entry.values for entry in entries if entry.key not in present]
            if fresh:
                cells = [header.row({f: for_sheet(v) for f, v in values.items()}) for values in fresh]
                self.spreadsheet.append_rows(self._titles[tab.title], cells)

    def update_row(self, tab: Tab, row: int, values: dict[str, str]) -> None:
        """Set some cells of one row (the others stay as the clerk left them).

        Not queued when the sheet fails: row numbers may change meanwhile, so the caller
        gets the StorageError and tells the person.
        """
        with self._lock:
            header, _ = self._writable_header(tab, list(values))
            cells = [(row, header.columns[f] + 1, for_sheet(v)) for f, v in values.items()]
            self.spreadsheet.update_cells(self._titles[tab.title], cells)
        self.invalidate()

    def update_by_id(self, tab: Tab, record_id: str, values: dict[str, str], row_hint: int | None = None,
                     append: dict[str, str] | None = None) -> int | None:
        """Set some cells of the row holding ``record_id``; return that row, or None if gone.

        The row shown to the user (``row_hint``) is checked first: if the clerk has since
        sorted or inserted rows in the sheet, the row is found again by its ID. ``append``
        adds text on a new line after what the cell already holds (notes).
        """
        append = append or {}
        with self._lock:
            header, grid = self._writable_header(tab, list(values) + list(append) + ["id"])
            row = _row_of(grid, header.columns["id"], record_id, row_hint)
            if row is None:
                return None
            current = header.record(grid[row - 1])
            merged = dict(values)
            for field, text in append.items():
                before = from_sheet(current.get(field, ""))
                merged[field] = f"{before}\n{text}" if before else text
            cells = [(row, header.columns[f] + 1, for_sheet(v)) for f, v in merged.items()]
            self.spreadsheet.update_cells(self._titles[tab.title], cells)
        self.invalidate()
        return row

    def _writable_header(self, tab: Tab, fields: list[str]) -> tuple[HeaderMap, list[list[str]]]:
        """The tab's header and rows, fresh, with the columns these fields need added at its end.

        Read afresh because the clerk may have moved columns since the last read (a stale
        header would put values under the wrong headings), and the rows tell which queued
        submissions the sheet already holds.
        """
        title = find_tab_title(self.spreadsheet.tab_titles(), tab)
        if title is None:
            self.spreadsheet.add_tab(tab.title, tab.headers)
            title = tab.title
        self._titles[tab.title] = title
        grid = self.spreadsheet.read_tab(title)
        header_row = grid[0] if grid else []
        header = HeaderMap(tab, header_row)
        lacking = [c for c in header.missing if c.field in fields]
        if lacking:
            start = len(header_row) + 1
            self.spreadsheet.update_cells(title, [(1, start + i, c.header) for i, c in enumerate(lacking)])
            header = HeaderMap(tab, header_row + [c.header for c in lacking])
        return header, grid

    # -- the clerk's commands ----------------------------------------------------
    def init_tabs(self) -> list[str]:
        """Create missing tabs and headers, never touching existing data. Says what it did."""
        done = []
        titles = self.spreadsheet.tab_titles()
        for tab in TABS:
            title = find_tab_title(titles, tab)
            if title is None:
                self.spreadsheet.add_tab(tab.title, tab.headers)
                done.append(f"Onglet « {tab.title} » créé.")
                continue
            header_row = self.spreadsheet.read_header(title)
            lacking = HeaderMap(tab, header_row).missing
            if lacking:
                start = len(header_row) + 1
                self.spreadsheet.update_cells(title, [(1, start + i, c.header) for i, c in enumerate(lacking)])
                names = ", ".join(c.header for c in lacking)
                done.append(f"Onglet « {title} » : colonnes ajoutées à la fin : {names}.")
        self.invalidate()
        return done

    def missing_headers(self) -> dict[str, list[str]]:
        self.board()
        return {
            title: [c.header for c in header.missing]
            for title, header in self._headers.items()
            if header.missing and title in self._titles
        }


def _row_of(grid: list[list[str]], id_column: int, record_id: str, hint: int | None) -> int | None:
    """The 1-based row whose ID cell is ``record_id``, trying ``hint`` first."""
    def holds(number: int) -> bool:
        row = grid[number - 1] if 1 < number <= len(grid) else []
        return id_column < len(row) and row[id_column].strip() == record_id

    if hint is not None and holds(hint):
        return hint
    return next((n for n in range(2, len(grid) + 1) if holds(n)), None)


def _by_tab(entries: list[Entry]) -> dict[Tab, list[Entry]]:
    """Entries grouped by tab, in order; order between tabs does not matter."""
    groups: dict[Tab, list[Entry]] = {}
    for entry in entries:
        tab = _TABS_BY_TITLE.get(entry.tab)
        if tab is None:
            log.error("Envoi en attente pour un onglet inconnu « %s » : %s", entry.tab, entry.path)
            continue
        groups.setdefault(tab, []).append(entry)
    return groups


def _column_values(grid: list[list[str]], column: int | None) -> set[str]:
    if column is None:
        return set()
    return {row[column].strip() for row in grid[1:] if column < len(row) and row[column].strip()}
