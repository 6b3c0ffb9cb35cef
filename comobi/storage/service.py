"""The spreadsheet as the app's database: read it into a Board, append and update rows.

Reads are cached: a local workbook is read again only when the file changes; a remote
sheet at most once per cache period, and right after one of our own writes. When a read
fails, the last good Board is served with the reason, so pages keep working.
"""
from __future__ import annotations

import gc
import logging
import threading
import time
from datetime import datetime

from comobi import rows
from comobi.models import Board, RowProblem
from comobi.places import Places
from comobi.schema import PLACES, REQUESTS, TABS, TRIPS, HeaderMap, Tab, find_tab_title, is_blank
from comobi.storage.port import Spreadsheet, StorageError

log = logging.getLogger(__name__)
# From this many trips, a board is hundreds of thousands of long-lived objects that the
# garbage collector would otherwise walk through again and again while pages are served.
LARGE_BOARD = 1000


def _settle() -> None:
    """Collect the previous board's garbage, then leave what is alive out of later
    collections (CPython's gc.freeze: frozen objects are still freed when unused)."""
    gc.collect()
    gc.freeze()


class Storage:
    def __init__(self, spreadsheet: Spreadsheet, settings: dict, clock=time.monotonic):
        self.spreadsheet = spreadsheet
        self.settings = settings
        self.clock = clock
        self._lock = threading.Lock()
        self._board: Board | None = None
        self._headers: dict[str, HeaderMap] = {}
        self._titles: dict[str, str] = {}  # our tab title -> the sheet's own spelling
        self._cache_key = None
        self._read_clock = 0.0

    # -- reading ---------------------------------------------------------------
    def board(self) -> Board:
        with self._lock:
            key = self.spreadsheet.version()
            if self._board is None or not self._is_fresh(key):
                self._refresh(key)
            return self._board

    def invalidate(self) -> None:
        with self._lock:
            self._cache_key = None
            self._read_clock = float("-inf")

    def _is_fresh(self, key) -> bool:
        if key is not None:
            return key == self._cache_key
        return self.clock() - self._read_clock < self.settings["sheet.cache_seconds"]

    def _refresh(self, key) -> None:
        self._read_clock = self.clock()
        try:
            board = self._read()
        except StorageError as error:
            if self._board is None:
                raise
            log.warning("Lecture du tableur impossible, anciennes données servies : %s", error)
            self._board.stale_reason = str(error)
            return
        self._board, self._cache_key = board, self.spreadsheet.version() if key is not None else None
        if len(board.trips) >= LARGE_BOARD:
            _settle()

    def _read(self) -> Board:
        titles = self.spreadsheet.tab_titles()
        present = {tab.title: find_tab_title(titles, tab) for tab in TABS}
        wanted = [t for t in present.values() if t]
        grids = self.spreadsheet.read_tabs(wanted) if wanted else {}
        self._titles = {ours: theirs for ours, theirs in present.items() if theirs}
        board = Board(read_at=datetime.now())
        for tab in TABS:
            if present[tab.title] is None:
                board.problems.append(RowProblem(tab.title, 0, "onglet absent (flask sheet init le crée)."))
        grid = {tab.title: grids.get(present[tab.title] or "", []) for tab in TABS}
        self._headers = {t.title: HeaderMap(t, grid[t.title][0] if grid[t.title] else []) for t in TABS}
        board.places = self._places(grid[PLACES.title], board)
        moderation = self.settings["moderation.enabled"]
        board.trips = self._parse(TRIPS, grid[TRIPS.title], board, "T",
                                  lambda r, n: rows.trip_from_record(r, n, board.places, moderation))
        board.requests = self._parse(REQUESTS, grid[REQUESTS.title], board, "D",
                                     lambda r, n: rows.request_from_record(r, n, board.places))
        return board

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
            self._write_ids(tab, missing_ids)
        return parsed

    def _records(self, tab: Tab, grid: list[list[str]]):
        header = self._headers[tab.title]
        for number, row in enumerate(grid[1:], start=2):
            if not is_blank(row):
                yield number, header.record(row)

    def _write_ids(self, tab: Tab, missing: list[tuple[int, str]]) -> None:
        """Give rows typed without an ID theirs, in a single write; reading goes on if it fails."""
        column = self._headers[tab.title].columns["id"] + 1
        try:
            self.spreadsheet.update_cells(self._titles[tab.title], [(n, column, i) for n, i in missing])
        except StorageError as error:
            log.warning("Impossible d'écrire les identifiants manquants : %s", error)

    # -- writing ---------------------------------------------------------------
    def add_row(self, tab: Tab, values: dict[str, str], prefix: str) -> str:
        """Append one row; return its new ID."""
        values = {"id": rows.new_id(prefix), **values}
        with self._lock:
            header = self._writable_header(tab, [f for f, v in values.items() if v])
            self.spreadsheet.append_rows(self._titles[tab.title], [header.row(values)])
        self.invalidate()
        return values["id"]

    def update_row(self, tab: Tab, row: int, values: dict[str, str]) -> None:
        """Set some cells of one row (the others stay as the clerk left them)."""
        with self._lock:
            header = self._writable_header(tab, list(values))
            cells = [(row, header.columns[f] + 1, v) for f, v in values.items()]
            self.spreadsheet.update_cells(self._titles[tab.title], cells)
        self.invalidate()

    def _writable_header(self, tab: Tab, fields: list[str]) -> HeaderMap:
        """The tab's header, fresh, with the columns these fields need added at its end."""
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
        return header

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
            grid = self.spreadsheet.read_tab(title)
            header_row = grid[0] if grid else []
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
