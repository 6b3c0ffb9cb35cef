"""Rows acknowledged to people but gone from the sheet (storage/journal.py): which, put
them back, or forget them. Checked once per read of the sheet, at most one fresh read
of a tab when some seem gone (a row the app cannot parse is still there)."""
from __future__ import annotations

from comobi.models import Board
from comobi.schema import REQUESTS, TABS, TRIPS, HeaderMap, find_tab_title
from comobi.storage.journal import Acknowledged
from comobi.storage.port import StorageError
from comobi.storage.sheet_cells import cell_text, rows_by_key


class LostRows:
    def __init__(self, writer):
        self.writer = writer  # storage/writer.py SheetWriter: its sheet, outbox, journal, delivery
        self._last: tuple[object, list[Acknowledged]] | None = None

    def missing(self, board: Board) -> list[Acknowledged]:
        """Rows people were thanked for that are neither in the sheet nor waiting (a stale copy
        of the workbook saved over the app's rows, a deletion): checked once per read."""
        waiting = {entry.key for entry in self.writer.outbox.entries()}
        marker = (id(board), board.read_at, self.writer.journal.marker(), frozenset(waiting))
        if self._last is not None and self._last[0] == marker:
            return self._last[1]
        ids = {TRIPS.title: {t.id for t in board.trips}, REQUESTS.title: {r.id for r in board.requests}}
        unsure = []

        def present(tab: str, entries: list[Acknowledged]) -> set[str]:
            held = {entry.key for entry in entries if entry.id in ids.get(tab, ())}
            doubtful = [entry for entry in entries if entry.key not in held]
            try:
                return held | (self._keys_in(tab, doubtful) if doubtful else set())
            except StorageError:  # cannot tell now: say nothing rather than cry wolf
                unsure.append(tab)
                return held | {entry.key for entry in doubtful}

        missing = self.writer.journal.missing(present, waiting)
        if not unsure:
            self._last = (marker, missing)
        return missing

    def restore(self, keys: list[str]) -> int:
        """Put these acknowledged rows back (same ID and key: never twice); how many were queued."""
        wanted = set(keys)
        entries = [entry for entry in self.writer.journal.entries() if entry.key in wanted]
        for entry in entries:
            self.writer.outbox.put(entry.tab, entry.values)
        self._last = None
        self.writer.deliver(force=True)
        return len(entries)

    def dismiss(self, keys: list[str]) -> None:
        self.writer.journal.dismiss(keys)
        self._last = None

    def _keys_in(self, tab_title: str, entries: list[Acknowledged]) -> set[str]:
        """Which of these entries the sheet holds, read fresh: by key anywhere in the row, or by
        ID (a row the app cannot read is still there)."""
        tab = next((t for t in TABS if t.title == tab_title), None)
        title = find_tab_title(self.writer.spreadsheet.tab_titles(), tab) if tab else None
        if title is None:
            return set()
        grid = self.writer.spreadsheet.read_tab(title)
        header = HeaderMap(tab, grid[0] if grid else [])
        by_key = rows_by_key(grid, {entry.key for entry in entries})
        ids = {cell_text(row, header.columns.get("id")) for row in grid[1:]}
        return {entry.key for entry in entries if entry.key in by_key or entry.id in ids}
